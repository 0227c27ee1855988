// How the admin's Reports page scales (issue 14): the page at 1,000 requests and at 100,000
// (SIZES=1000,1000000 for the documented 1M figures: seeding 1M takes minutes), side by side in
// one run. Target: the page at the largest size within 2× of the smallest (p50).
//
//   npm run build && node dist/bench/report-page.js
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test node dist/bench/report-page.js
//   SIZES=1000,1000000 NODE_ENV=production node dist/bench/report-page.js
//
// Each size gets its own tables (a prefix of its own), seeded in bulk after the plugin's
// migrations with DAYS days of a panel's history up to now: three departments, requests evenly
// over the days, each with the report facts the plugin would have written (first answer,
// resolution, a tenth transferred) and a rating for about 30 % of the resolved. Every day is
// then summed by the plugin's own code (recount, the admin's "Count again": timed and printed,
// the one-off backfill). The page is then fetched over HTTP as an admin from one plugin instance
// per size, mounted in the bench host, the sizes taking turns.
import crypto from 'node:crypto';
import fs from 'node:fs';
import type http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { migrateDownAll, migrateLatest } from '../src/store/migrate';
import { tableNames, type TableNames } from '../src/store/tables';
import { createStore } from '../src/store';
import { NO_DUE } from '../src/store/tickets';
import { reports, type Reports } from '../src/domain/reports';
import { dayOf, shiftDay } from '../src/domain/calendar-days';
import type { Store } from '../src/model/store';
import { closeServer, excerpt, percentile, runMain } from './common';
import { journalMode, openDatabase, type Database } from './database';
import { httpClient, listen, type HttpClient } from './http-client';
import { ADMIN, signIn, startHost, type BenchHost } from './bench-host';
import { StatementCounter } from './statements';
import { timeSideBySide } from './timing';
import { profiled } from './cpu-profile';
import { analyze, BATCH, panelTicket } from './panel-tickets';

const SIZES = (process.env.SIZES ?? '1000,100000').split(',').map(Number);
const REPEAT = Number(process.env.REPEAT ?? 50);
const HISTORY_DAYS = Number(process.env.DAYS ?? 1000);
const LIST_STATEMENTS = process.env.STATEMENTS === '1';
const CPU_PROFILE_DIR = process.env.CPU_PROFILE || undefined;
/** The page at the largest size against the smallest, p50. */
const TARGET_RATIO = 2;

const MINUTE = 60_000;
const DAY = 86_400_000;
const TIME_ZONE = 'UTC';

// ---------------------------------------------------------------------------------------------
// The history.

/** A department's share of the requests, its regulation's targets and its usual times, in working minutes. */
interface DepartmentShape {
  code: string;
  share: number;
  firstTarget: number;
  /** Mean of the first answer's time: about a fifth come later than the target. */
  firstMean: number;
  resolutionTarget: number;
  resolutionMedian: number;
}

const SHAPES: DepartmentShape[] = [
  { code: 'technical', share: 0.55, firstTarget: 60, firstMean: 36, resolutionTarget: 2880, resolutionMedian: 480 },
  { code: 'client_relations', share: 0.35, firstTarget: 240, firstMean: 140, resolutionTarget: 2880, resolutionMedian: 720 },
  { code: 'emergency', share: 0.1, firstTarget: 15, firstMean: 9, resolutionTarget: 240, resolutionMedian: 90 },
];
const STAFF_PER_DEPARTMENT = 5;
const TRANSFERRED = 0.1;
/** Resolved requests still open: waiting for the customer's word, or forgotten. */
const LEFT_OPEN = 0.02;
const CLOSED_UNANSWERED = 0.02;
const UNASSIGNED = 0.15;
const RATED = 0.3;
const RATED_GOOD = 0.85;

interface Staff {
  id: string;
  name: string;
}

interface SeedDepartment extends DepartmentShape {
  id: number;
  staff: Staff[];
}

type Row = Record<string, unknown>;

/** A small seeded generator (mulberry32): the same history on every run and database. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let x = state;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Times of a support request: most short, a long tail. */
const exponential = (random: () => number, mean: number) => Math.round(-Math.log(1 - random()) * mean);
function logNormal(random: () => number, median: number, spread: number): number {
  const z = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  return Math.round(median * Math.exp(spread * z));
}

function pick<T>(list: T[], random: () => number): T {
  return list[Math.floor(random() * list.length)] as T;
}

function departmentBy(departments: SeedDepartment[], u: number): SeedDepartment {
  let upTo = 0;
  for (const d of departments) if (u < (upTo += d.share)) return d;
  return departments[departments.length - 1]!;
}

