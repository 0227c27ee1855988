// Issue 4's benchmark: many customers create tickets at once for a fixed time against the demo
// panel, once with department e-mail off and once with it on (a real SMTP server in this
// process), and the script prints create throughput for both and how long after each create
// response the department's e-mail arrived at the SMTP server.
//
//   npm run build && node dist/bench/mail-delivery.js
//   DURATION=60 DATABASE_URL=postgres://postgres@127.0.0.1:5432/test node dist/bench/mail-delivery.js
//   node dist/bench/mail-delivery.js --duration 10 --customers 20
//
// See bench/README.md for what runs and how to read the output.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import crypto from 'node:crypto';
import knexFactory, { type Knex } from 'knex';
import { Worker } from 'node:worker_threads';
import type { MailKind, SinkArrival } from './smtp-sink-thread';
import { createDemoApp, type DemoApp } from '../demo/app';
import { knexConfig } from '../demo/database';
import { closeServer, excerpt, percentile, redact, runMain } from './common';

// ---------------------------------------------------------------------------------------------
// Settings: `--name value` / `--name=value` on the command line, else the environment, else the default.

const cliArgs = new Map<string, string>();
for (let i = 2; i < process.argv.length; i++) {
  const arg = process.argv[i] as string;
  const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
  if (!match) throw new Error(`unknown argument "${arg}"; use --name value or --name=value (see bench/README.md)`);
  const value = match[2] ?? process.argv[++i];
  if (value === undefined) throw new Error(`--${match[1]} needs a value`);
  cliArgs.set(match[1] as string, value);
}

function setting(flag: string, env: string): string | undefined {
  const value = cliArgs.get(flag) ?? process.env[env];
  cliArgs.delete(flag);
  return value === '' ? undefined : value;
}

