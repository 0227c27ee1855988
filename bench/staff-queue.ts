// How the staff queue scales: seeds 1,000 and then 100,000 tickets (SIZES=1000,1000000 for the
// documented 1M figures: seeding 1M takes minutes) and times the queue's
// first page and a deep page (keyset cursor 90 % into the list) for a staff member of one
// department and for an admin, plus a search and a filter. Target: latency at 1M ≤ 1.5× at 1k.
// Then the whole page over HTTP (host session, access checks, rendering) next to its own queue
// query run alone with the same values. Target (c): the page within 4× of its query.
//
//   npm run build && node dist/bench/staff-queue.js
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test node dist/bench/staff-queue.js
//   SIZES=1000,1000000 REPEAT=100 NODE_ENV=production node dist/bench/staff-queue.js
//
// Tickets are inserted in bulk straight into the plugin's tables (after its migrations), shaped
// like a real panel's history: three departments, most tickets closed, a tenth open, priorities
// mostly normal. The store cases read through the plugin's own queue store, the code the staff
// page calls; the page cases go through the plugin mounted in the bench host (bench-host.ts).
import fs from 'node:fs';
import type http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import type { Knex } from 'knex';
import { migrateDownAll, migrateLatest } from '../src/store/migrate';
import { tableNames, type TableNames } from '../src/store/tables';
import { createStore } from '../src/store';
import type { QueueFilter } from '../src/model/store';
import { encodeCursor } from '../src/store/cursor';
import { closeServer, excerpt, percentile } from './common';
import { journalMode, openDatabase, type Database } from './database';
import { httpClient, listen } from './http-client';
import { ADMIN, signIn, startHost, type BenchHost, type BenchUser } from './bench-host';
import { StatementCounter, type RawStatement } from './statements';
import { profiled } from './cpu-profile';
import { timeSideBySide } from './timing';
import { analyze, BATCH, panelTicket } from './panel-tickets';

const SIZES = (process.env.SIZES ?? '1000,100000').split(',').map(Number);
const REPEAT = Number(process.env.REPEAT ?? 50);
const LIST_STATEMENTS = process.env.STATEMENTS === '1';
const CPU_PROFILE_DIR = process.env.CPU_PROFILE || undefined;
const PAGE = 25;

/** Adds tickets until the table holds `target` rows. */
async function seed(knex: Knex, t: TableNames, departmentIds: number[], from: number, target: number): Promise<void> {
  const start = Date.UTC(2024, 0, 1);
  for (let i = from; i < target; i += BATCH) {
    const rows = [];
    for (let j = i; j < Math.min(target, i + BATCH); j++) {
      const open = j % 10 === 0;
      const at = start + j * 30_000;
      rows.push(
        panelTicket(j, {
          department_id: departmentIds[j % departmentIds.length],
          status: open ? (j % 20 === 0 ? 'new' : 'waiting') : 'closed',
          is_open: open ? 1 : 0,
          created_at: at,
          updated_at: at,
          last_customer_at: at,
          assignee_id: j % 3 === 0 ? 's-tech' : null,
        }),
      );
    }
    await knex(t.tickets).insert(rows);
  }
  await analyze(knex, [t.tickets]);
}

interface Timing {
  p50: number;
  p95: number;
}

const timingOf = (sorted: number[]): Timing => ({ p50: percentile(sorted, 50), p95: percentile(sorted, 95) });

/**
 * A cursor pointing 90 % into the list the filter selects, built from the row found there, but
 * always with a full page after it: on a small list a page of 3 rows would flatter the 1k figure.
 */
async function deepCursor(knex: Knex, t: TableNames, departmentIds: number[] | null, openOnly: boolean): Promise<string> {
  const base = knex(t.tickets);
  if (departmentIds) base.whereIn('department_id', departmentIds);
  if (openOnly) base.where('is_open', 1);
  const [{ n }] = (await base.clone().count({ n: '*' })) as Array<{ n: unknown }>;
  const offset = Math.max(0, Math.min(Math.floor(Number(n) * 0.9), Number(n) - PAGE - 1));
  const row = await base
    .orderBy([{ column: 'priority_rank' }, { column: 'last_customer_at' }, { column: 'id' }])
    .offset(offset)
    .first('priority_rank', 'last_customer_at', 'id');
  return encodeCursor([Number(row.priority_rank), Number(row.last_customer_at), Number(row.id)]);
}

// ---------------------------------------------------------------------------------------------
// The page over HTTP, next to its own query.

const STAFF: BenchUser = {
  key: 'tech',
  user: { id: 's-tech', role: 'staff', name: 'Tech Staff', email: 'tech@bench.example', locale: 'en', departments: ['technical'] },
  services: [],
};

