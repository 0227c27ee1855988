// An e-mail whose attempts keep failing for a transient reason (here: no server listening) is
// retried until giveUpAfterHours have passed since it was queued, then marked failed. The
// dispatcher runs on a clock the test moves, against a real database and a real SMTP client.
import assert from 'node:assert/strict';
import { forEachDatabase } from '../support/databases';
import { startPlugin, type TestPlugin } from '../support/test-host';
import { SmtpSink, waitUntil } from '../support/smtp-sink';
import { mailTemplates, queuedMail } from '../support/outbox';
import { outboxStore } from '../../src/store/outbox';
import { Dispatcher } from '../../src/mail/dispatcher';
import { TransportHealth } from '../../src/mail/health';
import { MailThread } from '../../src/mail/mail-sender';
import { FileStorage } from '../../src/files/storage';
import type { MailTransport } from '../../src/mail/transport';

const HOUR = 3_600_000;

forEachDatabase('giving up on an e-mail', (db) => {
  let t: TestPlugin;
  let dispatcher: Dispatcher;
  let transport: MailTransport;

  beforeEach(async () => {
    // Only for its tables: no mail server configured, so its own dispatcher sends nothing.
    t = await startPlugin(db, { mail: { confirmToCustomer: false } });
  });
  afterEach(async () => {
    await dispatcher.stop();
    await transport.transporter?.close();
    await t.close();
  });

  it('retries a transient failure until giveUpAfterHours have passed since queueing, then marks it failed', async () => {
    const down = await SmtpSink.onFreePort();
    const queuedAt = Date.UTC(2026, 10, 1, 9, 0);
    let clock = queuedAt;
    const outbox = outboxStore(t.knex, t.tables);
    await outbox.enqueue([queuedMail(1, 'give-up')], queuedAt);

    const log: string[] = [];
    const logger = { info: (m: string) => log.push(m), warn: (m: string) => log.push(m), error: (m: string) => log.push(`error ${m}`) };
    transport = {
      transporter: new MailThread({
        smtp: { pool: true, host: '127.0.0.1', port: down.port, secure: false, connectionTimeout: 2000 },
        render: mailTemplates,
      }),
      from: { name: 'Support', address: 'support@panel.example' },
      source: 'settings',
      connections: 5,
    };
    dispatcher = new Dispatcher({
      outbox,
      transport,
      health: new TransportHealth(transport, logger, { notAnsweringAfterMs: 1000 }),
      storage: new FileStorage(t.storageDir),
      logger,
      retry: { minDelaySeconds: 10, maxDelaySeconds: 3600, giveUpAfterHours: 48 },
      // The test nudges; the timer never fires on its own.
      pollMs: 3_600_000,
      leaseMs: 60_000,
      batchSize: 10,
      now: () => clock,
    });
    const row = () => t.knex(t.tables.outbox).first('status', 'attempts', 'next_attempt_at', 'last_error');
    const attemptsDone = (n: number) =>
      waitUntil(
        async () => Number((await row()).attempts) === n && (await row()).status !== 'sending',
        10_000,
        `attempt ${n} to be recorded`,
      );

    dispatcher.start();
    await attemptsDone(1);
    let state = await row();
    assert.equal(state.status, 'pending');
    assert.match(state.last_error, /ECONNREFUSED/);
    assert.ok(Number(state.next_attempt_at) > clock, 'the retry is scheduled later');

    // 47 hours on: the next retry would still fall within 48 hours, so it is scheduled.
    clock = queuedAt + 47 * HOUR;
    dispatcher.nudge();
    await attemptsDone(2);
    state = await row();
    assert.equal(state.status, 'pending', 'not given up before giveUpAfterHours');
    assert.ok(Number(state.next_attempt_at) - queuedAt <= 48 * HOUR);

    // Past 48 hours: the e-mail is failed with the last answer, and the admin can retry it by hand.
    clock = queuedAt + 48 * HOUR + 60_000;
    dispatcher.nudge();
    await attemptsDone(3);
    state = await row();
    assert.equal(state.status, 'failed');
    assert.match(state.last_error, /ECONNREFUSED/);
    assert.ok(
      log.some((line) => line.startsWith('error') && /failed #10000001 .* after attempt 3: .*ECONNREFUSED/.test(line)),
      log.join('\n'),
    );
  });
});
