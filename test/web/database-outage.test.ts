// The database goes away (a real TCP proxy in front of it stops): every page answers 503 with
// a localized "try again in a minute", a form's typed text comes back to copy, nothing leaks
// (no stack, SQL or path), and the plugin works again once the database is back.
import assert from 'node:assert/strict';
import type { Response } from 'supertest';
import { forEachServerDatabase, throughPort } from '../support/databases';
import { startPlugin, type TestPlugin } from '../support/test-host';
import { createTicket, departmentId } from '../support/tickets';
import { TcpProxy } from '../support/tcp-proxy';

const RU = /Запросы временно недоступны[\s\S]*Попробуйте ещё раз через минуту/;
const EN = /Support requests are briefly unavailable[\s\S]*Please try again in a minute/;

function assertUnavailable(res: Response, language: RegExp, typed: string[] = []): void {
  assert.equal(res.status, 503, res.text.slice(0, 500));
  assert.equal(res.headers['retry-after'], '60');
  assert.match(res.text, language);
  for (const text of typed) assert.ok(res.text.includes(`>${text}</textarea>`), `"${text}" is shown to copy`);
  assert.doesNotMatch(
    res.text,
    /ECONNREFUSED|select |insert into|\bat \S+ \(|node_modules|\/tmp\//i,
    'no error detail, SQL, stack or path',
  );
}

forEachServerDatabase('the database unreachable', (db) => {
  let proxy: TcpProxy;
  let t: TestPlugin;
  let number: string;
  let technical: string;
  let clientRelations: string;
  let ivanToken: string;
  let adminToken: string;
  const log: string[] = [];

  before(async () => {
    proxy = await TcpProxy.start(db.address!);
    t = await startPlugin(throughPort(db, proxy.port), {}, { log });
    number = await createTicket(t, t.as('ivan'));
    technical = await departmentId(t, 'technical');
    clientRelations = await departmentId(t, 'client_relations');
    // Tokens live in the host's session, so forms rendered before the outage can still be sent.
    ivanToken = await t.as('ivan').csrf();
    adminToken = await t.as('admin').csrf(`/${number}`);
    await proxy.stop();
  });
  after(async () => {
    await proxy.listen();
    await t.close();
    await proxy.stop();
  });

  it('a new request: 503, and the subject and message come back to copy', async () => {
    const res = await t
      .as('ivan')
      .post(`/?_csrf=${encodeURIComponent(ivanToken)}`)
      .field('submissionKey', 'outage-create')
      .field('subject', 'Сайт не открывается')
      .field('departmentId', technical)
      .field('message', 'С утра сайт отдаёт 502, перезапуск nginx не помог.');
    assertUnavailable(res, RU, ['Сайт не открывается', 'С утра сайт отдаёт 502, перезапуск nginx не помог.']);
    assert.ok(
      log.some((line) => /^error .*POST .*database unavailable/.test(line)),
      'logged as an outage',
    );
    assert.ok(!log.some((line) => /\n\s+at /.test(line)), 'without a stack trace');
  });

  it("a customer's reply: 503 with the message kept", async () => {
    const res = await t
      .as('ivan')
      .post(`/${number}/reply?_csrf=${encodeURIComponent(ivanToken)}`)
      .field('submissionKey', 'outage-reply')
      .field('message', 'SSH тоже не отвечает.');
    assertUnavailable(res, RU, ['SSH тоже не отвечает.']);
  });

  it("staff's answer, note and transfer: 503 with the text kept", async () => {
    const admin = t.as('admin');
    const post = (path: string) => admin.post(`/${number}/${path}?_csrf=${encodeURIComponent(adminToken)}`);
    assertUnavailable(
      await post('reply').field('lastSeenId', '1').field('submissionKey', 'outage-answer').field('message', 'We restarted the server.'),
      EN,
      ['We restarted the server.'],
    );
    assertUnavailable(await post('note').field('submissionKey', 'outage-note').field('note', 'Old plan, check billing.'), EN, [
      'Old plan, check billing.',
    ]);
    assertUnavailable(
      await post('transfer')
        .type('form')
        .send({ submissionKey: 'outage-transfer', departmentId: clientRelations, reason: 'A billing question' }),
      EN,
      ['A billing question'],
    );
  });

  it('pages and plain actions: 503', async () => {
    assertUnavailable(await t.as('ivan').get('/'), RU);
    assertUnavailable(await t.as('ivan').get(`/${number}`), RU);
    assertUnavailable(await t.as('admin').get('/'), EN);
    assertUnavailable(await t.as('admin').get('/admin/mail'), EN);
    assertUnavailable(
      await t
        .as('admin')
        .post(`/${number}/status?_csrf=${encodeURIComponent(adminToken)}`)
        .type('form')
        .send({ open: '0' }),
      EN,
    );
  });

  it('works again once the database is back', async () => {
    await proxy.listen();
    try {
      const again = await t
        .as('ivan')
        .post(`/?_csrf=${encodeURIComponent(ivanToken)}`)
        .field('submissionKey', 'outage-create')
        .field('subject', 'Сайт не открывается')
        .field('departmentId', technical)
        .field('message', 'С утра сайт отдаёт 502.');
      assert.equal(again.status, 303, again.text.slice(0, 300));
    } finally {
      await proxy.stop();
    }
  });
});
