// Issue 12's benchmark: how fast mail comes in. Customers' replies (a mail client's reply with
// its quoted history) go into their requests two ways, each timed until every message is taken:
// - through receiveMail, one message at a time and C at once (the pipe, the demo's MX and a
//   host's own mail code all end there);
// - from a full mailbox: N messages put in a real dovecot first, then the plugin's IMAP reader
//   takes them all (fetch, intake, flag, position), timed from its start to the last one.
//
//   npm run build && NODE_ENV=production node dist/bench/mail-intake.js
//   N=2000 C=8 DATABASE_URL=postgres://postgres@127.0.0.1:5432/test node dist/bench/mail-intake.js
//
// Department e-mail goes to the bench host's jsonTransport (the outbox and its dispatcher run).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Knex } from 'knex';
import type { ActivatedPlugin, HostUser } from '../src';
import { Dovecot } from '../test/support/dovecot';
import { startHost, type BenchUser } from './bench-host';
import { openDatabase } from './database';
import { runMain } from './common';

const N = Number(process.env.N ?? 1000);
const C = Number(process.env.C ?? 8);
const CUSTOMERS = 100;
const TARGET = 100;
const SECRET = 'bench-secret-of-at-least-thirty-two-characters';
const SUPPORT = 'support@bench.example';

const customers: BenchUser[] = Array.from({ length: CUSTOMERS }, (_, i) => ({
  key: `c${i}`,
  user: { id: `c-${i}`, role: 'client', name: `Клиент ${i}`, email: `client${i}@example.ru`, locale: 'ru' } satisfies HostUser,
  services: [],
}));

/** A reply as Thunderbird writes one: the new text, then the e-mail it answers, quoted. */
function reply(i: number, to: string, from: string): Buffer {
  const quoted = Array.from({ length: 12 }, (_, k) => `> Строка ${k} нашего ответа: проверили настройки, перезапустили службу.`).join(
    '\r\n',
  );
  return Buffer.from(
    [
      `From: Клиент <${from}>`,
      `To: ${to}`,
      `Subject: Re: [#00000000] Ответ на ваш запрос`,
      `Message-ID: <bench-${i}-${process.pid}@example.ru>`,
      `Date: ${new Date().toUTCString()}`,
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: 8bit',
      '',
      `Добрый день! Сообщение ${i}: после перезапуска всё работает, но письма приходят с задержкой около минуты.`,
      '',
      `26.11.2026 10:15, Поддержка пишет:`,
      quoted,
      '',
    ].join('\r\n'),
  );
}

async function openRequests(plugin: ActivatedPlugin, knex: Knex, prefix: string): Promise<Array<{ to: string; from: string }>> {
  for (const c of customers) {
    const opened = await plugin.receiveMail(
      Buffer.from(
        `From: ${c.user.email}\r\nTo: support+technical@bench.example\r\nSubject: Письма задерживаются\r\nMessage-ID: <open-${c.key}-${process.pid}@example.ru>\r\n\r\nПисьма задерживаются.\r\n`,
      ),
    );
    if (opened.outcome !== 'opened') throw new Error(`opening a request by e-mail answered ${JSON.stringify(opened)}`);
  }
  const rows = (await knex(`${prefix}outbox`).where('kind', 'customer-confirmation').select('envelope')) as Array<{ envelope: string }>;
  return rows.map((r) => {
    const envelope = JSON.parse(r.envelope) as { replyTo: string; to: string[] };
    return { to: envelope.replyTo, from: envelope.to[0]! };
  });
}

async function timed(label: string, count: number, work: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await work();
  const seconds = (performance.now() - started) / 1000;
  const rate = count / seconds;
  console.log(`${label}: ${rate.toFixed(0)} messages/s (${count} in ${seconds.toFixed(2)} s)`);
  return rate;
}

