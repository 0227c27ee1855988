// Several instances of a host on one PostgreSQL or MariaDB database: every queued e-mail goes
// out exactly once. (On SQLite one process dispatches; the README says so.)
import assert from 'node:assert/strict';
import { databases } from '../support/databases';
import { startPlugin, type TestPlugin } from '../support/test-host';
import { SmtpSink, waitUntil } from '../support/smtp-sink';
import { queuedMail, waitForIdleOutbox } from '../support/outbox';
import { outboxStore } from '../../src/store/outbox';

const MAILS = 200;

for (const db of databases.filter((d) => d.name !== 'sqlite')) {
  describe(`two dispatchers on one database [${db.name}]`, () => {
    let sink: SmtpSink;
    let owner: TestPlugin;
    const instances: TestPlugin[] = [];

    before(async () => {
      sink = await SmtpSink.started();
      owner = await startPlugin(db, { mail: { confirmToCustomer: false } });
    });
    after(async () => {
      for (const instance of instances) await instance.close();
      await owner.close();
      await sink.stop();
    });

    it(`delivers ${MAILS} pending e-mails exactly once between them`, async () => {
      const items = Array.from({ length: MAILS }, (_, i) => queuedMail(i));
      await outboxStore(owner.knex, owner.tables).enqueue(items, Date.now());

      const logs: string[][] = [[], []];
      const settings = { mail: sink.settings({ batchSize: 5, pollSeconds: 0.05 }) };
      instances.push(...(await Promise.all(logs.map((log) => startPlugin(db, settings, { instanceOf: owner, log })))));

      await sink.waitFor(MAILS, 30_000);
      await waitForIdleOutbox(owner);
      assert.equal(sink.received.length, MAILS);
      assert.deepEqual(sink.duplicates(), []);
      assert.equal(new Set(sink.received.map((m) => m.parsed.messageId)).size, MAILS);
      const rows = await owner.knex(owner.tables.outbox).select('status', 'attempts');
      assert.ok(
        rows.every((r) => r.status === 'sent' && Number(r.attempts) === 1),
        'each row sent on its first and only claim',
      );
      const sentBy = () => logs.map((log) => log.filter((line) => line.includes(' sent #')).length);
      // A row reads as sent as soon as its batch's write commits; its instance logs it a moment later.
      await waitUntil(async () => sentBy()[0]! + sentBy()[1]! >= MAILS, 5000, 'every sent e-mail to be logged').catch(() => undefined);
      assert.equal(sentBy()[0]! + sentBy()[1]!, MAILS);
      assert.ok(
        sentBy().every((n) => n > 0),
        `both instances took part: ${sentBy().join(' + ')}`,
      );
    });
  });
}