function numberSetting(flag: string, env: string, fallback: number, min: number, max: number, integer = true): number {
  const raw = setting(flag, env);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || (integer && !Number.isInteger(value)) || value < min || value > max) {
    throw new Error(`--${flag} / ${env} must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

const CUSTOMERS = numberSetting('customers', 'CUSTOMERS', 50, 1, 1000);
const DURATION_S = numberSetting('duration', 'DURATION', 20, 1, 3600, false);
const WARMUP_S = numberSetting('warmup', 'WARMUP', 3, 0, 600, false);
const DRAIN_S = numberSetting('drain', 'DRAIN_TIMEOUT', 120, 1, 3600, false);
const ROUNDS = numberSetting('rounds', 'ROUNDS', 1, 1, 20);
/** Offered load in tickets/s over all customers; 0 = each customer sends its next request as soon as the last is answered. */
const RATE = numberSetting('rate', 'RATE', 0, 0, 100_000, false);
const MODES = (setting('modes', 'MODES') ?? 'off,on').split(',').map((m) => m.trim());
if (MODES.length === 0 || MODES.some((m) => m !== 'off' && m !== 'on'))
  throw new Error('--modes / MODES is a comma-separated list of "off" and "on"');
const DEPARTMENT = setting('department', 'DEPARTMENT') ?? 'technical';
const CONFIRM = (setting('confirm', 'CONFIRM') ?? '1') !== '0';
const LOG = (setting('log', 'LOG') ?? '0') === '1';
/** Plugin mail settings to try other values with; unset means the plugin's default. */
const mailOverrides: Record<string, number> = {};
for (const [flag, env, key, integer] of [
  ['batch-size', 'MAIL_BATCH_SIZE', 'batchSize', true],
  ['poll-seconds', 'MAIL_POLL_SECONDS', 'pollSeconds', false],
  ['lease-seconds', 'MAIL_LEASE_SECONDS', 'leaseSeconds', false],
] as const) {
  const value = numberSetting(flag, env, NaN, integer ? 1 : 0.001, 3600, integer);
  if (!Number.isNaN(value)) mailOverrides[key] = value;
}
if (cliArgs.size > 0) throw new Error(`unknown option(s): ${[...cliArgs.keys()].map((k) => `--${k}`).join(', ')}`);

const REQUEST_TIMEOUT_MS = 60_000;
const DEPARTMENT_ADDRESSES: Record<string, string> = {
  client_relations: 'clients@bench.example',
  technical: 'tech@bench.example',
  emergency: 'emergency@bench.example',
};
const departmentAddressSet = new Set(Object.values(DEPARTMENT_ADDRESSES));

type Mode = 'off' | 'on';
type DbKind = 'sqlite' | 'postgres' | 'mysql';

function dbKind(url: string | undefined): DbKind {
  if (!url) return 'sqlite';
  if (/^postgres(ql)?:\/\//i.test(url)) return 'postgres';
  if (/^(mysql|mariadb):\/\//i.test(url)) return 'mysql';
  throw new Error('DATABASE_URL must be a postgres://, postgresql://, mysql:// or mariadb:// URL (or unset for SQLite)');
}

// ---------------------------------------------------------------------------------------------
// The plugin's and the demo's log lines (the demo's `logger` option): counted, not printed.
// One "sent" line per e-mail would flood the output; LOG=1 prints them all to stderr.

const logged = { sent: 0, retry: 0, failed: 0, other: [] as string[], otherCount: 0 };

function logLine(line: string): void {
  if (LOG) process.stderr.write(`${line}\n`);
  if (line.includes('support-requests mail: sent ')) logged.sent++;
  else if (line.includes('support-requests mail: retry ')) logged.retry++;
  else if (line.includes('support-requests mail: failed ')) logged.failed++;
  else if (!/ installed at |no SMTP settings and no host transport/.test(line)) {
    logged.otherCount++;
    if (logged.other.length < 5) logged.other.push(line);
  }
}

const benchLogger = { info: logLine, warn: logLine, error: logLine };

function out(line = ''): void {
  process.stdout.write(`${line}\n`);
}

// ---------------------------------------------------------------------------------------------
// The SMTP sink: smtp-server in a worker thread (smtp-sink-thread.ts), which tells this thread
// when each message's DATA ended and which ticket it is about.

interface Arrival {
  number: string | null;
  kind: MailKind;
  /** performance.now() when the message's DATA ended. */
  at: number;
}

class Sink {
  readonly arrivals: Arrival[] = [];
  /** Ticket number -> how many department e-mails / confirmations arrived for it. */
  readonly department = new Map<string, number>();
  readonly confirmation = new Map<string, number>();
  /** Ticket number -> when its first department e-mail / confirmation arrived. */
  readonly departmentAt = new Map<string, number>();
  readonly confirmationAt = new Map<string, number>();
  /** Called with the ticket number of each department e-mail or confirmation that arrives. */
  onArrival: (number: string) => void = () => {};
  private worker: Worker | null = null;
  port = 0;

  /** The SMTP server runs in a worker thread: a mail server never shares the panel's event loop. */
  async start(): Promise<void> {
    const worker = new Worker(path.join(__dirname, 'smtp-sink-thread.js'), {
      workerData: { departmentAddresses: [...departmentAddressSet] },
    });
    this.worker = worker;
    this.port = await new Promise<number>((resolve, reject) => {
      worker.once('error', reject);
      worker.once('message', (m: { port: number }) => resolve(m.port));
    });
    worker.on('message', (m: SinkArrival | { error: string }) => {
      if ('error' in m) logLine(`bench SMTP sink: ${m.error}`);
      // The worker's clock is absolute; this process's performance.now() counts from its own origin.
      else this.record(m.number, m.kind, m.at - performance.timeOrigin);
    });
  }

  private record(number: string | null, kind: MailKind, at: number): void {
    this.arrivals.push({ number, kind, at });
    if (!number || kind === 'other') return;
    const counts = kind === 'department' ? this.department : this.confirmation;
    const firstAt = kind === 'department' ? this.departmentAt : this.confirmationAt;
    counts.set(number, (counts.get(number) ?? 0) + 1);
    if (!firstAt.has(number)) firstAt.set(number, at);
    this.onArrival(number);
  }

  reset(): void {
    this.arrivals.length = 0;
    this.department.clear();
    this.confirmation.clear();
    this.departmentAt.clear();
    this.confirmationAt.clear();
    this.onArrival = () => {};
  }

  async stop(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    if (!worker) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage('stop');
    await exited;
  }
}

// ---------------------------------------------------------------------------------------------
// HTTP client: one keep-alive agent, one socket per customer.

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  /** performance.now() when the whole answer was in. */
  at: number;
}

function send(agent: http.Agent, url: string, method: string, headers: http.OutgoingHttpHeaders, body?: Buffer): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, agent, headers: body ? { ...headers, 'Content-Length': body.length } : headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8'), at: performance.now() }),
      );
      res.on('error', reject);
    });
    req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error(`no answer in ${REQUEST_TIMEOUT_MS} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** multipart/form-data, as a browser sends the create form. */
function multipart(fields: Record<string, string>): { body: Buffer; contentType: string } {
  const boundary = `----mail-bench-${crypto.randomBytes(12).toString('hex')}`;
  const parts = Object.entries(fields).map(
    ([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
  );
  return { body: Buffer.from(`${parts.join('')}--${boundary}--\r\n`), contentType: `multipart/form-data; boundary=${boundary}` };
}

function cookieFrom(reply: Reply, name: string): string | undefined {
  for (const c of reply.headers['set-cookie'] ?? []) {
    const pair = c.split(';')[0] as string;
    if (pair.startsWith(`${name}=`)) return pair;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Bench customers: real rows in the demo panel's own tables (panel_users, panel_services), so the
// demo's identity and services lookups run as for its seeded accounts.

interface BenchCustomer {
  userId: string;
  serviceId: string;
}

interface SignedIn {
  customer: BenchCustomer;
  cookie: string;
  csrf: string;
}

function customerEmail(runId: string, i: number): string {
  return `bench-${runId}-${i}@bench.example`;
}

async function addCustomers(knex: Knex, runId: string): Promise<BenchCustomer[]> {
  const emails = Array.from({ length: CUSTOMERS }, (_, i) => customerEmail(runId, i + 1));
  await knex.batchInsert(
    'panel_users',
    emails.map((email, i) => ({
      name: i % 2 === 0 ? `Клиент Бенч ${i + 1}` : `Bench Customer ${i + 1}`,
      email,
      role: 'client',
      locale: i % 2 === 0 ? 'ru' : 'en',
      departments: null,
    })),
    100,
  );
  const users = (await knex('panel_users').whereIn('email', emails).select('id', 'email')) as Array<{ id: number | string; email: string }>;
  if (users.length !== CUSTOMERS) throw new Error(`inserted ${CUSTOMERS} bench customers, found ${users.length}`);
  await knex.batchInsert(
    'panel_services',
    users.map((u) => ({ user_id: Number(u.id), label: `VPS Bench-${String(u.id)}`, kind: 'vps', status: 'active' })),
    100,
  );
  const services = (await knex('panel_services')
    .whereIn(
      'user_id',
      users.map((u) => Number(u.id)),
    )
    .select('id', 'user_id')) as Array<{ id: number | string; user_id: number | string }>;
  const serviceOf = new Map(services.map((s) => [String(s.user_id), String(s.id)]));
  return users.map((u) => ({ userId: String(u.id), serviceId: serviceOf.get(String(u.id)) ?? '' }));
}

async function removeCustomers(knex: Knex, runId: string): Promise<void> {
  const ids = (await knex('panel_users').where('email', 'like', `bench-${runId}-%@bench.example`).pluck('id')) as Array<number | string>;
  for (let i = 0; i < ids.length; i += 200) {
    const chunk = ids.slice(i, i + 200).map(Number);
    await knex('panel_services').whereIn('user_id', chunk).delete();
    await knex('panel_users').whereIn('id', chunk).delete();
  }
}

/** Signs in the way a browser does: the sign-in page's CSRF token, POST /login, then the plugin's create form. */
async function signIn(agent: http.Agent, base: string, mountPath: string, customer: BenchCustomer): Promise<SignedIn> {
  const page = await send(agent, `${base}/login`, 'GET', {});
  const preCookie = cookieFrom(page, 'panel_sid');
  const hostCsrf = /name="_csrf"\s+value="([^"]+)"/.exec(page.text)?.[1];
  if (page.status !== 200 || !preCookie || !hostCsrf)
    throw new Error(`GET /login answered ${page.status} without a session cookie or CSRF token`);
  const form = new URLSearchParams({ _csrf: hostCsrf, userId: customer.userId, next: `${mountPath}/new` }).toString();
  const login = await send(
    agent,
    `${base}/login`,
    'POST',
    { Cookie: preCookie, 'Content-Type': 'application/x-www-form-urlencoded' },
    Buffer.from(form),
  );
  const cookie = cookieFrom(login, 'panel_sid');
  if (login.status !== 303 || !cookie)
    throw new Error(`POST /login as user ${customer.userId} answered ${login.status}: ${excerpt(login.text)}`);
  const create = await send(agent, `${base}${mountPath}/new`, 'GET', { Cookie: cookie });
  const csrf = /action="[^"]*[?&](?:amp;)?_csrf=([^"&]+)"/.exec(create.text)?.[1];
  if (create.status !== 200 || !csrf)
    throw new Error(`GET ${mountPath}/new answered ${create.status} without a CSRF token: ${excerpt(create.text)}`);
  return { customer, cookie, csrf: decodeURIComponent(csrf) };
}

// ---------------------------------------------------------------------------------------------
// One run: a fresh demo panel (fresh plugin tables), e-mail off or on, warm-up, the measured window, drain.

let stopping = false;

interface Created {
  /** performance.now() when the create answer was in. */
  at: number;
  measured: boolean;
}

interface RunResult {
  mode: Mode;
  round: number;
  ok: number;
  failed: number;
  seconds: number;
  createMs: number[];
  samples: string[];
  /** Department e-mail arrival minus create response, per measured ticket that got one. */
  arrivalMs: number[];
  confirmationMs: number[];
  measuredTickets: number;
  missingDepartment: number;
  missingConfirmation: number;
  duplicateDepartment: number;
  duplicateConfirmation: number;
  /** E-mails for tickets whose create answer the client never got, or unrecognised. */
  strayMail: number;
  /** Department e-mails of the window's tickets not yet arrived when the window closed. */
  backlogAtEnd: number;
  /** E-mails (any kind) that arrived during the window, per second. */
  mailPerSecond: number;
  /** Share of all CPUs busy during the window, every process included (Linux), or NaN. */
  machineBusy: number;
  /** This process's CPU time (user + system) per ticket created in the window, in ms. */
  cpuPerTicketMs: number;
  /** This process's CPU time per e-mail that arrived during the drain after the window, in ms (NaN when few did). */
  cpuPerDrainedMailMs: number;
  /** Event-loop delay during the window (the panel, the client and the sink share one loop): p50, p99, max in ms. */
  loopDelayMs: [number, number, number];
  drainSeconds: number;
  drained: boolean;
  outbox: Record<string, number>;
  logged: { sent: number; retry: number; failed: number };
}

const ms = (v: number) => (Number.isNaN(v) ? 'n/a' : Math.abs(v) < 10 ? `${v.toFixed(2)} ms` : `${v.toFixed(0)} ms`);

/** Busy and total jiffies of all CPUs (Linux /proc/stat), or null elsewhere. */
function machineCpu(): { busy: number; total: number } | null {
  try {
    const fields = (fs.readFileSync('/proc/stat', 'utf8').split('\n')[0] as string).trim().split(/\s+/).slice(1).map(Number);
    const total = fields.slice(0, 8).reduce((a, b) => a + b, 0);
    const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
    return { busy: total - idle, total };
  } catch {
    return null;
  }
}

function sleep(msTime: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, msTime));
}

async function outboxCounts(knex: Knex, table: string): Promise<Record<string, number>> {
  const rows = (await knex(table).select('status').count({ n: '*' }).groupBy('status')) as Array<{ status: string; n: unknown }>;
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

interface RunContext {
  kind: DbKind;
  databaseUrl: string | undefined;
  tempDir: string;
  runId: string;
  sink: Sink;
}

async function run(ctx: RunContext, mode: Mode, round: number): Promise<RunResult> {
  const { sink } = ctx;
  const tag = `${mode === 'on' ? 'n' : 'f'}${round}`;
  const tablePrefix = `m${ctx.runId}${tag}_`;
  const dataDir = fs.mkdtempSync(path.join(ctx.tempDir, `data-${tag}-`));
  const databaseUrl = ctx.databaseUrl ?? path.join(ctx.tempDir, `panel-${tag}.sqlite`);
  const agent = new http.Agent({ keepAlive: true, maxSockets: CUSTOMERS, maxFreeSockets: CUSTOMERS });
  const server = http.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const base = `http://127.0.0.1:${port}`;

  // Did the demo's own tables exist before? If this run creates them, it drops them at the end.
  let hostTablesExisted = true;
  if (ctx.kind !== 'sqlite') {
    const probe = knexFactory(knexConfig(databaseUrl));
    try {
      hostTablesExisted = (await probe.schema.hasTable('panel_users')) && (await probe.schema.hasTable('panel_services'));
    } finally {
      await probe.destroy();
    }
  }

  const mail: Record<string, unknown> = {
    from: { address: 'support@bench.example', name: 'Bench support' },
    confirmToCustomer: CONFIRM,
    ...mailOverrides,
  };
  // E-mail off: no SMTP settings and no host transport, so the plugin's dispatcher sends nothing
  // and every e-mail stays queued. Composing and queuing it in the create transaction still runs.
  if (mode === 'on') mail.smtp = { host: '127.0.0.1', port: sink.port, secure: false };
  const pluginSettings = {
    tablePrefix,
    defaultLocale: 'ru',
    departments: Object.fromEntries(Object.entries(DEPARTMENT_ADDRESSES).map(([code, address]) => [code, { emails: [address] }])),
    mail,
    // Each bench customer opens hundreds of requests a minute.
    limits: { newTicketsPerHour: 0 },
  };

  sink.reset();
  let demo: DemoApp | undefined;
  const cleanup: string[] = [];
  try {
    demo = await createDemoApp({ databaseUrl, dataDir, port, pluginSettings, logger: benchLogger });
    server.on('request', demo.app);
    const mountPath = demo.plugin.mountPath;
    const outboxTable = `${tablePrefix}outbox`;

    const department = (await demo.knex(`${tablePrefix}departments`).where({ code: DEPARTMENT }).first('id', 'is_urgent')) as
      { id: number | string; is_urgent: unknown } | undefined;
    if (!department) throw new Error(`no department "${DEPARTMENT}" in ${tablePrefix}departments`);
    const departmentId = String(department.id);

    const customers = await addCustomers(demo.knex, ctx.runId);
    const signedIn: SignedIn[] = [];
    for (const customer of customers) signedIn.push(await signIn(agent, base, mountPath, customer));

    const created = new Map<string, Created>();
    const createdPath = new RegExp(`^${mountPath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/(\\d+)\\?created=1$`);
    const createMs: number[] = [];
    const samples: string[] = [];
    let ok = 0;
    let failed = 0;
    let seq = 0;
    // Tickets whose e-mails (department, and confirmation when on) have all arrived.
    const complete = new Set<string>();
    const check = (number: string) => {
      if (created.has(number) && sink.department.has(number) && (!CONFIRM || sink.confirmation.has(number))) complete.add(number);
    };
    sink.onArrival = check;

    const load = async (until: number, measured: boolean) => {
      const from = performance.now();
      await Promise.all(
        signedIn.map(async (who, w) => {
          for (let k = 0; !stopping; k++) {
            if (RATE > 0) {
              // Customer w's k-th request is due at from + (k * CUSTOMERS + w) / RATE; late ones go at once.
              const due = from + ((k * CUSTOMERS + w) / RATE) * 1000;
              if (due >= until) break;
              const wait = due - performance.now();
              if (wait > 0) await sleep(wait);
            }
            if (performance.now() >= until) break;
            const i = seq++;
            const { body, contentType } = multipart({
              subject: `Bench ticket ${i}: сайт не открывается`,
              serviceId: who.customer.serviceId,
              departmentId,
              message: `С утра сайт отдаёт 502, request ${i}. Since this morning the site answers 502 on every page.`,
            });
            const t0 = performance.now();
            let problem: string | null = null;
            try {
              const res = await send(
                agent,
                `${base}${mountPath}/?_csrf=${encodeURIComponent(who.csrf)}`,
                'POST',
                { Cookie: who.cookie, 'Content-Type': contentType },
                body,
              );
              const number = createdPath.exec(res.headers.location ?? '')?.[1];
              if (res.status === 303 && number) {
                created.set(number, { at: res.at, measured });
                check(number);
              } else problem = `expected 303 to the new ticket, got ${res.status} ${res.headers.location ?? ''} ${excerpt(res.text)}`;
            } catch (err) {
              problem = (err as Error).message ?? String(err);
            }
            if (!measured) continue;
            createMs.push(performance.now() - t0);
            if (problem === null) ok++;
            else {
              failed++;
              if (samples.length < 5) samples.push(problem);
            }
          }
        }),
      );
    };

    /** Waits until every created ticket's e-mails arrived (e-mail on), at most DRAIN_S. */
    const drain = async (): Promise<boolean> => {
      const until = performance.now() + DRAIN_S * 1000;
      while (complete.size < created.size) {
        if (stopping || performance.now() > until) return false;
        await sleep(20);
      }
      return true;
    };

    if (WARMUP_S > 0) {
      await load(performance.now() + WARMUP_S * 1000, false);
      if (mode === 'on') await drain();
    }

    const loopDelay = monitorEventLoopDelay({ resolution: 10 });
    loopDelay.enable();
    const cpuStart = process.cpuUsage();
    const machineStart = machineCpu();
    const start = performance.now();
    await load(start + DURATION_S * 1000, true);
    const end = performance.now();
    const cpuWindow = process.cpuUsage(cpuStart);
    const machineEnd = machineCpu();
    const machineBusy =
      machineStart && machineEnd ? (machineEnd.busy - machineStart.busy) / Math.max(1, machineEnd.total - machineStart.total) : NaN;
    loopDelay.disable();
    const mailInWindow = sink.arrivals.filter((a) => a.at >= start && a.at <= end).length;
    const measuredNumbers = [...created].filter(([, c]) => c.measured);
    const backlogAtEnd = measuredNumbers.filter(([n]) => !(sink.departmentAt.get(n)! <= end)).length;

    const drainStart = performance.now();
    const mailBeforeDrain = sink.arrivals.length;
    const cpuDrainStart = process.cpuUsage();
    const drained = mode === 'on' ? await drain() : true;
    const cpuDrain = process.cpuUsage(cpuDrainStart);
    const drainedMail = sink.arrivals.length - mailBeforeDrain;
    const drainSeconds = (performance.now() - drainStart) / 1000;
    if (mode === 'on') await sleep(300); // anything sent twice would show up now

    const arrivalMs: number[] = [];
    const confirmationMs: number[] = [];
    let missingDepartment = 0;
    let missingConfirmation = 0;
    let duplicateDepartment = 0;
    let duplicateConfirmation = 0;
    for (const [number, c] of measuredNumbers) {
      const d = sink.departmentAt.get(number);
      if (d === undefined) missingDepartment++;
      else arrivalMs.push(d - c.at);
      const k = sink.confirmationAt.get(number);
      if (k === undefined) missingConfirmation++;
      else confirmationMs.push(k - c.at);
    }
    for (const count of sink.department.values()) duplicateDepartment += Math.max(0, count - 1);
    for (const count of sink.confirmation.values()) duplicateConfirmation += Math.max(0, count - 1);
    const strayMail = sink.arrivals.filter((a) => a.kind === 'other' || !a.number || !created.has(a.number)).length;
    const outbox = await outboxCounts(demo.knex, outboxTable);

    return {
      mode,
      round,
      ok,
      failed,
      seconds: (end - start) / 1000,
      createMs,
      samples,
      arrivalMs,
      confirmationMs,
      measuredTickets: measuredNumbers.length,
      missingDepartment: mode === 'on' ? missingDepartment : 0,
      missingConfirmation: mode === 'on' && CONFIRM ? missingConfirmation : 0,
      duplicateDepartment,
      duplicateConfirmation,
      strayMail,
      backlogAtEnd: mode === 'on' ? backlogAtEnd : 0,
      mailPerSecond: mailInWindow / ((end - start) / 1000),
      machineBusy,
      cpuPerTicketMs: (cpuWindow.user + cpuWindow.system) / 1000 / Math.max(1, ok),
      cpuPerDrainedMailMs: drainedMail >= 100 ? (cpuDrain.user + cpuDrain.system) / 1000 / drainedMail : NaN,
      loopDelayMs: [loopDelay.percentile(50) / 1e6, loopDelay.percentile(99) / 1e6, loopDelay.max / 1e6],
      drainSeconds,
      drained,
      outbox,
      logged: { sent: logged.sent, retry: logged.retry, failed: logged.failed },
    };
  } finally {
    // Each step on its own, so one failure does not skip the rest.
    const step = async (what: string, fn: () => Promise<unknown>) => {
      try {
        await fn();
      } catch (err) {
        cleanup.push(`${what}: ${(err as Error)?.message ?? String(err)}`);
      }
    };
    agent.destroy();
    await step('close server', () => closeServer(server));
    if (demo) {
      const d = demo;
      // The dispatcher stops first (waiting for sends in flight), then the tables go.
      await step('plugin.close()', () => d.plugin.close());
      if (ctx.kind !== 'sqlite') {
        await step('plugin.rollback()', () => d.plugin.rollback());
        if (hostTablesExisted) await step('remove bench customers', () => removeCustomers(d.knex, ctx.runId));
        else {
          await step('drop panel_services', () => d.knex.schema.dropTableIfExists('panel_services'));
          await step('drop panel_users', () => d.knex.schema.dropTableIfExists('panel_users'));
        }
      }
      await step('demo.close()', () => d.close());
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
    logged.sent = 0;
    logged.retry = 0;
    logged.failed = 0;
    // eslint-disable-next-line no-unsafe-finally -- a cleanup that failed must fail the run, even one that passed
    if (cleanup.length > 0) throw new Error(`cleanup after the e-mail ${mode} run failed: ${cleanup.join('; ')}`);
  }
}

// ---------------------------------------------------------------------------------------------

function describeRun(r: RunResult): string[] {
  const sorted = [...r.createMs].sort((a, b) => a - b);
  const rate = r.ok / r.seconds;
  const lines = [
    `e-mail ${r.mode.padEnd(3)}${ROUNDS > 1 ? ` (round ${r.round})` : ''}: ${rate.toFixed(0)} tickets/s, create p50 ${ms(percentile(sorted, 50))}, p99 ${ms(percentile(sorted, 99))}` +
      ` (${r.ok} created in ${r.seconds.toFixed(2)} s, ${r.failed} failed)`,
    `  during the window: this process ${ms(r.cpuPerTicketMs)} CPU per ticket, event-loop delay p50 ${ms(r.loopDelayMs[0])}, p99 ${ms(r.loopDelayMs[1])}` +
      (Number.isNaN(r.machineBusy) ? '' : `; machine ${(r.machineBusy * 100).toFixed(0)} % busy (${os.cpus().length} CPUs, every process)`),
  ];
  const outbox =
    Object.entries(r.outbox)
      .map(([s, n]) => `${n} ${s}`)
      .join(', ') || 'empty';
  if (r.mode === 'off') {
    lines.push(`  outbox after the run: ${outbox}${r.outbox.sent ? '  <-- e-mail was NOT off: something sent it' : ''}`);
    return lines;
  }
  const a = [...r.arrivalMs].sort((x, y) => x - y);
  const c = [...r.confirmationMs].sort((x, y) => x - y);
  lines.push(
    `  department e-mail arrival after the create response: p50 ${ms(percentile(a, 50))}, p99 ${ms(percentile(a, 99))}, max ${ms(a[a.length - 1] ?? NaN)} (min ${ms(a[0] ?? NaN)}, ${a.length} e-mails)`,
  );
  if (CONFIRM)
    lines.push(
      `  customer confirmation arrival:                       p50 ${ms(percentile(c, 50))}, p99 ${ms(percentile(c, 99))}, max ${ms(c[c.length - 1] ?? NaN)}`,
    );
  lines.push(
    `  e-mails: ${r.measuredTickets} tickets, ${r.arrivalMs.length} department e-mails (${r.missingDepartment} missing, ${r.duplicateDepartment} duplicate)` +
      (CONFIRM
        ? `, ${r.confirmationMs.length} confirmations (${r.missingConfirmation} missing, ${r.duplicateConfirmation} duplicate)`
        : '') +
      (r.strayMail ? `, ${r.strayMail} stray` : ''),
    `  delivery: ${r.mailPerSecond.toFixed(0)} e-mails/s arrived during the window (${((r.ok * (CONFIRM ? 2 : 1)) / r.seconds).toFixed(0)}/s queued); ` +
      `${r.backlogAtEnd} department e-mails not yet arrived at the window's end; ${r.drained ? `drained in ${r.drainSeconds.toFixed(1)} s` : `NOT drained after ${DRAIN_S} s`}` +
      (Number.isNaN(r.cpuPerDrainedMailMs) ? '' : ` (${ms(r.cpuPerDrainedMailMs)} CPU per e-mail while draining)`),
    `  outbox after the run: ${outbox}; plugin log: ${r.logged.sent} sent, ${r.logged.retry} retry, ${r.logged.failed} failed`,
  );
  return lines;
}

async function main(): Promise<number> {
  const databaseUrl = process.env.DATABASE_URL || undefined;
  const kind = dbKind(databaseUrl);
  const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'support-mail-bench-'));
  const runId = crypto.randomBytes(4).toString('hex');
  const sink = new Sink();
  const results: RunResult[] = [];
  let exitCode = 0;

  const perRun = WARMUP_S + DURATION_S + 2 * DRAIN_S + 60;
  setTimeout(
    () => {
      console.error(`bench: still running ${perRun * ROUNDS * MODES.length} s after start, giving up`);
      process.exit(3);
    },
    perRun * ROUNDS * MODES.length * 1000,
  ).unref();
  process.once('SIGINT', () => {
    process.stderr.write('bench: interrupted, finishing the requests in flight and cleaning up (Ctrl-C again to quit at once)\n');
    stopping = true;
    process.once('SIGINT', () => process.exit(130));
  });

  out(`node ${process.version}, ${os.platform()} ${os.arch()}, ${os.cpus().length} CPUs, NODE_ENV=${process.env.NODE_ENV ?? '(unset)'}`);
  out(
    `database: ${kind === 'sqlite' ? `sqlite (a new file per run under ${tempDir})` : `${kind} (${redact(databaseUrl as string)}, pool 10), plugin tables prefixed m${runId}<run>_`}`,
  );
  out(
    `customers=${CUSTOMERS} (one signed-in session each, all at once), duration=${DURATION_S} s per run, warm-up=${WARMUP_S} s (not measured), ` +
      `${RATE > 0 ? `offered load ${RATE} tickets/s, ` : ''}department=${DEPARTMENT}, confirmation to customer ${CONFIRM ? 'on' : 'off'}, runs: ${Array.from({ length: ROUNDS }, () => MODES.join(' ')).join(' | ')}`,
  );
  out(
    `mail settings: ${Object.keys(mailOverrides).length ? JSON.stringify(mailOverrides) : 'plugin defaults (batchSize 50, pollSeconds 5, leaseSeconds 120)'}; SMTP sink: smtp-server in a worker thread`,
  );

  try {
    await sink.start();
    for (let round = 1; round <= ROUNDS && !stopping; round++) {
      for (const mode of MODES as Mode[]) {
        if (stopping) break;
        const r = await run({ kind, databaseUrl, tempDir, runId, sink }, mode, round);
        results.push(r);
        for (const line of describeRun(r)) out(line);
      }
    }

    const sum = (mode: Mode) => {
      const rs = results.filter((r) => r.mode === mode);
      const seconds = rs.reduce((s, r) => s + r.seconds, 0);
      return rs.length && seconds > 0 ? rs.reduce((s, r) => s + r.ok, 0) / seconds : NaN;
    };
    const off = sum('off');
    const on = sum('on');
    const arrivals = results
      .filter((r) => r.mode === 'on')
      .flatMap((r) => r.arrivalMs)
      .sort((a, b) => a - b);
    out('summary:');
    out(`  tickets/s: e-mail off ${off.toFixed(0)}, e-mail on ${on.toFixed(0)}`);
    const ratio = on / off;
    if (Number.isFinite(ratio))
      out(`  throughput with e-mail / without: ${ratio.toFixed(2)} (target >= 0.80: ${ratio >= 0.8 ? 'met' : 'MISSED'})`);
    if (arrivals.length > 0) {
      const p99 = percentile(arrivals, 99);
      out(
        `  department e-mail arrival: p50 ${ms(percentile(arrivals, 50))}, p99 ${ms(p99)}, max ${ms(arrivals[arrivals.length - 1] as number)} (target p99 < 1000 ms: ${p99 < 1000 ? 'met' : 'MISSED'})`,
      );
    }
    const failed = results.reduce((s, r) => s + r.failed, 0);
    const lost = results.reduce((s, r) => s + r.missingDepartment + r.missingConfirmation, 0);
    const dup = results.reduce((s, r) => s + r.duplicateDepartment + r.duplicateConfirmation, 0);
    const notOff = results.filter((r) => r.mode === 'off' && r.outbox.sent).length;
    // After the drain, every outbox row of an "on" run must be sent: pending means retries, failed means refused.
    const unsent = results
      .filter((r) => r.mode === 'on')
      .reduce((s, r) => s + Object.entries(r.outbox).reduce((n, [status, c]) => n + (status === 'sent' ? 0 : c), 0), 0);
    out(
      `errors: ${failed} failed requests, ${lost} e-mails missing, ${dup} duplicates, ${unsent} outbox rows not sent after the drain` +
        (notOff ? `, ${notOff} "off" run(s) sent mail` : ''),
    );
    for (const r of results) for (const s of r.samples) out(`  e-mail ${r.mode}: ${s}`);
    if (logged.otherCount > 0) out(`the plugin/panel logged ${logged.otherCount} other line(s), first ones:`);
    for (const line of logged.other) out(`  ${line.split('\n')[0]?.slice(0, 300)}`);
    if (failed > 0 || lost > 0 || dup > 0 || unsent > 0 || notOff > 0) exitCode = 1;
  } catch (err) {
    out(`bench failed: ${(err as Error)?.stack ?? String(err)}`);
    for (const line of logged.other) out(`  logged: ${line.split('\n')[0]?.slice(0, 300)}`);
    exitCode = 1;
  } finally {
    try {
      await sink.stop();
    } catch (err) {
      out(`bench: cleanup "stop SMTP sink" failed: ${(err as Error)?.message}`);
      exitCode = exitCode || 1;
    }
    fs.rmSync(tempDir, { recursive: true, force: true });
  }
  return exitCode;
}

runMain(main);
