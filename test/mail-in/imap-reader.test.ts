// The IMAP reader against a real dovecot, its positions and leases on each database. Messages
// are put in with IMAP APPEND and taken by the reader's job, run directly or by the scheduler;
// `receive` records what it is handed (the intake is tested on its own), by Message-ID.
import assert from 'node:assert/strict';
import type { Knex } from 'knex';
import { imapReaderJob } from '../../src/mail/in/imap-reader';
import { Scheduler } from '../../src/jobs/scheduler';
import { jobLeaseStore } from '../../src/store/job-leases';
import { mailboxPositionStore } from '../../src/store/mailbox-positions';
import { migrateDownAll, migrateLatest } from '../../src/store/migrate';
import { tableNames } from '../../src/store/tables';
import type { Job } from '../../src/model/jobs';
import type { IntakeOptions, ReceiveMail } from '../../src/model/inbound';
import type { MailboxSettings } from '../../src/model/settings';
import { forEachDatabase, uniquePrefix, type Connection } from '../support/databases';
import { Dovecot } from '../support/dovecot';
import { waitUntil } from '../support/smtp-sink';
import { MIGRATIONS_DIR } from '../support/store-fixtures';
import { startPlugin } from '../support/test-host';

const MB = 1024 * 1024;

function message(id: string, body = 'Hello'): string {
  return [
    'From: Ivan <ivan@example.ru>',
    'To: support@panel.example',
    `Subject: Test ${id}`,
    `Message-ID: <${id}@test.example>`,
    'Date: Mon, 2 Nov 2026 09:00:00 +0000',
    'Content-Type: text/plain; charset=utf-8',
    '',
    body,
    '',
  ].join('\r\n');
}

function messageIdOf(raw: Buffer | NodeJS.ReadableStream): string {
  const match = /^Message-ID: <([^>]+)@test\.example>/im.exec((raw as Buffer).toString('utf8'));
  assert.ok(match, 'the whole message is handed over, headers included');
  return match[1] as string;
}

const ids = (tag: string, count: number, from = 1) => Array.from({ length: count }, (_, i) => `${tag}-${from + i}`);

/** What `receive` was handed, in order; `refuse` makes the next calls for an id reject once each. */
class Intake {
  readonly taken: string[] = [];
  readonly attempts: string[] = [];
  readonly options: IntakeOptions[] = [];
  readonly refuse = new Set<string>();
  readonly receive: ReceiveMail = async (raw, options) => {
    const id = messageIdOf(raw);
    this.attempts.push(id);
    if (this.refuse.delete(id)) throw new Error('the database is unavailable');
    this.taken.push(id);
    this.options.push(options ?? {});
    return { outcome: 'held', reason: 'test' };
  };
}

