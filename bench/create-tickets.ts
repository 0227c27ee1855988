// Throughput and latency of creating tickets through the plugin over real HTTP, compared with a
// bare express + knex route that inserts one row of the same columns on the same database.
//
//   npm run build && node dist/bench/create-tickets.js
//   N=500 C=8 DATABASE_URL=postgres://postgres@127.0.0.1:5432/test node dist/bench/create-tickets.js
//
// Everything runs in this one process on 127.0.0.1: a minimal host with the plugin mounted, the
// baseline app, and a keep-alive http.Agent client. See bench/README.md for how to read the output.
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import knexFactory, { type Knex } from 'knex';
import nodemailer from 'nodemailer';
import { activate, HOST_API_VERSION, type ActivatedPlugin, type HostService, type HostUser, type SupportHost } from '../src';
import { closeServer, excerpt, percentile, redact, runMain } from './common';

// ---------------------------------------------------------------------------------------------
// Settings from the environment

function intFromEnv(name: string, fallback: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new Error(`${name} must be an integer from 1 to ${max}, got "${raw}"`);
  }
  return value;
}

const N = intFromEnv('N', 2000, 1_000_000);
const C = intFromEnv('C', 16, 1024);
const N_FILES = Math.max(1, Math.floor(N / 10));
const WARMUP = Math.min(N, intFromEnv('WARMUP', 50, 100_000));
/** The whole measurement stops issuing requests after this many seconds (what was not sent counts as failed). */
const TIME_LIMIT_S = intFromEnv('TIME_LIMIT', 600, 86_400);
const REQUEST_TIMEOUT_MS = 30_000;
const CUSTOMER_COUNT = 4;
const FILE_SIZE = 100 * 1024;

type DbKind = 'sqlite' | 'postgres' | 'mysql';

interface Database {
  kind: DbKind;
  /** For the report: never contains a password. */
  description: string;
  knex: Knex;
  /** A folder to remove at the end (SQLite's), if any. */
  tempDir?: string;
}

function openDatabase(): Database {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'support-bench-db-'));
    const filename = path.join(tempDir, 'bench.sqlite');
    const knex = knexFactory({ client: 'better-sqlite3', connection: { filename }, useNullAsDefault: true });
    return { kind: 'sqlite', description: `sqlite (${filename})`, knex, tempDir };
  }
  const pool = { min: 0, max: 10 };
  if (/^postgres(ql)?:\/\//i.test(url)) {
    return { kind: 'postgres', description: `postgres (${redact(url)}, pool ${pool.max})`, knex: knexFactory({ client: 'pg', connection: url, pool }) };
  }
  if (/^(mysql|mariadb):\/\//i.test(url)) {
    const uri = url.replace(/^mariadb:/i, 'mysql:');
    const connection = { uri, charset: 'utf8mb4' } as Knex.MySql2ConnectionConfig;
    return { kind: 'mysql', description: `mysql (${redact(url)}, pool ${pool.max})`, knex: knexFactory({ client: 'mysql2', connection, pool }) };
  }
  throw new Error('DATABASE_URL must be a postgres://, postgresql://, mysql:// or mariadb:// URL (or unset for SQLite)');
}

// ---------------------------------------------------------------------------------------------
// The customers and a minimal host: cookie sessions kept in memory, the plugin's page in a bare layout.

interface Customer {
  key: string;
  user: HostUser;
  services: HostService[];
}

const customers: Customer[] = Array.from({ length: CUSTOMER_COUNT }, (_, i) => ({
  key: `cust${i + 1}`,
  user: {
    id: `bench-c${i + 1}`,
    role: 'client',
    name: i % 2 === 0 ? `Клиент Номер ${i + 1}` : `Customer Number ${i + 1}`,
    email: `customer${i + 1}@bench.example`,
    locale: i % 2 === 0 ? 'ru' : 'en',
  },
  services: [
    { id: `svc-${i + 1}01`, label: `VPS Cloud-${i + 1}`, status: 'active', kind: 'vps' },
    { id: `svc-${i + 1}02`, label: `shop-${i + 1}.example`, status: 'active', kind: 'domain' },
  ],
}));

