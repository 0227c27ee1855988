// Creating a ticket is all or nothing: when the database fails after the files were written,
// no row remains (no queued e-mail either) and the files are removed.
import assert from 'node:assert/strict';
import { forEachDatabase } from '../support/databases';
import { filesUnder, startPlugin, type TestPlugin } from '../support/test-host';
import { departmentId } from '../support/tickets';
import { log, png } from '../support/samples';

forEachDatabase('a failure while creating a ticket', (db) => {
  let t: TestPlugin;
  before(async () => {
    t = await startPlugin(db);
  });
  after(() => t.close());

  it('leaves no ticket, message, attachment, outbox row or file', async () => {
    const ivan = t.as('ivan');
    const token = await ivan.csrf();
    // A real failure at the last insert: the attachments table is gone while the upload is stored.
    const hidden = `${t.tables.attachments}_away`;
    await t.knex.schema.renameTable(t.tables.attachments, hidden);
    let res;
    try {
      res = await ivan
        .post(`/?_csrf=${encodeURIComponent(token)}`)
        .field('subject', 'Тема')
        .field('departmentId', await departmentId(t, 'technical'))
        .field('message', 'Сообщение с файлами')
        .attach('files', png, 'a.png')
        .attach('files', log, 'b.log');
    } finally {
      await t.knex.schema.renameTable(hidden, t.tables.attachments);
    }
    assert.equal(res.status, 500);
    assert.match(res.text, /Ничего не сохранено/);
    for (const table of [t.tables.tickets, t.tables.messages, t.tables.attachments, t.tables.outbox]) {
      assert.equal(Number((await t.knex(table).count({ n: '*' }))[0]?.n), 0, `${table} is empty`);
    }
    assert.deepEqual(filesUnder(t.storageDir), []);
  });
});