forEachDatabase('IMAP reader', (db) => {
  let dovecot: Dovecot;
  let connection: Connection;
  let other: Connection;
  const tables = tableNames(uniquePrefix());
  let log: string[];
  const logger = {
    info: (m: string) => log.push(`info ${m}`),
    warn: (m: string) => log.push(`warn ${m}`),
    error: (m: string) => log.push(`error ${m}`),
  };

  before(async function () {
    this.timeout(30_000);
    dovecot = await Dovecot.start();
    connection = db.connect();
    // A second instance has its own pool on a server database, as a second process would.
    other = db.name === 'sqlite' ? connection : db.connect();
    await migrateLatest(connection.knex, MIGRATIONS_DIR, tables);
  });
  after(async () => {
    await migrateDownAll(connection.knex, MIGRATIONS_DIR, tables);
    if (other !== connection) await other.release();
    await connection.release();
    await dovecot.stop();
  });
  beforeEach(() => {
    log = [];
  });

  const readerOf = (mailbox: MailboxSettings, intake: Intake, knex: Knex = connection.knex, maxMessageBytes = 25 * MB): Job =>
    imapReaderJob({ mailbox, positions: mailboxPositionStore(knex, tables), receive: intake.receive, logger, maxMessageBytes });

  /** Runs the job once, directly, and stops it (ending its IDLE) once `done` holds. */
  async function runUntil(job: Job, done: () => boolean, ms = 10_000): Promise<void> {
    const stop = new AbortController();
    const run = job.run({ now: Date.now, signal: stop.signal });
    try {
      await waitUntil(() => done(), ms, `the reader (log: ${log.join(' | ')})`);
    } finally {
      stop.abort();
      await run;
    }
  }

  const schedulerOf = (jobs: Job[], knex: Knex = connection.knex, leaseMs?: number) =>
    new Scheduler({ jobs, leases: jobLeaseStore(knex, tables), logger, ...(leaseMs ? { leaseMs } : {}) });
  const positionOf = (name: string) => mailboxPositionStore(connection.knex, tables).get(name);

  it('takes each appended message once, in UID order, whole, and flags it \\Seen', async () => {
    const user = dovecot.addUser();
    const mailbox = dovecot.mailbox(user);
    const intake = new Intake();
    const uids = await dovecot.append(user, 'INBOX', ...ids(user, 5).map((id) => message(id)));
    await runUntil(readerOf(mailbox, intake), () => intake.taken.length === 5);
    assert.deepEqual(intake.taken, ids(user, 5));
    assert.deepEqual(intake.options[0], { source: 'imap', mailbox: user });
    const stored = await dovecot.messages(user, 'INBOX');
    assert.deepEqual(
      stored.map((m) => m.flags),
      uids.map(() => ['\\Seen']),
    );
    const position = await positionOf(user);
    assert.equal(position?.lastUid, uids[4]);

    // The next run takes only what is new.
    await dovecot.append(user, 'INBOX', message(`${user}-6`));
    await runUntil(readerOf(mailbox, intake), () => intake.taken.length >= 6);
    assert.deepEqual(intake.taken, ids(user, 6));
    assert.deepEqual(
      log.filter((l) => !l.startsWith('info')),
      [],
    );
  });

  it('moves processed mail to moveTo, making the folder when it is missing', async () => {
    const user = dovecot.addUser();
    const intake = new Intake();
    await dovecot.append(user, 'INBOX', ...ids(user, 3).map((id) => message(id)));
    await runUntil(readerOf(dovecot.mailbox(user, { moveTo: 'Processed' }), intake), () => intake.taken.length === 3);
    assert.deepEqual(intake.taken, ids(user, 3));
    await waitUntil(async () => (await dovecot.messages(user, 'INBOX')).length === 0, 5000, 'the inbox to empty');
    assert.deepEqual(
      (await dovecot.messages(user, 'Processed')).map((m) => m.messageId),
      ids(user, 3).map((id) => `<${id}@test.example>`),
    );
  });

  it('after a restart, a new scheduler goes on after the last UID taken: nothing skipped or repeated', async () => {
    const user = dovecot.addUser();
    const mailbox = dovecot.mailbox(user);
    const intake = new Intake();
    await dovecot.append(user, 'INBOX', ...ids(user, 5).map((id) => message(id)));
    const first = schedulerOf([readerOf(mailbox, intake)]);
    first.start();
    await waitUntil(() => intake.taken.length === 5, 10_000, 'the first instance to read');
    await first.stop();

    // Mail that arrives while no instance runs; the flagged messages stay in the folder.
    await dovecot.append(user, 'INBOX', ...ids(user, 5, 6).map((id) => message(id)));
    const second = schedulerOf([readerOf(mailbox, intake, other.knex)], other.knex);
    second.start();
    try {
      await waitUntil(() => intake.taken.length >= 10, 10_000, 'the second instance to read');
    } finally {
      await second.stop();
    }
    assert.deepEqual(intake.taken, ids(user, 10));
  });

  it('a message the intake could not take stays unflagged and is read again next run, from there on', async () => {
    const user = dovecot.addUser();
    const mailbox = dovecot.mailbox(user);
    const intake = new Intake();
    const uids = await dovecot.append(user, 'INBOX', ...ids(user, 3).map((id) => message(id)));
    intake.refuse.add(`${user}-2`);
    // The run ends by itself at the refusal.
    await readerOf(mailbox, intake).run({ now: Date.now, signal: new AbortController().signal });
    assert.deepEqual(intake.taken, [`${user}-1`]);
    assert.deepEqual(
      (await dovecot.messages(user, 'INBOX')).map((m) => m.flags),
      [['\\Seen'], [], []],
    );
    assert.equal((await positionOf(user))?.lastUid, uids[0]);
    assert.ok(
      log.some((l) => l.startsWith('warn') && l.includes(`message UID ${uids[1]} could not be taken`) && l.includes('read again next run')),
      log.join('\n'),
    );

    await runUntil(readerOf(mailbox, intake), () => intake.taken.length === 3);
    assert.deepEqual(intake.taken, ids(user, 3));
    assert.deepEqual(intake.attempts, [`${user}-1`, `${user}-2`, `${user}-2`, `${user}-3`]);
  });

  it('a new UIDVALIDITY (the folder made again) reads the folder again from its first message', async () => {
    const user = dovecot.addUser();
    const mailbox = dovecot.mailbox(user, { folder: 'Support' });
    const intake = new Intake();
    await dovecot.append(user, 'Support', ...ids(user, 3).map((id) => message(id)));
    await runUntil(readerOf(mailbox, intake), () => intake.taken.length === 3);
    const before = await positionOf(user);

    await dovecot.session(user, async (client) => {
      await client.mailboxDelete('Support');
      await client.mailboxCreate('Support');
    });
    // Their UIDs (1 and 2) are below the last one taken (3): only a reset finds them.
    const uids = await dovecot.append(user, 'Support', ...ids(user, 2, 4).map((id) => message(id)));
    assert.deepEqual(uids, [1, 2]);
    await runUntil(readerOf(mailbox, intake), () => intake.taken.length === 5);
    assert.deepEqual(intake.taken, ids(user, 5));
    const after = await positionOf(user);
    assert.notEqual(after?.uidValidity, before?.uidValidity);
    assert.equal(after?.lastUid, 2);
    assert.ok(
      log.some((l) => l.startsWith('warn') && l.includes(`UIDVALIDITY changed from ${before?.uidValidity} to ${after?.uidValidity}`)),
      log.join('\n'),
    );
  });

  it('two instances reading one mailbox: every message taken exactly once, by one instance at a time', async function () {
    this.timeout(40_000);
    const user = dovecot.addUser();
    // A short interval, so the job changes hands often.
    const mailbox = dovecot.mailbox(user, { pollSeconds: 1 });
    const intake = new Intake();
    let reading = 0;
    let mostAtOnce = 0;
    // Who took each message: runs never overlap (asserted below), so what a run adds is its own.
    const takenBy = { first: 0, second: 0 };
    const counted = (who: keyof typeof takenBy, job: Job): Job => ({
      ...job,
      async run(context) {
        mostAtOnce = Math.max(mostAtOnce, ++reading);
        const before = intake.taken.length;
        try {
          await job.run(context);
        } finally {
          takenBy[who] += intake.taken.length - before;
          reading--;
        }
      },
    });
    // A short lease too: an instance that finds the job held looks again when the lease would end.
    const first = schedulerOf([counted('first', readerOf(mailbox, intake))], connection.knex, 3000);
    const second = schedulerOf([counted('second', readerOf(mailbox, intake, other.knex))], other.knex, 3000);
    first.start();
    second.start();
    try {
      for (let batch = 0; batch < 4; batch++) {
        await dovecot.append(user, 'INBOX', ...ids(user, 10, batch * 10 + 1).map((id) => message(id)));
        await waitUntil(() => intake.taken.length >= (batch + 1) * 10, 10_000, `batch ${batch + 1}`);
      }
      // The first instance goes away; the second carries on alone.
      await first.stop();
      const firstTook = takenBy.first;
      await dovecot.append(user, 'INBOX', ...ids(user, 10, 41).map((id) => message(id)));
      await waitUntil(() => intake.taken.length >= 50, 10_000, 'the second instance to read on');
      // The second may take them in a run it was already in (waiting in IDLE), so count messages, not runs.
      assert.equal(takenBy.first, firstTook, 'the stopped instance takes nothing more');
    } finally {
      await first.stop();
      await second.stop();
    }
    assert.deepEqual(intake.taken, ids(user, 50));
    assert.equal(mostAtOnce, 1, 'never two runs in the mailbox at once');
    await waitUntil(() => reading === 0, 5_000, 'the last run to end');
    assert.equal(takenBy.first + takenBy.second, 50, 'every message counted to the instance that took it');
  });

  it('a mailbox of 1,000 messages: each taken exactly once, in order', async function () {
    this.timeout(60_000);
    const user = dovecot.addUser();
    const intake = new Intake();
    const all = ids(user, 1000);
    await dovecot.append(user, 'INBOX', ...all.map((id) => message(id)));
    await runUntil(readerOf(dovecot.mailbox(user), intake), () => intake.taken.length >= 1000, 50_000);
    assert.deepEqual(intake.taken, all);
    assert.equal((await dovecot.messages(user, 'INBOX')).filter((m) => m.flags.includes('\\Seen')).length, 1000);
  });

  it('IDLE: a message that arrives while the reader waits is taken at once, not pollSeconds later, and stop() ends the wait', async () => {
    const user = dovecot.addUser();
    const intake = new Intake();
    await dovecot.append(user, 'INBOX', message(`${user}-1`));
    const scheduler = schedulerOf([readerOf(dovecot.mailbox(user, { pollSeconds: 120 }), intake)]);
    scheduler.start();
    try {
      await waitUntil(() => intake.taken.length === 1, 10_000, 'the first message');
      await waitUntil(() => dovecot.idling(user), 10_000, 'the reader to IDLE');
      const sent = Date.now();
      await dovecot.append(user, 'INBOX', message(`${user}-2`));
      await waitUntil(() => intake.taken.length === 2, 10_000, 'the message sent during IDLE');
      assert.ok(Date.now() - sent < 10_000);
      await waitUntil(() => dovecot.idling(user), 10_000, 'the reader to IDLE again');
    } finally {
      const stopping = Date.now();
      await scheduler.stop();
      assert.ok(Date.now() - stopping < 5000, 'stop() does not wait for the IDLE to run out');
    }
    assert.deepEqual(intake.taken, ids(user, 2));
  });

  it('a message over maxMessageMb is not downloaded: logged, marked processed, and passed', async () => {
    const user = dovecot.addUser();
    const intake = new Intake();
    const uids = await dovecot.append(user, 'INBOX', message(`${user}-1`), message(`${user}-2`, 'x'.repeat(8000)), message(`${user}-3`));
    await runUntil(readerOf(dovecot.mailbox(user), intake, connection.knex, 4000), () => intake.taken.length === 2);
    assert.deepEqual(intake.taken, [`${user}-1`, `${user}-3`]);
    assert.deepEqual(intake.attempts, intake.taken, 'the large one never reached the intake');
    assert.deepEqual(
      (await dovecot.messages(user, 'INBOX')).map((m) => m.flags),
      [['\\Seen'], ['\\Seen'], ['\\Seen']],
    );
    assert.ok(
      log.some((l) => l.startsWith('error') && l.includes(`message UID ${uids[1]}`) && l.includes('over the limit of 4 KB')),
      log.join('\n'),
    );
  });

  it('a refused login is logged with the server named and without the password, and the run ends', async () => {
    const user = dovecot.addUser();
    const mailbox = { ...dovecot.mailbox(user), password: 'wrong-Pa55word' };
    const intake = new Intake();
    await readerOf(mailbox, intake).run({ now: Date.now, signal: new AbortController().signal });
    assert.equal(log.length, 1, log.join('\n'));
    assert.match(
      log[0] as string,
      new RegExp(
        `^error support-requests mail in: mailbox "${user}" \\(${user}@127\\.0\\.0\\.1:${dovecot.port}/INBOX\\): the server refused the user name or password`,
      ),
    );
    assert.ok(!log[0]?.includes('wrong-Pa55word'));
  });

  it('a folder that is not there is logged by name, and the run ends', async () => {
    const user = dovecot.addUser();
    await readerOf(dovecot.mailbox(user, { folder: 'Nowhere' }), new Intake()).run({ now: Date.now, signal: new AbortController().signal });
    assert.equal(log.length, 1, log.join('\n'));
    assert.match(
      log[0] as string,
      /^error support-requests mail in: mailbox "user\d+" .*\/Nowhere\): the server refused SELECT: Mailbox doesn't exist: Nowhere/,
    );
  });

  it('the plugin reads each configured mailbox once mail in is set up (address and secret), and none before', async () => {
    const [user, second, unread] = [dovecot.addUser(), dovecot.addUser(), dovecot.addUser()];
    await dovecot.append(user, 'INBOX', message(`${user}-1`));
    await dovecot.append(unread, 'INBOX', message(`${unread}-1`));
    const secret = 's'.repeat(32);
    // Started first: had it a reader, that reader would log in before the other plugin's does.
    const off = await startPlugin(db, { mail: { inbound: { secret, mailboxes: [dovecot.mailbox(unread)] } } });
    const on = await startPlugin(db, {
      mail: { inbound: { address: 'support@panel.example', secret, mailboxes: [dovecot.mailbox(user), dovecot.mailbox(second)] } },
    });
    const readersOf = async (t: typeof on) =>
      ((await t.knex(t.tables.jobLeases).pluck('name')) as string[]).filter((name) => name.startsWith('imap:')).sort();
    try {
      // Taken by the plugin's own receiveMail, whatever it answers: every answer is final.
      await waitUntil(
        async () => (await dovecot.messages(user, 'INBOX'))[0]?.flags.includes('\\Seen') ?? false,
        10_000,
        'the message flagged',
      );
      await waitUntil(async () => (await readersOf(on)).length === 2, 10_000, 'a reader per mailbox');
      assert.deepEqual(await readersOf(on), [`imap:${user}`, `imap:${second}`]);
      assert.deepEqual(await readersOf(off), []);
      const logins = dovecot.log().split(`Login: user=<${unread}>`).length - 1;
      assert.equal(logins, 1, 'only the APPEND logged in to the mailbox of the plugin without mail in');
      assert.equal((await dovecot.messages(unread, 'INBOX'))[0]?.flags.includes('\\Seen'), false);
    } finally {
      await off.close();
      await on.close();
    }
  });
});