/** What was seeded, for the report and to check the page's figures against. */
interface Seeded {
  tickets: number;
  open: number;
  facts: number;
  ratings: number;
  /** Requests opened per day and department they were opened in. */
  openedByDay: Map<string, Map<number, number>>;
}

/** One request of the history: its ticket row, the facts the plugin would have written, its rating. */
function requestOf(j: number, createdAt: number, now: number, departments: SeedDepartment[], random: () => number, seeded: Seeded) {
  const id = j + 1;
  const home = departmentBy(departments, random());
  const openedIn =
    random() < TRANSFERRED
      ? pick(
          departments.filter((d) => d !== home),
          random,
        )
      : home;
  const answerer = pick(home.staff, random);
  const assignee = random() < UNASSIGNED ? null : random() < 0.7 ? answerer : pick(home.staff, random);
  const facts: Row[] = [];
  const fact = (kind: string, at: number, department: number, staff: Staff | null, minutes: number | null, target: number | null) =>
    facts.push({
      ticket_id: id,
      kind,
      at,
      department_id: department,
      staff_id: staff?.id ?? null,
      staff_name: staff?.name ?? null,
      minutes,
      target_minutes: target,
      met: minutes === null || target === null ? null : minutes <= target,
    });

  // Working minutes stand for wall-clock ones here: the report reads the minutes, not the hours.
  if (openedIn !== home) fact('transfer', createdAt + (5 + exponential(random, 30)) * MINUTE, openedIn.id, null, null, null);
  const firstMinutes = exponential(random, home.firstMean) * (random() < 0.05 ? 10 : 1);
  const answeredAt = createdAt + firstMinutes * MINUTE;
  const resolutionMinutes = Math.max(firstMinutes, logNormal(random, home.resolutionMedian, 1.2));
  const closedAt = createdAt + resolutionMinutes * MINUTE;
  const open = closedAt > now || random() < LEFT_OPEN;
  const answered = answeredAt <= now && (open || random() >= CLOSED_UNANSWERED);
  if (answered) fact('firstResponse', answeredAt, home.id, answerer, firstMinutes, home.firstTarget);
  if (!open) fact('resolution', closedAt, home.id, assignee, resolutionMinutes, home.resolutionTarget);
  const ratedAt = closedAt + random() * 2 * DAY;
  const rating =
    !open && ratedAt <= now && random() < RATED
      ? {
          ticket_id: id,
          department_id: home.id,
          rating: random() < RATED_GOOD ? 'good' : 'bad',
          staff_id: (assignee ?? answerer).id,
          staff_name: (assignee ?? answerer).name,
          rated_at: Math.round(ratedAt),
        }
      : null;
  const dueAt = open ? createdAt + (answered ? home.resolutionTarget : home.firstTarget) * MINUTE : null;
  const ticket = panelTicket(j, {
    id,
    department_id: home.id,
    status: open ? (answered ? 'answered' : 'new') : 'closed',
    is_open: open ? 1 : 0,
    created_at: createdAt,
    updated_at: open ? (answered ? answeredAt : createdAt) : closedAt,
    last_customer_at: createdAt,
    last_reply_at: answered ? answeredAt : null,
    closed_at: open ? null : closedAt,
    assignee_id: assignee?.id ?? null,
    assignee_name: assignee?.name ?? null,
    due_at: dueAt,
    queue_due: dueAt ?? NO_DUE,
  });

  seeded.tickets++;
  if (open) seeded.open++;
  seeded.facts += facts.length;
  if (rating) seeded.ratings++;
  const day = dayOf(createdAt, TIME_ZONE);
  const opened = seeded.openedByDay.get(day) ?? new Map<number, number>();
  opened.set(openedIn.id, (opened.get(openedIn.id) ?? 0) + 1);
  seeded.openedByDay.set(day, opened);
  return { ticket, facts, rating };
}

/**
 * `size` requests evenly over HISTORY_DAYS days up to `now`, in id order. Ids are given (the
 * facts and ratings name them); nothing creates a ticket after the seeding.
 */