/**
 * The plugin in the bench host activated with NODE_ENV=production or without it. Up to 3beb1e6
 * the plugin cached its EJS templates only with NODE_ENV=production, and pages were about 1.5×
 * slower without; side by side, the two show whether that still depends on the host's NODE_ENV.
 */
async function hostWithEjsCache(cache: boolean, options: Parameters<typeof startHost>[0]): Promise<BenchHost> {
  const saved = process.env.NODE_ENV;
  if (cache) process.env.NODE_ENV = 'production';
  else delete process.env.NODE_ENV;
  try {
    return await startHost(options);
  } finally {
    if (saved === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = saved;
  }
}

/** The queue's own statement among a page's: the select on tickets in queue order. */
function queueQueryOf(raw: RawStatement[], t: TableNames): RawStatement {
  const found = raw.find((s) => s.sql.includes(t.tickets) && /order by .priority_rank/i.test(s.sql));
  if (!found) throw new Error('the page ran no queue query');
  return found;
}

/** The statement as knex.raw takes it again: knex's "?" placeholders (pg's "$n" become "?"). */
function runAlone(knex: Knex, statement: RawStatement): () => Promise<unknown> {
  const sql = statement.sql.replace(/\$\d+/g, '?');
  return () => knex.raw(sql, statement.bindings as Knex.RawBinding[]);
}

interface PageCase {
  name: string;
  who: BenchUser;
  query: string;
}

/** A plugin instance's queue page address and the session cookie of each user signed in there. */
interface PageTarget {
  url: string;
  cookies: Map<string, string>;
}

async function pageFigures(
  knex: Knex,
  t: TableNames,
  counter: StatementCounter,
  pages: { cached: PageTarget; uncached: PageTarget },
  cases: PageCase[],
  size: number,
): Promise<void> {
  const client = httpClient(1);
  try {
    const get =
      (target: PageTarget, c: PageCase, headers: Record<string, string> = {}) =>
      async () => {
        const reply = await client.send(`${target.url}/${c.query}`, 'GET', { ...headers, Cookie: target.cookies.get(c.who.key)! });
        if (reply.status !== 200) throw new Error(`${c.name}: ${reply.status} ${excerpt(reply.text)}`);
        return reply;
      };
    console.log(`  page over HTTP (host session, access checks, rendering) and its queue query alone, p50 of ${REPEAT}:`);
    console.log(
      `    ${'case'.padEnd(30)} ${'page'.padStart(9)} ${'query'.padStart(9)} ${'ratio'.padStart(6)}   ${'no EJS cache'.padStart(12)} ${'ratio'.padStart(6)}   statements`,
    );
    for (const c of cases) {
      const { statements, raw } = await counter.record(`${c.name}@${size}`, (headers) => get(pages.cached, c, headers)());
      // The timings below run without the recording's promise hooks, which slow every await.
      counter.stopRecording();
      const [page, query, uncached] = (
        await timeSideBySide([get(pages.cached, c), runAlone(knex, queueQueryOf(raw, t)), get(pages.uncached, c)], REPEAT)
      ).map(timingOf) as [Timing, Timing, Timing];
      const ms = (v: number) => `${v.toFixed(2)} ms`.padStart(9);
      console.log(
        `    ${c.name.padEnd(30)} ${ms(page.p50)} ${ms(query.p50)} ${(page.p50 / query.p50).toFixed(1).padStart(6)}   ` +
          `${ms(uncached.p50).padStart(12)} ${(uncached.p50 / query.p50).toFixed(1).padStart(6)}   ${statements.length}`,
      );
      if (LIST_STATEMENTS) for (const sql of statements) console.log(`      ${sql}`);
    }
    // One profile of the first case's page, cache on, for where a page's time goes.
    const first = cases[0]!;
    await profiled(CPU_PROFILE_DIR, `staff-queue-page-${size}`, async () => {
      for (let i = 0; i < REPEAT * 4; i++) await get(pages.cached, first)();
    });
  } finally {
    client.destroy();
  }
}

async function main(): Promise<void> {
  const db: Database = openDatabase(4, 'bench-queue-');
  const { knex } = db;
  const prefix = `q${crypto.randomBytes(3).toString('hex')}_`;
  const t = tableNames(prefix);
  const migrations = path.resolve(__dirname, '..', 'migrations');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-queue-data-'));
  const counter = new StatementCounter(knex, prefix);
  const servers: http.Server[] = [];
  const hosts: BenchHost[] = [];
  const wal = await journalMode(db);
  console.log(
    `node ${process.version}, ${os.cpus().length} CPUs, NODE_ENV=${process.env.NODE_ENV ?? '(unset)'}, database: ${db.description}${wal ? `, journal_mode=${wal}` : ''}`,
  );
  console.log(`sizes ${SIZES.join(', ')}, ${REPEAT} timed reads each`);
  await migrateLatest(knex, migrations, t);
  const store = createStore(knex, t);
  try {
    // Two plugin instances on these tables, never migrated through the plugin (the bench did it),
    // so no dispatcher runs beside the reads.
    const hostOptions = { knex, tablePrefix: prefix, dataDir, users: [STAFF, ADMIN], before: counter.middleware };
    const cachedHost = await hostWithEjsCache(true, hostOptions);
    const uncachedHost = await hostWithEjsCache(false, hostOptions);
    hosts.push(cachedHost, uncachedHost);
    const cachedHttp = await listen(cachedHost.app);
    const uncachedHttp = await listen(uncachedHost.app);
    servers.push(cachedHttp.server, uncachedHttp.server);
    // Each instance keeps its own sessions: both users sign in to both.
    const signInClient = httpClient(1);
    const target = async (base: string): Promise<PageTarget> => {
      const cookies = new Map<string, string>();
      for (const who of [STAFF, ADMIN]) cookies.set(who.key, await signIn(signInClient, base, who.key));
      return { url: base + cachedHost.plugin.mountPath, cookies };
    };
    const pages = { cached: await target(cachedHttp.base), uncached: await target(uncachedHttp.base) };
    signInClient.destroy();

    const departments = await store.departments.list({ activeOnly: false });
    const technical = departments.find((d) => d.code === 'technical')!.id;
    const all = departments.map((d) => d.id);
    const filter = (over: Partial<QueueFilter>): QueueFilter => ({
      departmentIds: [technical],
      status: 'open',
      priority: null,
      serviceKind: null,
      assignee: null,
      search: '',
      dueBefore: null,
      ...over,
    });
    let seeded = 0;
    const results: Record<string, Record<number, Timing>> = {};
    for (const size of SIZES) {
      const started = Date.now();
      await seed(knex, t, all, seeded, size);
      seeded = size;
      console.log(`\n${size.toLocaleString('en')} tickets (seeded in ${((Date.now() - started) / 1000).toFixed(1)} s)`);
      const deepStaff = await deepCursor(knex, t, [technical], true);
      const deepStaffAll = await deepCursor(knex, t, [technical], false);
      const deepAdmin = await deepCursor(knex, t, null, true);
      const cases: Array<[string, () => Promise<unknown>]> = [
        ['staff, open, first page', () => store.queue.page(filter({}), null, PAGE)],
        ['staff, open, deep page', async () => store.queue.page(filter({}), deepStaff, PAGE)],
        ['staff, all statuses, deep page', async () => store.queue.page(filter({ status: 'all' }), deepStaffAll, PAGE)],
        ['admin, open, first page', () => store.queue.page(filter({ departmentIds: null }), null, PAGE)],
        ['admin, open, deep page', async () => store.queue.page(filter({ departmentIds: null }), deepAdmin, PAGE)],
        ['staff, unassigned, first page', () => store.queue.page(filter({ assignee: '' }), null, PAGE)],
        ['staff, search by e-mail', () => store.queue.page(filter({ status: 'all', search: 'c-42@example.com' }), null, PAGE)],
        ['waiting count (menu badge)', () => store.queue.waitingCount([technical], 100)],
      ];
      for (const [name, run] of cases) {
        const r = timingOf((await timeSideBySide([run], REPEAT))[0]!);
        (results[name] ??= {})[size] = r;
        console.log(`  ${name.padEnd(34)} p50 ${r.p50.toFixed(2)} ms   p95 ${r.p95.toFixed(2)} ms`);
      }
      const pageCases: PageCase[] = [
        { name: 'staff, open, first page', who: STAFF, query: '' },
        { name: 'staff, open, deep page', who: STAFF, query: `?after=${encodeURIComponent(deepStaff)}` },
        { name: 'admin, open, first page', who: ADMIN, query: '' },
      ];
      await pageFigures(knex, t, counter, pages, pageCases, size);
    }
    if (SIZES.length > 1) {
      const [small, big] = [SIZES[0] as number, SIZES[SIZES.length - 1] as number];
      console.log(`\nratio p50 at ${big.toLocaleString('en')} / at ${small.toLocaleString('en')} (target ≤ 1.5 for the queue pages):`);
      for (const [name, bySize] of Object.entries(results)) {
        console.log(`  ${name.padEnd(34)} ${(bySize[big]!.p50 / bySize[small]!.p50).toFixed(2)}`);
      }
    }
    const errors = hosts.flatMap((h) => h.errorsLogged);
    if (errors.length > 0) console.log(`plugin logged ${errors.length} error(s), first: ${errors[0]}`);
  } finally {
    for (const server of servers) await closeServer(server);
    for (const h of hosts) await h.plugin.close();
    await migrateDownAll(knex, migrations, t);
    await knex.destroy();
    fs.rmSync(dataDir, { recursive: true, force: true });
    if (db.tempDir) fs.rmSync(db.tempDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
