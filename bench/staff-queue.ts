// How the staff queue scales: seeds 1,000 and then 1,000,000 tickets and times the queue's
// first page and a deep page (keyset cursor 90 % into the list) for a staff member of one
// department and for an admin, plus a search and a filter. Target: latency at 1M ≤ 1.5× at 1k.
//
//   npm run build && node dist/bench/staff-queue.js
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test node dist/bench/staff-queue.js
//   SIZES=1000,100000 REPEAT=30 node dist/bench/staff-queue.js
//
// Tickets are inserted in bulk straight into the plugin's tables (after its migrations), shaped
// like a real panel's history: three departments, most tickets closed, a tenth open, priorities
// mostly normal. The pages are read through the plugin's own queue store, the code the staff
// page calls.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import knexFactory, { type Knex } from 'knex';
import { migrateDownAll, migrateLatest } from '../src/store/migrate';
import { tableNames, type TableNames } from '../src/store/tables';
import { createStore } from '../src/store';
import type { QueueFilter } from '../src/model/store';
import { encodeCursor } from '../src/store/cursor';
import { PRIORITY_RANK, type TicketPriority } from '../src/model/types';

const SIZES = (process.env.SIZES ?? '1000,1000000').split(',').map(Number);
const REPEAT = Number(process.env.REPEAT ?? 50);
const PAGE = 25;
const BATCH = 500;

function connect(): { knex: Knex; label: string; cleanup: () => void } {
  const url = process.env.DATABASE_URL;
  if (url?.startsWith('postgres')) return { knex: knexFactory({ client: 'pg', connection: url, pool: { min: 1, max: 4 } }), label: 'postgres', cleanup: () => {} };
  if (url?.startsWith('mysql') || url?.startsWith('mariadb')) {
    return { knex: knexFactory({ client: 'mysql2', connection: { uri: url.replace(/^mariadb:/, 'mysql:'), charset: 'utf8mb4' }, pool: { min: 1, max: 4 } }), label: 'mysql', cleanup: () => {} };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-queue-'));
  const knex = knexFactory({ client: 'better-sqlite3', connection: { filename: path.join(dir, 'queue.sqlite') }, useNullAsDefault: true });
  return { knex, label: 'sqlite (file)', cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

const PRIORITY_MIX: TicketPriority[] = ['normal', 'normal', 'normal', 'normal', 'normal', 'normal', 'low', 'high', 'high', 'urgent'];

/** Adds tickets until the table holds `target` rows. */
async function seed(knex: Knex, t: TableNames, departmentIds: number[], from: number, target: number): Promise<void> {
  const start = Date.UTC(2024, 0, 1);
  for (let i = from; i < target; i += BATCH) {
    const rows = [];
    for (let j = i; j < Math.min(target, i + BATCH); j++) {
      const open = j % 10 === 0;
      const priority = PRIORITY_MIX[j % PRIORITY_MIX.length] as TicketPriority;
      const at = start + j * 30_000;
      const customer = `c-${j % 5000}`;
      rows.push({
        number: String(10_000_000 + j),
        customer_id: customer,
        customer_name: `Customer ${j % 5000}`,
        customer_email: `${customer}@example.com`,
        service_id: null,
        service_label: null,
        department_id: departmentIds[j % departmentIds.length],
        subject: `Request ${j} about ${['vps', 'domain', 'invoice', 'mail'][j % 4]}`,
        subject_search: `request ${j} about ${['vps', 'domain', 'invoice', 'mail'][j % 4]}`,
        status: open ? (j % 20 === 0 ? 'new' : 'waiting') : 'closed',
        priority,
        priority_rank: PRIORITY_RANK[priority],
        is_open: open ? 1 : 0,
        created_at: at,
        updated_at: at,
        last_customer_at: at,
        assignee_id: j % 3 === 0 ? 's-tech' : null,
        service_kind: ['vps', 'domain', 'hosting'][j % 3],
      });
    }
    await knex(t.tickets).insert(rows);
  }
  // Fresh statistics, as a database that has lived with its data would have.
  if (/sqlite/.test(String(knex.client.config.client))) await knex.raw('ANALYZE');
  if (knex.client.config.client === 'pg') await knex.raw(`ANALYZE ??`, [t.tickets]);
  if (/mysql/.test(String(knex.client.config.client))) await knex.raw('ANALYZE TABLE ??', [t.tickets]);
}

async function time(run: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  for (let i = 0; i < 5; i++) await run();
  const samples: number[] = [];
  for (let i = 0; i < REPEAT; i++) {
    const started = process.hrtime.bigint();
    await run();
    samples.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  samples.sort((a, b) => a - b);
  return { p50: samples[Math.floor(samples.length * 0.5)] as number, p95: samples[Math.floor(samples.length * 0.95)] as number };
}

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
  const row = await base.orderBy([{ column: 'priority_rank' }, { column: 'last_customer_at' }, { column: 'id' }]).offset(offset).first('priority_rank', 'last_customer_at', 'id');
  return encodeCursor([Number(row.priority_rank), Number(row.last_customer_at), Number(row.id)]);
}

async function main(): Promise<void> {
  const { knex, label, cleanup } = connect();
  const prefix = `q${crypto.randomBytes(3).toString('hex')}_`;
  const t = tableNames(prefix);
  const migrations = path.resolve(__dirname, '..', 'migrations');
  console.log(`node ${process.version}, ${os.cpus().length} CPUs, database: ${label}, sizes ${SIZES.join(', ')}, ${REPEAT} timed reads each`);
  await migrateLatest(knex, migrations, t);
  const store = createStore(knex, t);
  try {
    const departments = await store.departments.list({ activeOnly: false });
    const technical = departments.find((d) => d.code === 'technical')!.id;
    const all = departments.map((d) => d.id);
    const filter = (over: Partial<QueueFilter>): QueueFilter => ({ departmentIds: [technical], status: 'open', priority: null, serviceKind: null, assignee: null, search: '', ...over });
    let seeded = 0;
    const results: Record<string, Record<number, { p50: number; p95: number }>> = {};
    for (const size of SIZES) {
      const started = Date.now();
      await seed(knex, t, all, seeded, size);
      seeded = size;
      console.log(`\n${size.toLocaleString('en')} tickets (seeded in ${((Date.now() - started) / 1000).toFixed(1)} s)`);
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
      const deepStaff = await deepCursor(knex, t, [technical], true);
      const deepStaffAll = await deepCursor(knex, t, [technical], false);
      const deepAdmin = await deepCursor(knex, t, null, true);
      for (const [name, run] of cases) {
        const r = await time(run);
        (results[name] ??= {})[size] = r;
        console.log(`  ${name.padEnd(34)} p50 ${r.p50.toFixed(2)} ms   p95 ${r.p95.toFixed(2)} ms`);
      }
    }
    if (SIZES.length > 1) {
      const [small, big] = [SIZES[0] as number, SIZES[SIZES.length - 1] as number];
      console.log(`\nratio p50 at ${big.toLocaleString('en')} / at ${small.toLocaleString('en')} (target ≤ 1.5 for the queue pages):`);
      for (const [name, bySize] of Object.entries(results)) {
        console.log(`  ${name.padEnd(34)} ${(bySize[big]!.p50 / bySize[small]!.p50).toFixed(2)}`);
      }
    }
  } finally {
    await migrateDownAll(knex, migrations, t);
    await knex.destroy();
    cleanup();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