async function seed(knex: Knex, t: TableNames, size: number, now: number): Promise<Seeded> {
  const rows = await knex(t.departments).select('id', 'code');
  const departments: SeedDepartment[] = SHAPES.map((shape) => {
    const id = Number(rows.find((r: { code: string }) => r.code === shape.code).id);
    const staff = Array.from({ length: STAFF_PER_DEPARTMENT }, (_, k) => ({
      id: `s-${shape.code}-${k + 1}`,
      name: `${shape.code} staff ${k + 1}`,
    }));
    return { ...shape, id, staff };
  });
  const random = seededRandom(size);
  const start = now - HISTORY_DAYS * DAY;
  const spacing = (now - start) / size;
  const seeded: Seeded = { tickets: 0, open: 0, facts: 0, ratings: 0, openedByDay: new Map() };
  for (let i = 0; i < size; i += BATCH) {
    const tickets: Row[] = [];
    const facts: Row[] = [];
    const ratings: Row[] = [];
    for (let j = i; j < Math.min(size, i + BATCH); j++) {
      const request = requestOf(j, Math.floor(start + (j + random()) * spacing), now, departments, random, seeded);
      tickets.push(request.ticket);
      facts.push(...request.facts);
      if (request.rating) ratings.push(request.rating);
    }
    // One commit per batch: on PostgreSQL and MySQL a commit is a log flush.
    await knex.transaction(async (trx) => {
      await trx(t.tickets).insert(tickets);
      for (let k = 0; k < facts.length; k += BATCH) await trx(t.reportFacts).insert(facts.slice(k, k + BATCH));
      if (ratings.length > 0) await trx(t.ratings).insert(ratings);
    });
  }
  await analyze(knex, [t.tickets, t.reportFacts, t.ratings]);
  return seeded;
}

/** Requests opened in [from, to] as the generator made them, in one department or all. */
function expectedOpened(seeded: Seeded, from: string, to: string, departmentId: number | null): number {
  let sum = 0;
  for (let day = from; day <= to; day = shiftDay(day, 1)) {
    for (const [id, n] of seeded.openedByDay.get(day) ?? []) if (departmentId === null || id === departmentId) sum += n;
  }
  return sum;
}

// ---------------------------------------------------------------------------------------------
// The page.

/** One size's tables, its plugin instance over HTTP, and what was seeded there. */
interface Panel {
  size: number;
  t: TableNames;
  seeded: Seeded;
  store: Store;
  reports: Reports;
  counter: StatementCounter;
  host: BenchHost;
  url: string;
  cookie: string;
  technicalId: number;
}

interface PageCase {
  name: string;
  from: string;
  to: string;
  /** Only the technical department's report. */
  technical: boolean;
}

function pageUrl(panel: Panel, c: PageCase): string {
  const department = c.technical ? String(panel.technicalId) : '';
  return `${panel.url}/admin/reports?${new URLSearchParams({ from: c.from, to: c.to, department })}`;
}

/** Fetches the page; throws unless it is a report whose "opened" figure is what was seeded. */
function fetchPage(client: HttpClient, panel: Panel, c: PageCase, expected: number) {
  return async (headers: Record<string, string> = {}) => {
    const reply = await client.send(pageUrl(panel, c), 'GET', { ...headers, Cookie: panel.cookie });
    if (reply.status !== 200) throw new Error(`${c.name} at ${panel.size}: ${reply.status} ${excerpt(reply.text)}`);
    const opened = /data-figure="opened"><dt>[^<]*<\/dt><dd>(\d+)</.exec(reply.text)?.[1];
    if (Number(opened) !== expected)
      throw new Error(`${c.name} at ${panel.size}: the page shows ${opened} opened, ${expected} were seeded`);
    return reply;
  };
}

/** The tables a page's statements name, without the prefix. */
function tablesRead(statements: Array<{ sql: string }>, t: TableNames): string[] {
  const names = [t.tickets, t.reportFacts, t.ratings, t.reportDays, t.reportBuilt, t.reportBacklog, t.departments];
  return names.filter((name) => statements.some((s) => s.sql.includes(name))).map((name) => name.slice(t.prefix.length));
}

