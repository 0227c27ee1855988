// Every write needs the session's CSRF token, checked before the body is read: a forged upload
// never reaches the disk.
import assert from 'node:assert/strict';
import { forEachDatabase } from '../support/databases';
import { filesUnder, startPlugin, type TestPlugin } from '../support/test-host';
import { createTicket, departmentId } from '../support/tickets';
import { png } from '../support/samples';

forEachDatabase('CSRF protection', (db) => {
  let t: TestPlugin;
  before(async () => {
    t = await startPlugin(db);
  });
  after(() => t.close());

  it('refuses a create without the token before storing any file', async () => {
    const res = await t
      .as('ivan')
      .post('/')
      .field('_csrf', 'in-the-body-is-too-late')
      .field('subject', 'Тема')
      .field('departmentId', await departmentId(t, 'technical'))
      .field('message', 'Текст')
      .attach('files', png, 'a.png');
    assert.equal(res.status, 403);
    assert.match(res.text, /Форма устарела/);
    assert.equal(filesUnder(t.storageDir).length, 0);
    assert.equal(Number((await t.knex(t.tables.tickets).count({ n: '*' }))[0]?.n), 0);
  });

  it("refuses another session's token, though this session has one of its own", async () => {
    const ivanToken = await t.as('ivan').csrf();
    const aliceToken = await t.as('alice').csrf();
    assert.notEqual(aliceToken, ivanToken);
    const create = (token: string) =>
      t
        .as('ivan')
        .post(`/?_csrf=${encodeURIComponent(token)}`)
        .field('subject', 'Чужой токен')
        .field('message', '');
    const forged = await create(aliceToken);
    assert.equal(forged.status, 403);
    assert.match(forged.text, /Форма устарела/);
    // The same request with ivan's own token gets past the check, to the form's own errors.
    assert.equal((await create(ivanToken)).status, 422);
    assert.equal(Number((await t.knex(t.tables.tickets).where('subject', 'Чужой токен').count({ n: '*' }))[0]?.n), 0);
  });

  it('refuses reply and close without the token', async () => {
    const number = await createTicket(t, t.as('ivan'));
    assert.equal((await t.as('ivan').post(`/${number}/reply`).field('message', 'текст')).status, 403);
    assert.equal((await t.as('ivan').post(`/${number}/close`)).status, 403);
    const ticket = await t.knex(t.tables.tickets).where('number', number).first('status');
    assert.equal(ticket.status, 'new');
    assert.equal(Number((await t.knex(t.tables.messages).count({ n: '*' }))[0]?.n), 1);
  });

  it('accepts the token in a header too', async () => {
    const token = await t.as('ivan').csrf();
    const number = await createTicket(t, t.as('ivan'));
    const res = await t.as('ivan').post(`/${number}/close`).set('x-csrf-token', token);
    assert.equal(res.status, 303);
  });
});
