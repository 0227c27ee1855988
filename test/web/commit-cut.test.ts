// The database connection dies around the COMMIT of a new request (or a reply), through a real TCP proxy in
// front of the server. The answer must match what the database holds: committed → the customer
// is sent to the request and its files stay; not committed → "try again" with the text kept,
// and neither rows nor files remain. No attachment row may ever point at a missing file.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { forEachServerDatabase, throughPort, type Connection } from '../support/databases';
import { filesUnder, startPlugin, type TestPlugin } from '../support/test-host';
import { createTicket, departmentId } from '../support/tickets';
import { TcpProxy, type CommitCut } from '../support/tcp-proxy';
import { png } from '../support/samples';

forEachServerDatabase('the connection cut at COMMIT of a new request', (db) => {
  let proxy: TcpProxy;
  let t: TestPlugin;
  let direct: Connection;

  beforeEach(async () => {
    proxy = await TcpProxy.start(db.address!);
    t = await startPlugin(throughPort(db, proxy.port));
    direct = db.connect();
  });
  afterEach(async () => {
    await t.close();
    await proxy.stop();
    await direct.release();
  });

  /** Sends a new request whose transaction's COMMIT the proxy cuts; returns the answer and the key. */
  async function createCut(mode: CommitCut) {
    const ivan = t.as('ivan');
    const token = await ivan.csrf();
    const key = `key-${Date.now()}`;
    const technical = await departmentId(t, 'technical');
    // The connection that inserts this ticket is the one cut, not a mail dispatcher's.
    const cut = proxy.cutAtCommit(new RegExp(`insert into [\`"]${t.tables.tickets}[\`"]`, 'i'), mode);
    const res = await ivan
      .post(`/?_csrf=${encodeURIComponent(token)}`)
      .field('submissionKey', key)
      .field('subject', 'Сервер недоступен')
      .field('departmentId', technical)
      .field('message', 'Пинг не проходит с 09:40.')
      .attach('files', png, 'screen.png');
    await cut;
    return { res, key };
  }

  /** Every attachment row's file is on disk. */
  async function assertNoMissingFiles(): Promise<void> {
    const rows = (await direct.knex(t.tables.attachments).select('storage_key')) as Array<{ storage_key: string }>;
    for (const { storage_key: key } of rows)
      assert.ok(fs.existsSync(path.join(t.storageDir, key.slice(0, 2), key)), `file ${key} of an attachment row exists`);
  }

  it('when COMMIT reached the server: the request exists, the customer is sent to it, and its file is kept', async () => {
    const { res, key } = await createCut('after-commit');
    const row = await direct.knex(t.tables.tickets).where('submission_key', key).first('id', 'number');
    assert.ok(row, 'the ticket committed');
    assert.equal(res.status, 303, res.text.slice(0, 500));
    assert.equal(res.headers.location, `/support/requests/${row.number}?created=1`);
    assert.equal(Number((await direct.knex(t.tables.attachments).where('ticket_id', row.id).count({ n: '*' }))[0]?.n), 1);
    await assertNoMissingFiles();
    assert.equal(filesUnder(t.storageDir).length, 1);
  });

  it("a customer's reply whose COMMIT reached the server: the customer lands on it, and its file is kept", async () => {
    const ivan = t.as('ivan');
    const number = await createTicket(t, ivan);
    const token = await ivan.csrf();
    const cut = proxy.cutAtCommit(new RegExp(`insert into [\`"]${t.tables.messages}[\`"]`, 'i'), 'after-commit');
    const res = await ivan
      .post(`/${number}/reply?_csrf=${encodeURIComponent(token)}`)
      .field('submissionKey', `key-${Date.now()}`)
      .field('message', 'Снимок экрана приложен.')
      .attach('files', png, 'screen.png');
    await cut;
    const reply = await direct.knex(t.tables.messages).where('body', 'Снимок экрана приложен.').first('id');
    assert.ok(reply, 'the reply committed');
    assert.equal(res.status, 303, res.text.slice(0, 500));
    assert.equal(res.headers.location, `/support/requests/${number}?replied=1#m${reply.id}`);
    await assertNoMissingFiles();
    assert.equal(filesUnder(t.storageDir).length, 1);
  });

  it('when the connection dropped before COMMIT: nothing is kept, and the customer gets 503 with the text to send again', async () => {
    const { res } = await createCut('before-commit');
    assert.equal(res.status, 503);
    assert.match(res.text, /Попробуйте ещё раз через минуту/);
    assert.match(res.text, /Сервер недоступен<\/textarea>/);
    assert.match(res.text, /Пинг не проходит с 09:40.<\/textarea>/);
    assert.doesNotMatch(res.text, /insert into|at \S+ \(|node_modules/i, 'no SQL or stack trace');
    assert.equal(Number((await direct.knex(t.tables.tickets).count({ n: '*' }))[0]?.n), 0);
    await assertNoMissingFiles();
    assert.deepEqual(filesUnder(t.storageDir), [], 'the upload is removed');
  });
});