const count = (n: number) => n.toLocaleString('en');
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function setUpPanel(
  knex: Knex,
  size: number,
  index: number,
  run: string,
  dataDir: string,
  migrated: TableNames[],
  servers: http.Server[],
): Promise<Panel> {
  const prefix = `r${run}${index}_`;
  const t = tableNames(prefix);
  await migrateLatest(knex, MIGRATIONS, t);
  migrated.push(t);
  const now = Date.now();
  let started = Date.now();
  const seeded = await seed(knex, t, size, now);
  const seedMs = Date.now() - started;
  // Every day of the history summed by the plugin's own code: the admin's "Count again".
  const today = dayOf(Date.now(), TIME_ZONE);
  const firstDay = dayOf(now - HISTORY_DAYS * DAY, TIME_ZONE);
  started = Date.now();
  const store = createStore(knex, t);
  const reporting = reports({ store, timeZone: TIME_ZONE });
  await reporting.recount(firstDay, today);
  const recountMs = Date.now() - started;
  // What a report sums: rows per day, and the time bands each row counts requests in.
  const dayRows = await store.reports.days(firstDay, today, null, true);
  const bandValues = dayRows.reduce((sum, r) => sum + r.firstResponse.bands.length + r.resolution.bands.length, 0);
  const days = HISTORY_DAYS + 1;
  console.log(
    `\n${count(size)} requests over ${days} days: ${count(seeded.open)} open (${((seeded.open / size) * 100).toFixed(1)} %), ` +
      `${count(seeded.facts)} facts, ${count(seeded.ratings)} ratings; seeded in ${seconds(seedMs)}`,
  );
  console.log(
    `  every day summed by recount(${firstDay}, ${today}) in ${seconds(recountMs)} (${(recountMs / days).toFixed(1)} ms a day): ` +
      `${count(dayRows.length)} day rows (${(dayRows.length / days).toFixed(1)} a day) holding ${(bandValues / dayRows.length).toFixed(1)} band counts each`,
  );

  // The plugin in the bench host on these tables, never migrated through it: no job runs beside the pages.
  const counter = new StatementCounter(knex, prefix);
  const host = await startHost({ knex, tablePrefix: prefix, dataDir, users: [ADMIN], before: counter.middleware });
  const { server, base } = await listen(host.app);
  // The other runs between a size's pages may take longer than node's 5 s: a socket the server
  // closed meanwhile would fail the next page (ECONNRESET).
  server.keepAliveTimeout = 10 * 60_000;
  servers.push(server);
  const client = httpClient(1);
  const cookie = await signIn(client, base, ADMIN.key);
  client.destroy();
  const technical = await knex(t.departments).where('code', 'technical').first('id');
  return {
    size,
    t,
    seeded,
    store,
    reports: reporting,
    counter,
    host,
    url: base + host.plugin.mountPath,
    cookie,
    technicalId: Number(technical.id),
  };
}

const MIGRATIONS = path.resolve(__dirname, '..', 'migrations');

/** Each run's times (ms, ascending) per size, in the order of the sizes. */
interface CaseFigures {
  name: string;
  /** Day rows the report reads. */
  rows: number[];
  page: number[][];
  report: number[][];
  days: number[][];
}

