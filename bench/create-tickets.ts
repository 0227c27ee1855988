// Throughput and latency of creating tickets through the plugin over real HTTP, compared with
// bare express routes that do the least the same request needs, on the same database:
//   (a) without files: the plugin's create against a bare express + knex insert of one row;
//   (b) with one 100 KB file: against a bare express + multer + knex route that stores the file.
// It also counts the SQL statements one create makes (knex's 'query' event), and can profile
// the CPU of the plugin's runs.
//
//   npm run build && node dist/bench/create-tickets.js
//   N=500 C=8 DATABASE_URL=postgres://postgres@127.0.0.1:5432/test node dist/bench/create-tickets.js
//   STATEMENTS=1 node dist/bench/create-tickets.js         # also list the statements of one create
//   CPU_PROFILE=/tmp/prof node dist/bench/create-tickets.js # .cpuprofile of the plugin's runs
//   MAIL=host-smtp node dist/bench/create-tickets.js         # how the mail leaves (see MAIL below)
//
// Everything runs in this one process on 127.0.0.1: a minimal host with the plugin mounted, the
// bare app, and a keep-alive http.Agent client. See bench/README.md for how to read the output.
import crypto from 'node:crypto';
import fs from 'node:fs';
import type http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import express from 'express';
import type { Knex } from 'knex';
import multer from 'multer';
import nodemailer from 'nodemailer';
import { closeServer, excerpt, percentile, runMain } from './common';
import { journalMode, openDatabase, type DbKind } from './database';
import { httpClient, listen, multipart, type Part } from './http-client';
import { signIn, startHost, type BenchHost, type BenchUser } from './bench-host';
import { StatementCounter } from './statements';
import { profiled } from './cpu-profile';

// ---------------------------------------------------------------------------------------------
// Settings from the environment

function intFromEnv(name: string, fallback: number, max: number, min = 1): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

const N = intFromEnv('N', 2000, 1_000_000);
const C = intFromEnv('C', 16, 1024);
const N_FILES = intFromEnv('N_FILES', Math.max(1, Math.floor(N / 10)), 1_000_000);
const WARMUP = Math.min(N, intFromEnv('WARMUP', 50, 100_000));
const WARMUP_FILES = Math.min(N_FILES, WARMUP);
/** The whole measurement stops issuing requests after this many seconds (what was not sent counts as failed). */
const TIME_LIMIT_S = intFromEnv('TIME_LIMIT', 600, 86_400);
/** Creates sent one at a time to count their statements, of each kind. */
const COUNTED = intFromEnv('COUNTED', 10, 1000);
/** Each pair (plugin, bare) runs in this many alternating rounds, so both see the same background load. */
const ROUNDS = intFromEnv('ROUNDS', 4, 100);
const LIST_STATEMENTS = process.env.STATEMENTS === '1';
const CPU_PROFILE_DIR = process.env.CPU_PROFILE || undefined;
/**
 * How the plugin's e-mail leaves, each a way a host runs it:
 * - host-json: the host hands over nodemailer's jsonTransport (builds no MIME, talks to no server);
 * - host-smtp: the host hands over its own pooled nodemailer SMTP transport;
 * - plugin-smtp: no host transport; the plugin's own SMTP settings;
 * - off: neither, as a panel without mail set up: the e-mails are queued, never sent, so the
 *   figure is the create request's own work.
 * The SMTP server is smtp-server in a worker thread (smtp-sink-thread.ts), as a real one never
 * shares the panel's event loop.
 */
const MAIL_MODES = ['host-json', 'host-smtp', 'plugin-smtp', 'off'] as const;
const MAIL = (process.env.MAIL || 'host-json') as (typeof MAIL_MODES)[number];
if (!MAIL_MODES.includes(MAIL)) throw new Error(`MAIL must be one of ${MAIL_MODES.join(', ')}, got "${process.env.MAIL}"`);
/**
 * The plugin's hourly limit of new requests per customer. 0 (off) by default: four customers open
 * thousands. A limit no customer reaches (say 1000000) makes each create count the customer's
 * last hour, as a panel with the limit on (the default, 20) does.
 */
