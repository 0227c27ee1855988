// A slow mail server must not make e-mail go out twice. Each message here takes longer than
// lease ÷ batch (and, in the last case, longer than the whole lease), with more mail queued than
// the SMTP connections take at once: a dispatcher that claimed more than it could send within
// the lease, or let the lease of an e-mail on the wire run out, would send some twice.
import assert from 'node:assert/strict';
import { forEachDatabase } from '../support/databases';
import { startPlugin, type TestPlugin } from '../support/test-host';
import { SmtpSink, waitUntil } from '../support/smtp-sink';
import { queuedMail, waitForIdleOutbox } from '../support/outbox';
import { outboxStore } from '../../src/store/outbox';

const MAILS = 40;
/** One-second leases (the least the settings allow) and small batches: 1000 ms ÷ 5 = 200 ms per e-mail. */
const tight = { leaseSeconds: 1, batchSize: 5, pollSeconds: 0.05, confirmToCustomer: false };

forEachDatabase('mail on a slow SMTP server', (db) => {
  let sink: SmtpSink;
  let owner: TestPlugin;
  let senders: TestPlugin[];

  beforeEach(async () => {
    sink = await SmtpSink.started();
    // The owner only holds the tables: it has no mail server and sends nothing.
    owner = await startPlugin(db, { mail: { confirmToCustomer: false } });
    senders = [];
  });
  afterEach(async () => {
    for (const sender of senders) await sender.close();
    await owner.close();
    await sink.stop();
  });

  async function queue(count: number, tag: string): Promise<void> {
    await outboxStore(owner.knex, owner.tables).enqueue(
      Array.from({ length: count }, (_, i) => queuedMail(i, tag)),
      Date.now(),
    );
  }

  async function startSenders(count: number, logs: string[][] = []): Promise<void> {
    for (let i = 0; i < count; i++) {
      logs.push([]);
      senders.push(await startPlugin(db, { mail: sink.settings(tight) }, { instanceOf: owner, log: logs[i] }));
    }
  }

  function assertEachOnce(count: number): void {
    assert.deepEqual(sink.duplicates(), []);
    assert.equal(sink.received.length, count);
    assert.equal(new Set(sink.received.map((m) => m.parsed.messageId)).size, count);
  }

  it(`sends ${MAILS} e-mails exactly once at 400 ms per message, holding no more than it sends in half a lease`, async () => {
    sink.acceptDelayMs = 400;
    await queue(MAILS, 'slow');
    await startSenders(1);
    // How many rows the dispatcher holds at a time: at most two per SMTP connection (5).
    let mostHeld = 0;
    await waitUntil(
      async () => {
        const sending = Number((await owner.knex(owner.tables.outbox).where('status', 'sending').count({ n: '*' }).first())?.n);
        mostHeld = Math.max(mostHeld, sending);
        return sink.received.length >= MAILS;
      },
      30_000,
      `${MAILS} e-mails`,
    );
    await waitForIdleOutbox(owner);
    assertEachOnce(MAILS);
    assert.ok(mostHeld > 0 && mostHeld <= 10, `held ${mostHeld} e-mails at once`);
    const rows = await owner.knex(owner.tables.outbox).select('status', 'attempts');
    assert.ok(
      rows.every((r) => r.status === 'sent' && Number(r.attempts) === 1),
      'each e-mail claimed once',
    );
  });

  it(`sends ${MAILS} e-mails exactly once between two instances at 400 ms per message`, async () => {
    sink.acceptDelayMs = 400;
    await queue(MAILS, 'shared');
    const logs: string[][] = [];
    await startSenders(2, logs);
    await sink.waitFor(MAILS, 30_000);
    await waitForIdleOutbox(owner);
    assertEachOnce(MAILS);
    const sentBy = logs.map((log) => log.filter((line) => line.includes(' sent #')).length);
    assert.equal(sentBy[0]! + sentBy[1]!, MAILS);
    assert.ok(
      sentBy.every((n) => n > 0),
      `both instances took part: ${sentBy.join(' + ')}`,
    );
  });

  it('never claims again an e-mail it is still sending, even when the lease has run out meanwhile (a stalled process)', async () => {
    sink.acceptDelayMs = 400;
    await queue(MAILS, 'stalled');
    await startSenders(1);
    // As if the process had stalled past its leases: every lease it holds is over, again and again.
    let expiring = true;
    const expire = (async () => {
      while (expiring) {
        await owner.knex(owner.tables.outbox).where('status', 'sending').update({ lease_until: 0 });
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    try {
      await sink.waitFor(MAILS, 30_000);
      await waitForIdleOutbox(owner);
    } finally {
      expiring = false;
      await expire;
    }
    assertEachOnce(MAILS);
  });

  it('keeps an e-mail that takes longer than the whole lease to send, so another instance does not send it again', async () => {
    sink.acceptDelayMs = 2500;
    await queue(3, 'stuck');
    await startSenders(2);
    await sink.waitFor(3, 15_000);
    await waitForIdleOutbox(owner);
    assertEachOnce(3);
    const rows = await owner.knex(owner.tables.outbox).select('status', 'attempts');
    assert.ok(
      rows.every((r) => r.status === 'sent' && Number(r.attempts) === 1),
      `each e-mail claimed once: ${JSON.stringify(rows)}`,
    );
  });
});

forEachDatabase('outbox claims', (db) => {
  let t: TestPlugin;
  beforeEach(async () => {
    t = await startPlugin(db, { mail: { confirmToCustomer: false } });
  });
  afterEach(() => t.close());

  it('never hands a dispatcher back a row it says it is still sending, even with the lease run out', async () => {
    const outbox = outboxStore(t.knex, t.tables);
    await outbox.enqueue([queuedMail(1, 'held'), queuedMail(2, 'held')], 1000);
    const first = await outbox.claim(2000, 100, 10);
    assert.equal(first.length, 2);
    const [held, other] = first;
    // Both leases have run out; the row still being sent stays out of the claim.
    const again = await outbox.claim(5000, 100, 10, [held!.id]);
    assert.deepEqual(
      again.map((item) => item.id),
      [other!.id],
    );
  });

  it('renews only the claim this dispatcher made, not one another instance made after the lease ran out', async () => {
    const outbox = outboxStore(t.knex, t.tables);
    await outbox.enqueue([queuedMail(1, 'renew')], 1000);
    const [mine] = await outbox.claim(2000, 100, 10);
    assert.equal(await outbox.renewLeases([{ id: mine!.id, attempts: mine!.attempts }], 3000), 1);
    const [theirs] = await outbox.claim(3100, 100, 10);
    assert.equal(theirs?.id, mine!.id, 'another instance re-claims it after the lease');
    assert.equal(await outbox.renewLeases([{ id: mine!.id, attempts: mine!.attempts }], 9000), 0);
    const row = await t.knex(t.tables.outbox).where('id', mine!.id).first('lease_until', 'attempts');
    assert.equal(Number(row.lease_until), 3200, "the other instance's lease stands");
    // Nor may the first dispatcher record a retry over the other's claim.
    await outbox.reschedule({ id: mine!.id, attempts: mine!.attempts }, 10_000, 'ECONNRESET');
    assert.equal((await t.knex(t.tables.outbox).where('id', mine!.id).first('status')).status, 'sending');
  });
});
