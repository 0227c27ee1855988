// A customer reaches only their own tickets: anyone else's answers 404, exactly like a ticket
// that does not exist, so not even the existence of a number is confirmed.
import assert from 'node:assert/strict';
import { forEachDatabase } from '../support/databases';
import { startPlugin, type TestPlugin } from '../support/test-host';
import { createTicket } from '../support/tickets';
import { png } from '../support/samples';

forEachDatabase('access to tickets', (db) => {
  let t: TestPlugin;
  let number: string;
  let fileUrl: string;

  before(async () => {
    t = await startPlugin(db);
    number = await createTicket(t, t.as('ivan'), { files: [[png, 'screen.png']] });
    const page = await t.as('ivan').get(`/${number}`);
    fileUrl = /href="\/support\/requests(\/\d+\/files\/\d+)"/.exec(page.text)?.[1] as string;
    assert.ok(fileUrl);
  });
  after(() => t.close());

  it("answers 404 for another customer's ticket, same as for a missing one", async () => {
    const other = await t.as('alice').get(`/${number}`);
    const missing = await t.as('alice').get('/12345678');
    assert.equal(other.status, 404);
    assert.equal(missing.status, 404);
    assert.equal(other.text, missing.text);
    assert.doesNotMatch(other.text, /Проблема с VPS/);
  });

  it("answers 404 for another customer's attachment", async () => {
    const res = await t.as('alice').get(fileUrl);
    assert.equal(res.status, 404);
    assert.equal((await t.as('ivan').get(fileUrl)).status, 200);
  });

  it("answers 404 for an attachment id of another ticket through one's own ticket", async () => {
    const own = await createTicket(t, t.as('alice'), { subject: 'Своя тема', serviceId: 'svc-201' });
    const attachmentId = fileUrl.split('/').pop();
    assert.equal((await t.as('alice').get(`/${own}/files/${attachmentId}`)).status, 404);
  });

  it("refuses a reply to another customer's ticket with 404 and stores nothing", async () => {
    const alice = t.as('alice');
    const token = await alice.csrf();
    const before = await t.knex(t.tables.messages).count({ n: '*' });
    const res = await alice
      .post(`/${number}/reply?_csrf=${encodeURIComponent(token)}`)
      .field('message', 'чужой ответ')
      .attach('files', png, 'x.png');
    assert.equal(res.status, 404);
    const after = await t.knex(t.tables.messages).count({ n: '*' });
    assert.equal(Number(after[0]?.n), Number(before[0]?.n));
  });

  it("refuses to close another customer's ticket with 404", async () => {
    const alice = t.as('alice');
    const res = await alice.post(`/${number}/close?_csrf=${encodeURIComponent(await alice.csrf())}`);
    assert.equal(res.status, 404);
    const ticket = await t.knex(t.tables.tickets).where('number', number).first('status');
    assert.equal(ticket.status, 'new');
  });

  it("does not list another customer's tickets", async () => {
    const list = await t.as('alice').get('/');
    assert.equal(list.status, 200);
    assert.doesNotMatch(list.text, new RegExp(number));
  });

  it('asks an anonymous visitor to sign in and shows nothing', async () => {
    const res = await t.as('').get(`/${number}`);
    assert.equal(res.status, 401);
    assert.doesNotMatch(res.text, /Проблема с VPS/);
  });

  it('shows staff of another department neither the ticket nor its files, and its own department the staff page', async () => {
    assert.equal((await t.as('olga').get(`/${number}`)).status, 404);
    assert.equal((await t.as('olga').get(fileUrl)).status, 404);
    const tech = await t.as('tech').get(`/${number}`);
    assert.equal(tech.status, 200);
    assert.match(tech.text, /name="lastSeenId"/);
  });
});