const HOURLY_LIMIT = intFromEnv('HOURLY_LIMIT', 0, 1_000_000_000, 0);
const CUSTOMER_COUNT = 4;
const FILE_SIZE = 100 * 1024;

// ---------------------------------------------------------------------------------------------
// The customers, signed in to the bench host (bench-host.ts).

const customers: BenchUser[] = Array.from({ length: CUSTOMER_COUNT }, (_, i) => ({
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

// ---------------------------------------------------------------------------------------------
// The bare app: the least an express + knex route does for the same request, on the same database.

const BARE_PATH = '/baseline/tickets';
const BARE_FILE_PATH = '/baseline/tickets-with-file';

async function createBareTable(knex: Knex, table: string, kind: DbKind): Promise<void> {
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
    // ...its first message's...
    t.string('author_kind', 16).notNullable();
    t.string('author_id', 64).notNullable();
    t.string('author_name', 200).notNullable();
    t.text('body', 'mediumtext').notNullable();
    // ...and its file's, when it has one.
    t.string('file_key', 64).nullable();
    t.string('file_name', 255).nullable();
    t.integer('file_size').nullable();
    t.unique(['number'], { indexName: `${table}_num_uq` });
    t.index(['customer_id', 'updated_at', 'id'], `${table}_cust`);
  });
}

/**
 * Two routes answering 303 like the plugin: a urlencoded form inserted as one row in a
 * transaction (a), and a multipart form whose one file multer writes to disk before the row is
 * inserted (b). No sessions, no CSRF, no reads, no hashing or sniffing of the file.
 */
function bareApp(knex: Knex, table: string, fileDir: string, before: express.RequestHandler): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(before);
  let sequence = 10_000_000;
  const storeFile = multer({
    storage: multer.diskStorage({
      destination: fileDir,
      filename: (_req, _file, done) => done(null, crypto.randomBytes(16).toString('hex')),
    }),
    limits: { files: 1, fileSize: 10 * 1024 * 1024 },
  }).single('files');

  async function insert(req: express.Request, res: express.Response, file: Express.Multer.File | undefined): Promise<void> {
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
        file_key: file?.filename ?? null,
        file_name: file?.originalname ?? null,
        file_size: file?.size ?? null,
      }),
    );
    res.redirect(303, `${BARE_PATH}/${number}`);
  }

  app.post(BARE_PATH, express.urlencoded({ extended: false, limit: '200kb' }), (req, res) => insert(req, res, undefined));
  app.post(BARE_FILE_PATH, storeFile, (req, res) => insert(req, res, req.file));
  return app;
}

// ---------------------------------------------------------------------------------------------
// HTTP: one keep-alive agent for every request.

const client = httpClient(C);
const send = client.send;

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

/** Rounds of one load as one run: their requests, failures and seconds added up. */
function merged(label: string, rounds: RunResult[]): RunResult {
  const sum = (f: (r: RunResult) => number) => rounds.reduce((total, r) => total + f(r), 0);
  return {
    label,
    planned: sum((r) => r.planned),
    done: sum((r) => r.done),
    failed: sum((r) => r.failed),
    notSent: sum((r) => r.notSent),
    seconds: sum((r) => r.seconds),
    latenciesMs: rounds.flatMap((r) => r.latenciesMs),
    samples: rounds.flatMap((r) => r.samples).slice(0, 5),
  };
}

interface Load {
  label: string;
  total: number;
  one: (i: number) => Promise<string | null>;
  /** File name of its CPU profiles (one per round), when CPU_PROFILE is set. */
  profile?: string;
  /**
   * Waits until the work a round left behind is done (the plugin's e-mails sent); the wait counts
   * as the round's time, so a round is measured until its mail has gone, and that mail is not
   * sent during the next round of the other load, slowing it.
   */
  settle?: () => Promise<void>;
}

/**
 * The plugin's load and its bare counterpart in ROUNDS alternating rounds, so a change in the
 * machine's background load (other processes share its CPUs) falls on both. Also returns how
 * many statements the database ran during the plugin's rounds and during the bare ones.
 */