async function throughReceiveMail(knex: Knex, dataDir: string): Promise<number[]> {
  const prefix = 'bin_';
  const settings = { mail: { inbound: { address: SUPPORT, secret: SECRET, perSenderPerHour: 0 } }, limits: { newTicketsPerHour: 0 } };
  const host = await startHost({ knex, tablePrefix: prefix, dataDir, users: customers, settings, findUserByEmail: true });
  const plugin = host.plugin;
  await plugin.migrate();
  try {
    const requests = await openRequests(plugin, knex, prefix);
    const message = (i: number) => reply(i, requests[i % requests.length]!.to, requests[i % requests.length]!.from);
    const check = async (from: number, to: number) => {
      for (let i = from; i < to; i++) {
        const result = await plugin.receiveMail(message(i));
        if (result.outcome !== 'stored') throw new Error(`message ${i}: ${JSON.stringify(result)}`);
      }
    };
    // Warm-up, not counted.
    await check(0, 50);
    const one = await timed('receiveMail, one at a time', N, () => check(50, 50 + N));
    let next = 50 + N;
    const end = next + N;
    const many = await timed(`receiveMail, ${C} at once`, N, async () => {
      await Promise.all(
        Array.from({ length: C }, async () => {
          while (next < end) {
            const i = next++;
            const result = await plugin.receiveMail(message(i));
            if (result.outcome !== 'stored') throw new Error(`message ${i}: ${JSON.stringify(result)}`);
          }
        }),
      );
    });
    if (host.errorsLogged.length > 0) throw new Error(`the plugin logged errors: ${host.errorsLogged.slice(0, 3).join(' | ')}`);
    return [one, many];
  } finally {
    await plugin.close();
    await plugin.rollback();
  }
}

async function fromFullMailbox(knex: Knex, dataDir: string): Promise<number> {
  const dovecot = await Dovecot.start();
  const prefix = 'bim_';
  try {
    const user = dovecot.addUser();
    const mailbox = dovecot.mailbox(user, { name: 'support' });
    // The requests first, by receiveMail, with the reader's mailbox not yet configured.
    const opener = await startHost({
      knex,
      tablePrefix: prefix,
      dataDir,
      users: customers,
      settings: { mail: { inbound: { address: SUPPORT, secret: SECRET, perSenderPerHour: 0 } }, limits: { newTicketsPerHour: 0 } },
      findUserByEmail: true,
    });
    await opener.plugin.migrate();
    const requests = await openRequests(opener.plugin, knex, prefix);
    await opener.plugin.close();
    const raws = Array.from({ length: N }, (_, i) =>
      reply(100_000 + i, requests[i % requests.length]!.to, requests[i % requests.length]!.from),
    );
    await dovecot.append(user, 'INBOX', ...raws);

    const settings = { mail: { inbound: { address: SUPPORT, secret: SECRET, perSenderPerHour: 0, mailboxes: [mailbox] } } };
    const host = await startHost({ knex, tablePrefix: prefix, dataDir, users: customers, settings, findUserByEmail: true });
    const taken = async () => Number(((await knex(`${prefix}inbound_mail`).count({ n: '*' }))[0] as { n: unknown }).n);
    let rate = 0;
    try {
      rate = await timed(`IMAP reader, a mailbox of ${N}`, N, async () => {
        // migrate() starts the scheduler, and the reader runs at once.
        await host.plugin.migrate();
        for (;;) {
          const count = await taken();
          if (count >= N) return;
          if (host.errorsLogged.length > 0) throw new Error(`the plugin logged errors: ${host.errorsLogged.slice(0, 3).join(' | ')}`);
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      });
    } finally {
      await host.plugin.close();
      await host.plugin.rollback();
    }
    return rate;
  } finally {
    await dovecot.stop();
  }
}

runMain(async () => {
  const db = openDatabase(8, 'support-bench-intake-');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'support-bench-intake-data-'));
  console.log(`node ${process.version}, ${os.cpus().length} CPUs, NODE_ENV=${process.env.NODE_ENV ?? ''}`);
  console.log(`database: ${db.description}; N=${N}, C=${C}, ${CUSTOMERS} customers each with one request`);
  try {
    const [one, many] = await throughReceiveMail(db.knex, dataDir);
    const imap = await fromFullMailbox(db.knex, dataDir);
    const slowest = Math.min(one!, many!, imap);
    console.log(`slowest way in: ${slowest.toFixed(0)} messages/s (target ≥ ${TARGET} on SQLite)`);
    return 0;
  } finally {
    await db.knex.destroy();
    fs.rmSync(dataDir, { recursive: true, force: true });
    if (db.tempDir) fs.rmSync(db.tempDir, { recursive: true, force: true });
  }
});
