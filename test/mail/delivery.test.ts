// E-mail is never lost and never sent twice: a mail server that is down, busy or refusing,
// a dispatcher that died holding a lease, and a plugin closed in the middle of a batch.
import assert from 'node:assert/strict';
import { forEachDatabase } from '../support/databases';
import { startPlugin, type TestPlugin } from '../support/test-host';
import { createTicket } from '../support/tickets';
import { SmtpSink, waitUntil } from '../support/smtp-sink';
import { waitForIdleOutbox } from '../support/outbox';
import { outboxStore } from '../../src/store/outbox';

const departments = { technical: { emails: ['tech@panel.example'] }, client_relations: { emails: ['clients@panel.example'] } };
/** Quick retries and polls, so a test sees several rounds in well under a second. */
const quick = { pollSeconds: 0.05, retry: { minDelaySeconds: 0.05, maxDelaySeconds: 0.2, giveUpAfterHours: 1 } };

async function statuses(t: TestPlugin): Promise<Record<string, number>> {
  const rows = await t.knex(t.tables.outbox).select('status');
  const counts: Record<string, number> = {};
  for (const row of rows) counts[row.status] = (counts[row.status] ?? 0) + 1;
  return counts;
}

forEachDatabase('mail delivery', (db) => {
  let sink: SmtpSink;
  let t: TestPlugin;
  let second: TestPlugin | null = null;
  let log: string[];

  beforeEach(async () => {
    sink = await SmtpSink.onFreePort();
    log = [];
  });
  afterEach(async () => {
    await second?.close();
    second = null;
    await t.close();
    await sink.stop();
  });

  it('creates every ticket while the mail server is down, and delivers every e-mail once when it is back', async () => {
    t = await startPlugin(db, { departments, mail: sink.settings(quick) }, { log });
    const ivan = t.as('ivan');
    const numbers: string[] = [];
    for (let i = 0; i < 5; i++) numbers.push(await createTicket(t, ivan, { subject: `Тикет ${i}`, message: `Сообщение ${i}` }));
    await waitUntil(() => log.some((line) => line.includes('retry')), 5000, 'a failed attempt');
    assert.equal(sink.received.length, 0);

    await sink.start();
    await sink.waitFor(10);
    await waitForIdleOutbox(t);
    assert.equal(sink.received.length, 10, 'nothing arrives twice');
    assert.deepEqual(sink.duplicates(), []);
    for (const number of numbers)
      assert.equal(
        sink.received.filter((m) => m.parsed.subject?.startsWith(`[#${number}]`)).length,
        2,
        `notice and confirmation of #${number}`,
      );
    assert.deepEqual(await statuses(t), { sent: 10 });
    assert.ok(
      log.some((line) => new RegExp(`retry #${numbers[0]} `).test(line)),
      'the retry is logged with the ticket number',
    );
  });

  it('retries 421 and 451 answers with backoff, then delivers', async () => {
    t = await startPlugin(db, { departments, mail: sink.settings({ ...quick, confirmToCustomer: false }) }, { log });
    sink.refusals.push(421, 451);
    await sink.start();
    const number = await createTicket(t, t.as('ivan'));
    await sink.waitFor(1);
    // A batch is marked sent in one write once all of it is on the wire: a moment after arrival.
    await waitUntil(async () => (await statuses(t)).sent === 1, 5000, 'the e-mail to be marked sent');
    const [row] = await t.knex(t.tables.outbox).select('status', 'attempts', 'last_error');
    assert.equal(row.status, 'sent');
    assert.equal(Number(row.attempts), 3);
    const retries = log.filter((line) => line.includes(`retry #${number}`));
    assert.equal(retries.length, 2);
    assert.match(retries[0] as string, /421/);
    assert.match(retries[1] as string, /451/);
  });

  it('marks a 550 answer failed after one attempt, shows it to the admin, and sends it again on Retry', async () => {
    t = await startPlugin(db, { departments, mail: sink.settings({ ...quick, confirmToCustomer: false }) }, { log });
    sink.refusals.push(550);
    await sink.start();
    const number = await createTicket(t, t.as('ivan'));
    await waitUntil(async () => (await statuses(t)).failed === 1, 5000, 'the e-mail to fail');
    // Failed is final: no dispatcher claims it again, so its attempt count is the last word.
    const [row] = await t.knex(t.tables.outbox).select('id', 'attempts', 'last_error');
    assert.equal(Number(row.attempts), 1, 'a permanent refusal is not retried');
    assert.match(row.last_error, /550/);
    assert.equal(sink.received.length, 0);
    // The dispatcher logs right after it records the failure: wait for the line, not just the row.
    await waitUntil(
      async () => log.some((line) => line.startsWith('error') && line.includes(`failed #${number}`)),
      5000,
      'the failure in the log',
    );

    const admin = t.as('admin');
    const page = await admin.get('/admin/mail');
    assert.equal(page.status, 200);
    assert.match(page.text, /data-count="failed">1</);
    assert.match(page.text, /test refusal 550/);
    assert.ok(page.text.includes(`#${number}`));

    // Without the token nothing changes.
    const forged = await admin.post(`/admin/mail/${row.id}/retry`);
    assert.equal(forged.status, 403);
    assert.deepEqual(await statuses(t), { failed: 1 });

    const token = await admin.csrf('/admin/mail');
    assert.equal((await admin.post(`/admin/mail/${Number(row.id) + 1000}/retry?_csrf=${encodeURIComponent(token)}`)).status, 404);
    const retried = await admin.post(`/admin/mail/${row.id}/retry?_csrf=${encodeURIComponent(token)}`);
    assert.equal(retried.status, 303);
    await sink.waitFor(1);
    await waitUntil(async () => (await statuses(t)).sent === 1, 5000, 'the e-mail to be marked sent');
    const after = await admin.get('/admin/mail?retried=1');
    assert.match(after.text, /data-count="failed">0</);
    assert.match(after.text, /data-count="sent">1</);
  });

  it('shows the mail page to admins only', async () => {
    t = await startPlugin(db, { departments, mail: sink.settings(quick) });
    await sink.start();
    for (const [user, status] of [
      ['ivan', 404],
      ['tech', 404],
      ['', 401],
    ] as const) {
      const res = await t.as(user).get('/admin/mail');
      assert.equal(res.status, status, `${user || 'anonymous'} must not see the mail page`);
      assert.doesNotMatch(res.text, /data-count/);
    }
  });

  it('sends an e-mail whose dispatcher died holding it once the lease runs out, with the same Message-ID', async () => {
    // The first instance has no mail server configured, so it only queues.
    t = await startPlugin(db, { departments, mail: { confirmToCustomer: false } });
    await createTicket(t, t.as('ivan'));
    const queued = await t.knex(t.tables.outbox).first('message_id');
    // A dispatcher claims the e-mail with a short lease and dies before sending it.
    const leaseMs = 700;
    const claimed = await outboxStore(t.knex, t.tables).claim(Date.now(), leaseMs, 10);
    const claimedAt = Date.now();
    assert.equal(claimed.length, 1);

    await sink.start();
    second = await startPlugin(db, { departments, mail: sink.settings(quick) }, { instanceOf: t });
    await sink.waitFor(1);
    assert.ok(Date.now() - claimedAt >= leaseMs - 50, 'not before the lease ran out');
    assert.equal(sink.received[0]?.parsed.messageId, queued.message_id);
    await waitForIdleOutbox(t);
    assert.equal(sink.received.length, 1);
    const row = await t.knex(t.tables.outbox).first('status', 'attempts');
    assert.equal(row.status, 'sent');
    assert.equal(Number(row.attempts), 2);
  });

  it('loses and repeats nothing when the plugin is closed in the middle of a batch and started again', async () => {
    t = await startPlugin(db, { departments, mail: { confirmToCustomer: false } });
    // More than the sender holds at once (two per connection), so closing leaves some behind.
    const total = 24;
    for (let i = 0; i < total; i++) await createTicket(t, t.as(i % 2 ? 'ivan' : 'alice'), { subject: `Тикет ${i}` });
    sink.acceptDelayMs = 60;
    await sink.start();

    const senderLog: string[] = [];
    const sender = await startPlugin(
      db,
      { departments, mail: sink.settings({ ...quick, batchSize: 1 }) },
      { instanceOf: t, log: senderLog },
    );
    await sink.waitFor(2);
    await sender.close();
    const sentBefore = sink.received.length;
    assert.ok(sentBefore < total, `closed mid-way (${sentBefore} sent)`);
    const afterClose = await statuses(t);
    assert.equal(afterClose.sending ?? 0, 0, 'close waits for the e-mails in flight and records them');
    assert.equal(afterClose.sent, sentBefore);
    const sentLines = () => senderLog.filter((line) => line.includes(' sent #')).length;
    assert.equal(sentLines(), sentBefore);

    second = await startPlugin(db, { departments, mail: sink.settings(quick) }, { instanceOf: t });
    await sink.waitFor(total);
    await waitForIdleOutbox(t);
    assert.equal(sink.received.length, total);
    assert.deepEqual(sink.duplicates(), []);
    assert.deepEqual(await statuses(t), { sent: total });
    assert.equal(sentLines(), sentBefore, 'the closed instance sent nothing more');
  });

  it('reports a mail server it cannot reach in the log and on the admin page, without failing to start', async () => {
    t = await startPlugin(db, { departments, mail: sink.settings(quick) }, { log });
    await waitUntil(() => log.some((line) => line.includes('does not work')), 5000, 'the transport check');
    assert.ok(log.some((line) => line.startsWith('error') && /ECONNREFUSED/.test(line)));
    const page = await t.as('admin').get('/admin/mail');
    assert.equal(page.status, 200);
    assert.match(page.text, /could not be used/);
    assert.match(page.text, /ECONNREFUSED/);
  });

  it('deletes e-mails sent longer ago than keepSentDays, and keeps failed, waiting and recent ones', async () => {
    t = await startPlugin(db, { departments, mail: { confirmToCustomer: false } });
    for (let i = 0; i < 4; i++) await createTicket(t, t.as('ivan'), { subject: `Тикет ${i}` });
    const ids = (await t.knex(t.tables.outbox).orderBy('id').pluck('id')).map(Number);
    const day = 86_400_000;
    const old = Date.now() - 31 * day;
    await t.knex(t.tables.outbox).where('id', ids[0]).update({ status: 'sent', sent_at: old });
    await t
      .knex(t.tables.outbox)
      .where('id', ids[1])
      .update({ status: 'sent', sent_at: Date.now() - 29 * day });
    await t.knex(t.tables.outbox).where('id', ids[2]).update({ status: 'failed', created_at: old, last_error: '550 no such user' });

    // The retention chore runs with the dispatcher, mail server or not.
    second = await startPlugin(db, { departments, mail: { keepSentDays: 30 } }, { instanceOf: t, log });
    await waitUntil(
      async () => Number((await t.knex(t.tables.outbox).count({ n: '*' }).first())?.n) === 3,
      10_000,
      'the old sent e-mail to go',
    );
    const left = await t.knex(t.tables.outbox).orderBy('id').select('id', 'status');
    assert.deepEqual(
      left.map((r) => [Number(r.id), r.status]),
      [
        [ids[1], 'sent'],
        [ids[2], 'failed'],
        [ids[3], 'pending'],
      ],
    );
    assert.ok(
      log.some((line) => /deleted 1 e-mail\(s\) sent more than 30 day\(s\) ago/.test(line)),
      log.join('\n'),
    );
  });

  it('says on the admin page when no mail server is configured at all', async () => {
    t = await startPlugin(db, { departments });
    const page = await t.as('admin').get('/admin/mail');
    assert.match(page.text, /Neither the panel nor the plugin settings give an SMTP server/);
  });
});