const SESSION_COOKIE = 'bench_sid';

interface Session {
  user: HostUser;
  state: Map<string, string>;
}

interface Host {
  app: express.Express;
  plugin: ActivatedPlugin;
  errorsLogged: string[];
}

function cookie(req: express.Request, name: string): string | undefined {
  for (const part of (req.get('cookie') ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

async function startHost(knex: Knex, tablePrefix: string, dataDir: string): Promise<Host> {
  const sessions = new Map<string, Session>();
  const sessionOf = (req: express.Request): Session | undefined => {
    const sid = cookie(req, SESSION_COOKIE);
    return sid === undefined ? undefined : sessions.get(sid);
  };
  const errorsLogged: string[] = [];
  const host: SupportHost = {
    apiVersion: HOST_API_VERSION,
    knex,
    dataDir,
    currentUser: (req) => sessionOf(req)?.user ?? null,
    servicesOf: async (customerId) => customers.find((c) => c.user.id === customerId)?.services ?? [],
    session(req) {
      const state = sessionOf(req)?.state ?? new Map<string, string>();
      return { get: (k) => state.get(k), set: (k, v) => void (v === undefined ? state.delete(k) : state.set(k, v)) };
    },
    render(_req, res, page) {
      res.status(page.status ?? 200).type('html').send(`<!doctype html><title>${page.title}</title><main>${page.html}</main>`);
    },
    // Mail the plugin sends goes nowhere: serialised in memory, no network.
    mail: { transport: nodemailer.createTransport({ jsonTransport: true }), from: 'support@bench.example' },
    logger: { info: () => {}, warn: () => {}, error: (m) => void errorsLogged.push(m) },
  };
  // Migrations are run by the caller, once it holds the plugin (so a failed migrate is still rolled back).
  // Four customers open thousands of requests: no hourly limit.
  const plugin = await activate(host, { tablePrefix, limits: { newTicketsPerHour: 0 } });

  const app = express();
  app.disable('x-powered-by');
  // The host's sign-in: a new session for a known customer.
  app.post('/login/:key', (req, res) => {
    const customer = customers.find((c) => c.key === req.params.key);
    if (!customer) return void res.sendStatus(404);
    const sid = crypto.randomBytes(16).toString('hex');
    sessions.set(sid, { user: customer.user, state: new Map() });
    res.set('Set-Cookie', `${SESSION_COOKIE}=${sid}; Path=/; HttpOnly; SameSite=Lax`).sendStatus(204);
  });
  app.use(plugin.mountPath, plugin.router);
  return { app, plugin, errorsLogged };
}

// ---------------------------------------------------------------------------------------------
// The baseline: a bare express app with one POST route inserting one row of the same columns.

const BASELINE_PATH = '/baseline/tickets';

async function createBaselineTable(knex: Knex, table: string, kind: DbKind): Promise<void> {
  await knex.schema.createTable(table, (t) => {
    if (kind === 'mysql') {
      t.charset('utf8mb4');
      t.collate('utf8mb4_unicode_ci');
    }
    t.increments('id').primary();
    // The ticket's columns...
    t.string('number', 12).notNullable();
    t.string('customer_id', 64).notNullable();
    t.string('customer_name', 200).notNullable();
    t.string('customer_email', 254).notNullable();
    t.string('customer_locale', 8).nullable();
    t.string('service_id', 64).nullable();
    t.string('service_label', 200).nullable();
    t.integer('department_id').unsigned().notNullable();
    t.string('subject', 200).notNullable();
    t.string('status', 16).notNullable();
    t.string('priority', 8).notNullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
    t.bigInteger('last_reply_at').nullable();
    t.bigInteger('closed_at').nullable();
    // ...and its first message's.
    t.string('author_kind', 16).notNullable();
    t.string('author_id', 64).notNullable();
    t.string('author_name', 200).notNullable();
    t.text('body', 'mediumtext').notNullable();
    t.unique(['number'], { indexName: `${table}_num_uq` });
    t.index(['customer_id', 'updated_at', 'id'], `${table}_cust`);
  });
}

function baselineApp(knex: Knex, table: string): express.Express {
  const app = express();
  app.disable('x-powered-by');
  let sequence = 10_000_000;
  app.post(BASELINE_PATH, express.urlencoded({ extended: false, limit: '200kb' }), async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const field = (name: string) => (typeof body[name] === 'string' ? (body[name] as string) : '');
    const customer = customers.find((c) => c.key === field('customer'));
    const subject = field('subject').trim();
    const message = field('message');
    const departmentId = Number(field('departmentId'));
    if (!customer || !subject || !message || !Number.isInteger(departmentId)) return void res.sendStatus(422);
    const service = customer.services.find((s) => s.id === field('serviceId')) ?? null;
    const number = String(++sequence);
    const at = Date.now();
    await knex.transaction((trx) =>
      trx(table).insert({
        number,
        customer_id: customer.user.id,
        customer_name: customer.user.name,
        customer_email: customer.user.email,
        customer_locale: customer.user.locale ?? null,
        service_id: service?.id ?? null,
        service_label: service?.label ?? null,
        department_id: departmentId,
        subject,
        status: 'new',
        priority: 'normal',
        created_at: at,
        updated_at: at,
        last_reply_at: null,
        closed_at: null,
        author_kind: 'customer',
        author_id: customer.user.id,
        author_name: customer.user.name,
        body: message,
      }),
    );
    res.redirect(303, `${BASELINE_PATH}/${number}`);
  });
  return app;
}

// ---------------------------------------------------------------------------------------------
// HTTP: servers on ephemeral ports, one keep-alive agent for every request.

async function listen(app: express.Express): Promise<{ server: http.Server; base: string }> {
  const server = http.createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return { server, base: `http://127.0.0.1:${port}` };
}

const agent = new http.Agent({ keepAlive: true, maxSockets: C, maxFreeSockets: C });

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

function send(url: string, method: string, headers: http.OutgoingHttpHeaders, body?: Buffer): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, agent, headers: body ? { ...headers, 'Content-Length': body.length } : headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error(`no answer in ${REQUEST_TIMEOUT_MS} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

interface Part {
  name: string;
  value: string | { filename: string; contentType: string; data: Buffer };
}

/** multipart/form-data, as a browser sends the create form. */
function multipart(parts: Part[]): { body: Buffer; contentType: string } {
  const boundary = `----support-bench-${crypto.randomBytes(12).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    if (typeof part.value === 'string') {
      chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"\r\n\r\n${part.value}\r\n`));
    } else {
      chunks.push(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"; filename="${part.value.filename}"\r\n` +
            `Content-Type: ${part.value.contentType}\r\n\r\n`,
        ),
        part.value.data,
        Buffer.from('\r\n'),
      );
    }
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** A ~100 KB server log: plain UTF-8 text, as customers attach. */
function sampleLog(size: number): Buffer {
  const lines: string[] = [];
  let length = 0;
  for (let i = 0; length < size; i++) {
    const line = `2026-11-25 10:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')} [error] 1234#0: *${i} connect() failed (111: Connection refused) while connecting to upstream, клиент: 203.0.113.${i % 250}\n`;
    lines.push(line);
    length += Buffer.byteLength(line);
  }
  return Buffer.from(lines.join('')).subarray(0, size);
}

// ---------------------------------------------------------------------------------------------
// The load: C workers share one counter; each request is timed from send to the end of the answer.

let stopping = false;
let deadline = Number.POSITIVE_INFINITY;

interface RunResult {
  label: string;
  planned: number;
  /** Requests sent (answered or not). */
  done: number;
  /** Sent requests that did not get the expected answer. */
  failed: number;
  /** Requests never sent (time limit or Ctrl-C). */
  notSent: number;
  seconds: number;
  latenciesMs: number[];
  samples: string[];
}

async function runLoad(label: string, total: number, one: (i: number) => Promise<string | null>): Promise<RunResult> {
  const latenciesMs: number[] = [];
  const samples: string[] = [];
  let next = 0;
  let failed = 0;
  const started = process.hrtime.bigint();
  const worker = async () => {
    for (;;) {
      if (stopping || Date.now() > deadline) return;
      const i = next++;
      if (i >= total) return;
      const t0 = process.hrtime.bigint();
      let problem: string | null;
      try {
        problem = await one(i);
      } catch (err) {
        problem = (err as Error).message ?? String(err);
      }
      latenciesMs.push(Number(process.hrtime.bigint() - t0) / 1e6);
      if (problem !== null) {
        failed++;
        if (samples.length < 5) samples.push(`#${i}: ${problem}`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(C, total) }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const done = latenciesMs.length;
  const notSent = total - done;
  if (notSent > 0) samples.push(`${notSent} request(s) not sent: ${stopping ? 'interrupted' : `time limit of ${TIME_LIMIT_S} s reached`}`);
  return { label, planned: total, done, failed, notSent, seconds, latenciesMs, samples };
}

/** Successful requests per second. */
function throughput(r: RunResult): number {
  return r.seconds > 0 ? ok(r) / r.seconds : 0;
}

function ok(r: RunResult): number {
  return r.done - r.failed;
}

function describe(r: RunResult, unit: string): string {
  const sorted = [...r.latenciesMs].sort((a, b) => a - b);
  const ms = (v: number) => (Number.isNaN(v) ? 'n/a' : v < 10 ? v.toFixed(2) : v.toFixed(1));
  return (
    `${r.label}: ${Math.round(throughput(r))} ${unit}/s, p50 ${ms(percentile(sorted, 50))} ms, p99 ${ms(percentile(sorted, 99))} ms` +
    ` (${r.done} requests in ${r.seconds.toFixed(2)} s, ${r.failed} failed${r.notSent ? `, ${r.notSent} not sent` : ''})`
  );
}

/** A logged error on one line: the message with long SQL values cut, and the first stack frame. */
function shorten(logged: string): string {
  const [message = '', ...stack] = logged.split('\n');
  const text = message.length > 300 ? `${message.slice(0, 150)} … ${message.slice(-150)}` : message;
  return [text, stack.find((l) => l.trim().startsWith('at '))?.trim()].filter(Boolean).join(' | ');
}

// ---------------------------------------------------------------------------------------------

interface Signedin {
  customer: Customer;
  cookie: string;
  csrf: string;
  departmentId: string;
}

async function main(): Promise<number> {
  const db = openDatabase();
  const prefix = `b${crypto.randomBytes(4).toString('hex')}_`;
  const baselineTable = `${prefix}bench_baseline`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'support-bench-data-'));
  const servers: http.Server[] = [];
  let host: Host | undefined;
  let baselineCreated = false;
  let exitCode = 0;

  // A hard stop in case anything hangs; unref'd so it never keeps the process alive by itself.
  setTimeout(() => {
    console.error(`bench: still running ${TIME_LIMIT_S + 120} s after start, giving up`);
    process.exit(3);
  }, (TIME_LIMIT_S + 120) * 1000).unref();

  try {
    host = await startHost(db.knex, prefix, dataDir);
    await host.plugin.migrate();
    await createBaselineTable(db.knex, baselineTable, db.kind);
    baselineCreated = true;
    const hostHttp = await listen(host.app);
    servers.push(hostHttp.server);
    const baseHttp = await listen(baselineApp(db.knex, baselineTable));
    servers.push(baseHttp.server);
    const mount = hostHttp.base + host.plugin.mountPath;

    // Each customer signs in once and reads the create form once, as a browser would.
    const signedIn: Signedin[] = [];
    for (const customer of customers) {
      const login = await send(`${hostHttp.base}/login/${customer.key}`, 'POST', {});
      const setCookie = login.headers['set-cookie']?.[0];
      if (login.status !== 204 || !setCookie) throw new Error(`sign-in of ${customer.key} answered ${login.status}`);
      const sessionCookie = setCookie.split(';')[0] as string;
      const form = await send(`${mount}/new`, 'GET', { Cookie: sessionCookie });
      if (form.status !== 200) throw new Error(`GET ${host.plugin.mountPath}/new answered ${form.status}: ${excerpt(form.text)}`);
      const csrf = /action="[^"]*[?&](?:amp;)?_csrf=([^"&]+)"/.exec(form.text)?.[1];
      const departmentId = /name="departmentId"\s+value="(\d+)"/.exec(form.text)?.[1];
      if (!csrf || !departmentId) throw new Error('the create form has no CSRF token in its action URL or no department to choose');
      signedIn.push({ customer, cookie: sessionCookie, csrf: decodeURIComponent(csrf), departmentId });
    }

    const created = new RegExp(`^${host.plugin.mountPath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/\\d+\\?created=1$`);
    const log = sampleLog(FILE_SIZE);
    const createTicket = (withFile: boolean) => async (i: number): Promise<string | null> => {
      const who = signedIn[i % signedIn.length] as Signedin;
      const parts: Part[] = [
        { name: 'subject', value: `Bench ticket ${i}: сайт не открывается` },
        { name: 'serviceId', value: who.customer.services[i % 2]?.id ?? '' },
        { name: 'departmentId', value: who.departmentId },
        { name: 'message', value: `С утра сайт отдаёт 502, request ${i}. Since this morning the site answers 502; nginx log attached.` },
      ];
      if (withFile) parts.push({ name: 'files', value: { filename: `nginx-error-${i}.log`, contentType: 'text/plain', data: log } });
      const { body, contentType } = multipart(parts);
      const res = await send(`${mount}/?_csrf=${encodeURIComponent(who.csrf)}`, 'POST', { Cookie: who.cookie, 'Content-Type': contentType }, body);
      const location = res.headers.location ?? '';
      if (res.status === 303 && created.test(location)) return null;
      return `expected 303 to the new ticket, got ${res.status} ${location} ${excerpt(res.text)}`;
    };
    const baselineInsert = async (i: number): Promise<string | null> => {
      const who = signedIn[i % signedIn.length] as Signedin;
      const body = Buffer.from(
        new URLSearchParams({
          customer: who.customer.key,
          subject: `Bench ticket ${i}: сайт не открывается`,
          serviceId: who.customer.services[i % 2]?.id ?? '',
          departmentId: who.departmentId,
          message: `С утра сайт отдаёт 502, request ${i}. Since this morning the site answers 502; nginx log attached.`,
        }).toString(),
      );
      const res = await send(baseHttp.base + BASELINE_PATH, 'POST', { 'Content-Type': 'application/x-www-form-urlencoded' }, body);
      if (res.status === 303 && /^\/baseline\/tickets\/\d+$/.test(res.headers.location ?? '')) return null;
      return `expected 303, got ${res.status} ${res.headers.location ?? ''} ${excerpt(res.text)}`;
    };

    process.once('SIGINT', () => {
      console.error('bench: interrupted, finishing the requests in flight and cleaning up (Ctrl-C again to quit at once)');
      stopping = true;
      process.once('SIGINT', () => process.exit(130));
    });
    deadline = Date.now() + TIME_LIMIT_S * 1000;

    // Warm-up (not measured): JIT, template cache, connection pool, keep-alive sockets.
    const warm = [await runLoad('warm-up plugin', WARMUP, createTicket(false)), await runLoad('warm-up baseline', WARMUP, baselineInsert)];
    const plain = await runLoad('plugin create (no files)', N, createTicket(false));
    const withFile = await runLoad(`plugin create (1 file ${FILE_SIZE / 1024} KB)`, N_FILES, createTicket(true));
    const baseline = await runLoad('baseline express+knex insert', N, baselineInsert);
    const runs = [...warm, plain, withFile, baseline];

    // What the database and the disk hold must match what was answered.
    const checks: string[] = [];
    const count = async (table: string) => Number(Object.values((await db.knex(table).count({ n: '*' }))[0] ?? {})[0] ?? NaN);
    const okPlugin = ok(warm[0]!) + ok(plain) + ok(withFile);
    const okBaseline = ok(warm[1]!) + ok(baseline);
    const tickets = await count(`${prefix}tickets`);
    const attachments = await count(`${prefix}attachments`);
    const rows = await count(baselineTable);
    const files = fs.readdirSync(dataDir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length;
    if (tickets !== okPlugin) checks.push(`${tickets} tickets in the database, ${okPlugin} created`);
    if (attachments !== ok(withFile)) checks.push(`${attachments} attachments in the database, ${ok(withFile)} uploaded`);
    if (files !== attachments) checks.push(`${files} files on disk for ${attachments} attachments`);
    if (rows !== okBaseline) checks.push(`${rows} baseline rows, ${okBaseline} inserted`);

    const failed = runs.reduce((sum, r) => sum + r.failed + r.notSent, 0);
    console.log(`node ${process.version}, ${os.platform()} ${os.arch()}, ${os.cpus().length} CPUs, NODE_ENV=${process.env.NODE_ENV ?? '(unset)'}`);
    console.log(`database: ${db.description}`);
    console.log(`N=${N} (with files: ${N_FILES}), C=${C}, customers=${CUSTOMER_COUNT}, warm-up=${WARMUP}+${WARMUP} requests (not measured)`);
    console.log(describe(plain, 'tickets'));
    console.log(describe(withFile, 'tickets'));
    console.log(describe(baseline, 'inserts'));
    const ratio = throughput(plain) / throughput(baseline);
    console.log(`plugin/baseline ratio: ${Number.isFinite(ratio) ? ratio.toFixed(2) : 'n/a'}`);
    console.log(`errors: ${failed}${checks.length ? `, checks failed: ${checks.length}` : ''}`);
    for (const r of runs) for (const s of r.samples) console.log(`  ${r.label} ${s}`);
    for (const c of checks) console.log(`  check: ${c}`);
    if (host.errorsLogged.length > 0) console.log(`plugin logged ${host.errorsLogged.length} error(s), first ones:`);
    for (const e of host.errorsLogged.slice(0, 3)) console.log(`  ${shorten(e)}`);
    if (failed > 0 || checks.length > 0) exitCode = 1;
  } catch (err) {
    console.error(`bench failed: ${(err as Error)?.stack ?? String(err)}`);
    for (const e of host?.errorsLogged.slice(0, 3) ?? []) console.error(`  plugin logged: ${shorten(e)}`);
    exitCode = 1;
  } finally {
    // Clean up whatever was started, each step on its own so one failure does not skip the rest.
    const step = async (what: string, fn: () => Promise<unknown>) => {
      try {
        await fn();
      } catch (err) {
        console.error(`bench: cleanup "${what}" failed: ${(err as Error)?.message ?? String(err)}`);
        exitCode = exitCode || 1;
      }
    };
    agent.destroy();
    for (const server of servers) await step('close server', () => closeServer(server));
    if (host) await step('plugin.close()', () => host!.plugin.close());
    if (db.kind !== 'sqlite') {
      if (baselineCreated) await step('drop baseline table', () => db.knex.schema.dropTableIfExists(baselineTable));
      if (host) await step('plugin.rollback()', () => host!.plugin.rollback());
    }
    await step('knex.destroy()', () => db.knex.destroy());
    fs.rmSync(dataDir, { recursive: true, force: true });
    if (db.tempDir) fs.rmSync(db.tempDir, { recursive: true, force: true });
  }
  return exitCode;
}

runMain(main);