async function sideBySide(counter: StatementCounter, a: Load, b: Load): Promise<Array<{ run: RunResult; statements: number }>> {
  const results = [a, b].map(() => ({ rounds: [] as RunResult[], statements: 0 }));
  for (let round = 0; round < ROUNDS; round++) {
    for (const [k, load] of [a, b].entries()) {
      const from = Math.floor((load.total * round) / ROUNDS);
      const count = Math.floor((load.total * (round + 1)) / ROUNDS) - from;
      if (count === 0) continue;
      const before = counter.total;
      const run = async () => {
        const result = await runLoad(load.label, count, (i) => load.one(from + i));
        const started = process.hrtime.bigint();
        await load.settle?.();
        return { ...result, seconds: result.seconds + Number(process.hrtime.bigint() - started) / 1e9 };
      };
      results[k]!.rounds.push(await profiled(load.profile && CPU_PROFILE_DIR, `${load.profile}-${round + 1}`, run));
      results[k]!.statements += counter.total - before;
    }
  }
  return results.map((r, k) => ({ run: merged([a, b][k]!.label, r.rounds), statements: r.statements }));
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

interface SignedIn {
  customer: BenchUser;
  cookie: string;
  csrf: string;
  departmentId: string;
}

/** Each customer signs in once and reads the create form once, as a browser would. */
async function signInAll(base: string, mountPath: string): Promise<SignedIn[]> {
  const signedIn: SignedIn[] = [];
  for (const customer of customers) {
    const sessionCookie = await signIn(client, base, customer.key);
    const form = await send(`${base}${mountPath}/new`, 'GET', { Cookie: sessionCookie });
    if (form.status !== 200) throw new Error(`GET ${mountPath}/new answered ${form.status}: ${excerpt(form.text)}`);
    const csrf = /action="[^"]*[?&](?:amp;)?_csrf=([^"&]+)"/.exec(form.text)?.[1];
    const departmentId = /name="departmentId"\s+value="(\d+)"/.exec(form.text)?.[1];
    if (!csrf || !departmentId) throw new Error('the create form has no CSRF token in its action URL or no department to choose');
    signedIn.push({ customer, cookie: sessionCookie, csrf: decodeURIComponent(csrf), departmentId });
  }
  return signedIn;
}

/** The i-th ticket's text fields, the same for the plugin and the bare routes. */
function ticketFields(who: SignedIn, i: number): Record<string, string> {
  return {
    subject: `Bench ticket ${i}: сайт не открывается`,
    serviceId: who.customer.services[i % 2]?.id ?? '',
    departmentId: who.departmentId,
    message: `С утра сайт отдаёт 502, request ${i}. Since this morning the site answers 502; nginx log attached.`,
  };
}

const log = sampleLog(FILE_SIZE);

function withFile(parts: Part[], withFile: boolean, i: number): Part[] {
  return withFile
    ? [...parts, { name: 'files', value: { filename: `nginx-error-${i}.log`, contentType: 'text/plain', data: log } }]
    : parts;
}

/** A create through the plugin mounted at `mount`; null when it answered as expected, else why not. */
function pluginCreate(mount: string, signedIn: SignedIn[], mountPath: string, file: boolean, headers: Record<string, string> = {}) {
  const created = new RegExp(`^${mountPath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/\\d+\\?created=1$`);
  return async (i: number): Promise<string | null> => {
    const who = signedIn[i % signedIn.length] as SignedIn;
    const parts = Object.entries(ticketFields(who, i)).map(([name, value]) => ({ name, value }));
    const { body, contentType } = multipart(withFile(parts, file, i));
    const res = await send(
      `${mount}/?_csrf=${encodeURIComponent(who.csrf)}`,
      'POST',
      { ...headers, Cookie: who.cookie, 'Content-Type': contentType },
      body,
    );
    const location = res.headers.location ?? '';
    if (res.status === 303 && created.test(location)) return null;
    return `expected 303 to the new ticket, got ${res.status} ${location} ${excerpt(res.text)}`;
  };
}

/** The same fields to the bare app: urlencoded without a file, multipart with one. */
function bareCreate(base: string, signedIn: SignedIn[], file: boolean, headers: Record<string, string> = {}) {
  return async (i: number): Promise<string | null> => {
    const who = signedIn[i % signedIn.length] as SignedIn;
    const fields = { customer: who.customer.key, ...ticketFields(who, i) };
    let res;
    if (file) {
      const { body, contentType } = multipart(
        withFile(
          Object.entries(fields).map(([name, value]) => ({ name, value })),
          true,
          i,
        ),
      );
      res = await send(base + BARE_FILE_PATH, 'POST', { ...headers, 'Content-Type': contentType }, body);
    } else {
      const body = Buffer.from(new URLSearchParams(fields).toString());
      res = await send(base + BARE_PATH, 'POST', { ...headers, 'Content-Type': 'application/x-www-form-urlencoded' }, body);
    }
    if (res.status === 303 && /^\/baseline\/tickets\/\d+$/.test(res.headers.location ?? '')) return null;
    return `expected 303, got ${res.status} ${res.headers.location ?? ''} ${excerpt(res.text)}`;
  };
}

/** Statements per request of one kind, counted one request at a time. */
interface Counted {
  label: string;
  counts: number[];
  /** The first request's statements. */
  first: string[];
  failed: number;
}

async function countStatements(
  counter: StatementCounter,
  label: string,
  one: (i: number, headers: Record<string, string>) => Promise<string | null>,
): Promise<Counted> {
  const counts: number[] = [];
  let first: string[] = [];
  let failed = 0;
  for (let i = 0; i < COUNTED && !stopping; i++) {
    const { reply, statements } = await counter.record(`${label}#${i}`, (headers) => one(1_000_000 + i, headers));
    if (reply !== null) failed++;
    counts.push(statements.length);
    if (i === 0) first = statements;
  }
  return { label, counts, first, failed };
}

function range(values: number[]): string {
  if (values.length === 0) return 'n/a';
  const [min, max] = [Math.min(...values), Math.max(...values)];
  return min === max ? String(min) : `${min}–${max}`;
}

/** An SMTP server in a worker thread that takes every message and says nothing of it. */
async function startSmtpSink(): Promise<{ port: number; stop: () => Promise<void> }> {
  const worker = new Worker(path.join(__dirname, 'smtp-sink-thread.js'), { workerData: { departmentAddresses: [], quiet: true } });
  const port = await new Promise<number>((resolve, reject) => {
    worker.once('error', reject);
    worker.once('message', (m: { port: number }) => resolve(m.port));
  });
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return { port, stop: () => (worker.postMessage('stop'), exited) };
}

/** The host's mail and the plugin's mail settings for MAIL. */
function mailSetup(smtpPort: number | null) {
  const smtp = { host: '127.0.0.1', port: smtpPort ?? 0, secure: false };
  if (MAIL === 'host-json') return { hostMail: undefined, settings: {} };
  if (MAIL === 'off') return { hostMail: null, settings: {} };
  if (MAIL === 'host-smtp')
    return {
      hostMail: {
        transport: nodemailer.createTransport({ ...smtp, pool: true, maxConnections: 5, ignoreTLS: true }),
        from: 'support@bench.example',
      },
      settings: {},
    };
  return { hostMail: null, settings: { mail: { smtp, from: { address: 'support@bench.example', name: 'Support' } } } };
}

async function main(): Promise<number> {
  const prefix = `b${crypto.randomBytes(4).toString('hex')}_`;
  const db = openDatabase(10);
  const counter = new StatementCounter(db.knex, prefix);
  const bareTable = `${prefix}bench_baseline`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'support-bench-data-'));
  const bareFileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'support-bench-bare-'));
  const servers: http.Server[] = [];
  const hosts: BenchHost[] = [];
  let host: BenchHost | undefined;
  let bareCreated = false;
  let exitCode = 0;

  // A hard stop in case anything hangs; unref'd so it never keeps the process alive by itself.
  setTimeout(
    () => {
      console.error(`bench: still running ${TIME_LIMIT_S + 120} s after start, giving up`);
      process.exit(3);
    },
    (TIME_LIMIT_S + 120) * 1000,
  ).unref();

  let sink: { port: number; stop: () => Promise<void> } | null = null;
  let hostTransport: { close(): void } | undefined;

  try {
    if (MAIL !== 'host-json' && MAIL !== 'off') sink = await startSmtpSink();
    const mail = mailSetup(sink?.port ?? null);
    hostTransport = mail.hostMail?.transport;
    const hostOptions = {
      knex: db.knex,
      tablePrefix: prefix,
      dataDir,
      users: customers,
      settings: { limits: { newTicketsPerHour: HOURLY_LIMIT }, ...mail.settings },
      before: counter.middleware,
      hostMail: mail.hostMail,
    };
    host = await startHost(hostOptions);
    hosts.push(host);
    await host.plugin.migrate();
    // A second instance on the same tables, for counting statements: never migrated, so its
    // dispatcher never starts, and every statement it runs during a create is the create's own.
    // (The first instance's dispatcher sends what it queues.)
    const counting = await startHost(hostOptions);
    hosts.push(counting);
    await createBareTable(db.knex, bareTable, db.kind);
    bareCreated = true;
    const hostHttp = await listen(host.app);
    servers.push(hostHttp.server);
    const countingHttp = await listen(counting.app);
    servers.push(countingHttp.server);
    const bareHttp = await listen(bareApp(db.knex, bareTable, bareFileDir, counter.middleware));
    servers.push(bareHttp.server);
    const { mountPath } = host.plugin;

    const signedIn = await signInAll(hostHttp.base, mountPath);
    const signedInCounting = await signInAll(countingHttp.base, mountPath);
    const plugin = (file: boolean) => pluginCreate(hostHttp.base + mountPath, signedIn, mountPath, file);
    /** Until every e-mail the plugin queued is sent (a short pause between looks, at most a minute). */
    // Each plugin round ends when the e-mail it queued has left (none leaves with MAIL=off).
    const mailSent = async () => {
      if (MAIL === 'off') return;
      const giveUpAt = Date.now() + 60_000;
      for (;;) {
        const [row] = await db.knex(`${prefix}outbox`).whereIn('status', ['pending', 'sending']).count({ n: '*' });
        if (Number(Object.values(row ?? {})[0]) === 0) return;
        if (Date.now() > giveUpAt) throw new Error("the plugin's e-mail was not all sent within a minute of its round");
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    };
    const bare = (file: boolean) => bareCreate(bareHttp.base, signedIn, file);

    process.once('SIGINT', () => {
      console.error('bench: interrupted, finishing the requests in flight and cleaning up (Ctrl-C again to quit at once)');
      stopping = true;
      process.once('SIGINT', () => process.exit(130));
    });
    deadline = Date.now() + TIME_LIMIT_S * 1000;

    // Warm-up (not measured): JIT, template cache, connection pool, keep-alive sockets.
    const warm = [
      await runLoad('warm-up plugin', WARMUP, plugin(false)),
      await runLoad('warm-up bare', WARMUP, bare(false)),
      await runLoad('warm-up plugin (1 file)', WARMUP_FILES, plugin(true)),
      await runLoad('warm-up bare (1 file)', WARMUP_FILES, bare(true)),
    ];
    await mailSent();
    const fileLabel = `1 file ${FILE_SIZE / 1024} KB`;
    const [plainPair, filePair] = [
      await sideBySide(
        counter,
        { label: 'plugin create (no files)', total: N, one: plugin(false), profile: 'plugin-create-no-files', settle: mailSent },
        { label: 'bare express+knex insert', total: N, one: bare(false) },
      ),
      await sideBySide(
        counter,
        { label: `plugin create (${fileLabel})`, total: N_FILES, one: plugin(true), profile: 'plugin-create-1-file', settle: mailSent },
        { label: `bare express+multer+knex (${fileLabel})`, total: N_FILES, one: bare(true) },
      ),
    ] as Array<Array<{ run: RunResult; statements: number }>>;
    const [plain, bareInsert] = plainPair!.map((p) => p.run) as [RunResult, RunResult];
    const [withFile, bareFile] = filePair!.map((p) => p.run) as [RunResult, RunResult];

    // One request at a time, after the timed runs so they are not disturbed.
    const countingCreate = (file: boolean) => (i: number, headers: Record<string, string>) =>
      pluginCreate(countingHttp.base + mountPath, signedInCounting, mountPath, file, headers)(i);
    const countingBare = (file: boolean) => (i: number, headers: Record<string, string>) =>
      bareCreate(bareHttp.base, signedIn, file, headers)(i);
    const counted = [
      await countStatements(counter, 'plugin create, no files', countingCreate(false)),
      await countStatements(counter, 'plugin create, 1 file', countingCreate(true)),
      await countStatements(counter, 'bare insert, no files', countingBare(false)),
      await countStatements(counter, 'bare insert, 1 file', countingBare(true)),
    ];
    counter.stopRecording();
    const [countedPlain, countedFile, countedBare, countedBareFile] = counted as [Counted, Counted, Counted, Counted];
    const runs = [...warm, plain, bareInsert, withFile, bareFile];

    // What the database and the disk hold must match what was answered.
    const checks: string[] = [];
    const count = async (table: string, where?: (q: Knex.QueryBuilder) => void) => {
      const query = db.knex(table).count({ n: '*' });
      where?.(query);
      return Number(Object.values((await query)[0] ?? {})[0] ?? NaN);
    };
    const countedOk = (c: Counted) => c.counts.length - c.failed;
    const okPlugin = ok(warm[0]!) + ok(warm[2]!) + ok(plain) + ok(withFile) + countedOk(countedPlain) + countedOk(countedFile);
    const okPluginFiles = ok(warm[2]!) + ok(withFile) + countedOk(countedFile);
    const okBare = ok(warm[1]!) + ok(warm[3]!) + ok(bareInsert) + ok(bareFile) + countedOk(countedBare) + countedOk(countedBareFile);
    const okBareFiles = ok(warm[3]!) + ok(bareFile) + countedOk(countedBareFile);
    const tickets = await count(`${prefix}tickets`);
    const attachments = await count(`${prefix}attachments`);
    const rows = await count(bareTable);
    const rowsWithFile = await count(bareTable, (q) => q.whereNotNull('file_key'));
    const filesIn = (dir: string) => fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length;
    const files = filesIn(dataDir);
    const bareFiles = filesIn(bareFileDir);
    if (tickets !== okPlugin) checks.push(`${tickets} tickets in the database, ${okPlugin} created`);
    if (attachments !== okPluginFiles) checks.push(`${attachments} attachments in the database, ${okPluginFiles} uploaded`);
    if (files !== attachments) checks.push(`${files} files on disk for ${attachments} attachments`);
    if (rows !== okBare) checks.push(`${rows} bare rows, ${okBare} inserted`);
    if (rowsWithFile !== okBareFiles || bareFiles !== okBareFiles)
      checks.push(`${rowsWithFile} bare rows with a file and ${bareFiles} files on disk, ${okBareFiles} stored`);

    const failed = runs.reduce((sum, r) => sum + r.failed + r.notSent, 0) + counted.reduce((sum, c) => sum + c.failed, 0);
    const wal = await journalMode(db);
    console.log(
      `node ${process.version}, ${os.platform()} ${os.arch()}, ${os.cpus().length} CPUs, NODE_ENV=${process.env.NODE_ENV ?? '(unset)'}`,
    );
    console.log(`database: ${db.description}${wal ? `, journal_mode=${wal}` : ''}; mail: ${MAIL}`);
    console.log(
      `N=${N} (with files: ${N_FILES}), C=${C}, ${ROUNDS} alternating rounds per pair, customers=${CUSTOMER_COUNT}, warm-up=${WARMUP}+${WARMUP} requests, ${WARMUP_FILES}+${WARMUP_FILES} with a file (not measured)`,
    );
    console.log(describe(plain, 'tickets'));
    console.log(describe(bareInsert, 'inserts'));
    console.log(describe(withFile, 'tickets'));
    console.log(describe(bareFile, 'inserts'));
    const ratio = (a: RunResult, b: RunResult) => {
      const value = throughput(a) / throughput(b);
      return Number.isFinite(value) ? value.toFixed(2) : 'n/a';
    };
    console.log(`(a) plugin/bare ratio, no files: ${ratio(plain, bareInsert)} (target ≥ 0.6)`);
    console.log(`(b) plugin/bare ratio, 1 file ${FILE_SIZE / 1024} KB: ${ratio(withFile, bareFile)} (target ≥ 0.8)`);
    console.log(
      `statements per request, ${COUNTED} requests one at a time, BEGIN/COMMIT included: ` +
        counted.map((c) => `${c.label} ${range(c.counts)}`).join(', '),
    );
    // The dispatcher works in the background, so some of its statements for the plugin's tickets
    // fall into the bare rounds: count the pair's statements, less the bare route's own.
    const perTicket = (pair: Array<{ run: RunResult; statements: number }>, bareCounted: Counted) => {
      const [p, b] = pair as [{ run: RunResult; statements: number }, { run: RunResult; statements: number }];
      const bareOwn = b.run.done * (bareCounted.counts[0] ?? 0);
      return ((p.statements + b.statements - bareOwn) / Math.max(1, ok(p.run))).toFixed(1);
    };
    console.log(
      `statements on the database per ticket during the timed runs, the dispatcher's claims and marks included: ` +
        `no files ${perTicket(plainPair!, countedBare)}, 1 file ${perTicket(filePair!, countedBareFile)}`,
    );
    if (LIST_STATEMENTS) {
      for (const c of counted) {
        console.log(`statements of one ${c.label}:`);
        for (const sql of c.first) console.log(`  ${sql}`);
      }
    }
    if (CPU_PROFILE_DIR)
      console.log(`CPU profiles of the plugin's timed runs written to ${CPU_PROFILE_DIR} (sum them up with dist/bench/profile-summary.js)`);
    console.log(`errors: ${failed}${checks.length ? `, checks failed: ${checks.length}` : ''}`);
    for (const r of runs) for (const s of r.samples) console.log(`  ${r.label} ${s}`);
    for (const c of counted) if (c.failed) console.log(`  counting ${c.label}: ${c.failed} failed`);
    for (const c of checks) console.log(`  check: ${c}`);
    const errorsLogged = hosts.flatMap((h) => h.errorsLogged);
    if (errorsLogged.length > 0) console.log(`plugin logged ${errorsLogged.length} error(s), first ones:`);
    for (const e of errorsLogged.slice(0, 3)) console.log(`  ${shorten(e)}`);
    if (failed > 0 || checks.length > 0) exitCode = 1;
  } catch (err) {
    console.error(`bench failed: ${(err as Error)?.stack ?? String(err)}`);
    for (const e of hosts.flatMap((h) => h.errorsLogged).slice(0, 3)) console.error(`  plugin logged: ${shorten(e)}`);
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
    client.destroy();
    for (const server of servers) await step('close server', () => closeServer(server));
    for (const h of hosts) await step('plugin.close()', () => h.plugin.close());
    if (db.kind !== 'sqlite') {
      if (bareCreated) await step('drop bare table', () => db.knex.schema.dropTableIfExists(bareTable));
      if (host) await step('plugin.rollback()', () => host!.plugin.rollback());
    }
    await step('knex.destroy()', () => db.knex.destroy());
    hostTransport?.close();
    if (sink) await step('stop the SMTP sink', sink.stop);
    for (const dir of [dataDir, bareFileDir]) fs.rmSync(dir, { recursive: true, force: true });
    if (db.tempDir) fs.rmSync(db.tempDir, { recursive: true, force: true });
  }
  return exitCode;
}

runMain(main);