async function main(): Promise<number> {
  const db: Database = openDatabase(4, 'bench-reports-');
  const { knex } = db;
  const run = crypto.randomBytes(3).toString('hex');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-reports-data-'));
  const migrated: TableNames[] = [];
  const servers: http.Server[] = [];
  const panels: Panel[] = [];
  const client = httpClient(1);
  const wal = await journalMode(db);
  console.log(
    `node ${process.version}, ${os.cpus().length} CPUs, load ${os.loadavg()[0]!.toFixed(1)}, NODE_ENV=${process.env.NODE_ENV ?? '(unset)'}, ` +
      `database: ${db.description}${wal ? `, journal_mode=${wal}` : ''}`,
  );
  console.log(`sizes ${SIZES.map(count).join(', ')} requests over ${HISTORY_DAYS} days, ${REPEAT} timed pages of each case per size`);
  try {
    for (const [index, size] of SIZES.entries()) panels.push(await setUpPanel(knex, size, index, run, dataDir, migrated, servers));

    const today = dayOf(Date.now(), TIME_ZONE);
    const cases: PageCase[] = [
      { name: 'all departments, 30 days', from: shiftDay(today, -29), to: today, technical: false },
      { name: 'all departments, 365 days', from: shiftDay(today, -364), to: today, technical: false },
      { name: 'technical, 30 days', from: shiftDay(today, -29), to: today, technical: true },
    ];
    const figures: CaseFigures[] = [];
    console.log(`\nthe report page over HTTP as an admin; the sizes take turns in blocks of 10:`);
    for (const c of cases) {
      const departmentIds = (panel: Panel) => (c.technical ? [panel.technicalId] : null);
      const pages = panels.map((panel) =>
        fetchPage(client, panel, c, expectedOpened(panel.seeded, c.from, c.to, departmentIds(panel)?.[0] ?? null)),
      );
      for (const [k, panel] of panels.entries()) {
        const { raw, statements } = await panel.counter.record(`${c.name}@${panel.size}`, pages[k]!);
        // The timings run without the recording's promise hooks, which slow every await.
        panel.counter.stopRecording();
        const tables = tablesRead(raw, panel.t);
        const reads = tables.filter((name) => name === 'tickets' || name === 'report_facts');
        console.log(
          `  ${c.name} at ${count(panel.size)}: ${statements.length} statements on ${tables.join(', ')}` +
            (reads.length > 0 ? ` (reads ${reads.join(' and ')}!)` : ''),
        );
        if (LIST_STATEMENTS) for (const sql of statements) console.log(`    ${sql}`);
      }
      // The page, and beside it the report it shows built alone (its reads and sums, no HTTP or
      // rendering), and the day rows it reads alone.
      const samples = await timeSideBySide(
        [
          ...pages.map((page) => () => page()),
          ...panels.map((panel) => () => panel.reports.report({ from: c.from, to: c.to, departmentId: departmentIds(panel)?.[0] ?? null })),
          ...panels.map((panel) => () => panel.store.reports.days(c.from, c.to, departmentIds(panel), true)),
        ],
        REPEAT,
      );
      for (const [k, panel] of panels.entries()) {
        await profiled(CPU_PROFILE_DIR, `report-page-${c.name.replace(/\W+/g, '-')}-${panel.size}`, async () => {
          for (let i = 0; i < REPEAT; i++) await pages[k]!();
        });
      }
      const n = panels.length;
      figures.push({
        name: c.name,
        rows: await Promise.all(
          panels.map(async (panel) => (await panel.store.reports.days(c.from, c.to, departmentIds(panel), true)).length),
        ),
        page: samples.slice(0, n),
        report: samples.slice(n, 2 * n),
        days: samples.slice(2 * n),
      });
    }

    const [small, big] = [0, panels.length - 1];
    const ms = (v: number) => v.toFixed(2).padStart(7);
    const p50 = (s: number[]) => percentile(s, 50);
    const p90 = (s: number[]) => percentile(s, 90);
    console.log(`\nreport page, ms p50 / p90 of ${REPEAT}, and the ratio largest / smallest size (target p50 ≤ ${TARGET_RATIO}×):`);
    console.log(`  ${'case'.padEnd(28)}${panels.map((p) => `${count(p.size)} requests`.padStart(20)).join('')}   ratio p50   ratio p90`);
    let pass = true;
    for (const f of figures) {
      const ratio = p50(f.page[big]!) / p50(f.page[small]!);
      pass &&= ratio <= TARGET_RATIO;
      console.log(
        `  ${f.name.padEnd(28)}${f.page.map((s) => `${ms(p50(s))} / ${ms(p90(s))}`.padStart(20)).join('')}` +
          `   ${ratio.toFixed(2).padStart(9)}   ${(p90(f.page[big]!) / p90(f.page[small]!)).toFixed(2).padStart(9)}   ${ratio <= TARGET_RATIO ? 'PASS' : 'FAIL'}`,
      );
    }
    console.log(
      `\nwhere the page's time goes, ms p50: the day rows it reads (store.reports.days alone), the report built (reports.report alone: reads and sums), the page:`,
    );
    console.log(`  ${'case'.padEnd(28)}${panels.map((p) => `${count(p.size)}: rows    read  report    page`.padStart(44)).join('')}`);
    for (const f of figures) {
      const columns = panels.map(
        (_, k) => `${count(f.rows[k]!).padStart(7)} ${ms(p50(f.days[k]!))} ${ms(p50(f.report[k]!))} ${ms(p50(f.page[k]!))}`,
      );
      console.log(`  ${f.name.padEnd(28)}${columns.map((col) => col.padStart(44)).join('')}`);
    }
    const errors = panels.flatMap((p) => p.host.errorsLogged);
    if (errors.length > 0) console.log(`plugin logged ${errors.length} error(s), first: ${errors[0]}`);
    console.log(
      panels.length > 1
        ? `\n${pass ? 'PASS' : 'FAIL'}: the report page within ${TARGET_RATIO}× from ${count(panels[small]!.size)} to ${count(panels[big]!.size)} requests`
        : '',
    );
    return pass && errors.length === 0 ? 0 : 1;
  } finally {
    client.destroy();
    for (const server of servers) await closeServer(server);
    for (const panel of panels) await panel.host.plugin.close();
    for (const t of migrated) await migrateDownAll(knex, MIGRATIONS, t);
    await knex.destroy();
    fs.rmSync(dataDir, { recursive: true, force: true });
    if (db.tempDir) fs.rmSync(db.tempDir, { recursive: true, force: true });
  }
}

runMain(main);
