// Merging requests over HTTP on every database: the form, the confirmation page and the POST; what
// moves (every message and file, downloadable under the new number), the history, old links for the
// customer and staff, nothing for anyone else, refusals, a double submit, a duplicate, the
// customer's e-mail, and a mail reply to the old request's address.
import assert from 'node:assert/strict';
import { forEachDatabase } from '../support/databases';
import { startPlugin, type TestAgent, type TestPlugin } from '../support/test-host';
import { createTicket } from '../support/tickets';
import { postForm, rowCount } from '../support/forms';
import { log, png } from '../support/samples';
import { SmtpSink, waitUntil } from '../support/smtp-sink';
import { replyAddresses } from '../../src/mail/reply-address';

const INBOUND = { address: 'support@panel.example', secret: 'merge-test-secret-0123456789abcdefghijklmn' };

/** The confirmation page's POST, as the browser sends it after the GET form. */
async function confirmPage(agent: TestAgent, number: string, query: Record<string, string>) {
  const page = await agent.get(`/${number}/merge?${new URLSearchParams(query)}`);
  const token = decodeURIComponent(/merge\?_csrf=([^"&]+)/.exec(page.text)?.[1] ?? '');
  const hidden = (name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(page.text)?.[1] ?? '';
  return { page, token, fields: { target: hidden('target'), mode: hidden('mode') } };
}

async function merge(agent: TestAgent, from: string, into: string, mode = 'merge') {
  const { page, token, fields } = await confirmPage(agent, from, { target: into, mode });
  assert.equal(page.status, 200, page.text.slice(0, 500));
  return postForm(agent, `/${from}/merge`, token, fields);
}

forEachDatabase('merging requests', (db) => {
  let sink: SmtpSink;
  let t: TestPlugin;

  beforeEach(async () => {
    sink = await SmtpSink.started();
    t = await startPlugin(
      db,
      {
        departments: { technical: { emails: ['tech@panel.example'] }, client_relations: { emails: ['clients@panel.example'] } },
        publicBaseUrl: 'https://panel.example',
        mail: { ...sink.settings({ pollSeconds: 0.05, confirmToCustomer: false }), inbound: INBOUND },
      },
      { findUserByEmail: true },
    );
  });
  afterEach(async () => {
    await t.close();
    await sink.stop();
  });

  it('keeps every message and file: downloads work under the new number and the old; history moves, with the merge on both', async () => {
    const ivan = t.as('ivan');
    const tech = t.as('tech');
    const into = await createTicket(t, ivan, { subject: 'Сайт не открывается', files: [[log, 'nginx.log']] });
    const from = await createTicket(t, ivan, { subject: 'Сайт всё ещё лежит', files: [[png, 'screen.png']] });
    const count = async (table: string) => rowCount(t, table);
    const [messages, attachments] = [await count(t.tables.messages), await count(t.tables.attachments)];

    const form = await tech.get(`/${from}`);
    assert.match(form.text, new RegExp(`<option value="${into}"`), "the customer's other open request is offered");
    const { page } = await confirmPage(tech, from, { choice: into, target: '', mode: 'merge' });
    assert.equal(page.status, 200);
    assert.match(page.text, /data-merge-source/);
    assert.match(page.text, new RegExp(`Сайт не открывается`), 'both requests are shown');
    assert.equal(await count(t.tables.events), 0, 'the confirmation page changes nothing');

    const res = await merge(tech, from, into);
    assert.equal(res.status, 303, res.text.slice(0, 300));
    assert.equal(res.headers.location, `/support/requests/${into}`);
    assert.equal(await count(t.tables.messages), messages, 'no message lost or copied');
    assert.equal(await count(t.tables.attachments), attachments);

    const intoPage = await tech.get(`/${into}`);
    const links = [...intoPage.text.matchAll(new RegExp(`/${into}/files/(\\d+)`, 'g'))].map((m) => m[1]);
    assert.equal(new Set(links).size, 2, 'both files are in the new request');
    for (const id of new Set(links)) {
      assert.equal((await ivan.get(`/${into}/files/${id}`)).status, 200);
      assert.equal((await ivan.get(`/${from}/files/${id}`)).status, 200, 'an old file link keeps working');
    }
    assert.match(intoPage.text, /Сайт всё ещё лежит|С 10:00|SSH/);
    const history = [...intoPage.text.matchAll(/<li data-action="(\w+)"/g)].map((m) => m[1]);
    assert.deepEqual(history, ['merge']);
    const intoRow = await t.knex(t.tables.tickets).where('number', into).first('id');
    const fromRow = await t.knex(t.tables.tickets).where('number', from).first('id', 'merged_into_id', 'status');
    assert.equal(Number(fromRow.merged_into_id), Number(intoRow.id));
    assert.equal(fromRow.status, 'closed');
    assert.equal(Number((await t.knex(t.tables.events).where({ ticket_id: fromRow.id, action: 'merge' }).count({ n: '*' }))[0]?.n), 1);
  });

  it('old links lead to the new request for the customer and staff with access; nobody else learns anything', async () => {
    const ivan = t.as('ivan');
    const into = await createTicket(t, ivan);
    const from = await createTicket(t, ivan);
    assert.equal((await merge(t.as('tech'), from, into)).status, 303);

    for (const who of ['ivan', 'tech', 'admin']) {
      const old = await t.as(who).get(`/${from}`);
      assert.equal(old.status, 303, who);
      assert.equal(old.headers.location, `/support/requests/${into}`, who);
    }
    assert.equal((await t.as('alice').get(`/${from}`)).status, 404, 'another customer');
    assert.equal((await t.as('olga').get(`/${from}`)).status, 404, 'staff of another department');
    const list = await ivan.get('/');
    assert.doesNotMatch(list.text, new RegExp(from), 'the old request is gone from the list');
    assert.match(list.text, new RegExp(into));
    const customerPage = await ivan.get(`/${into}`);
    assert.match(customerPage.text, /data-merge/, 'the customer sees a line about it');
    assert.match(customerPage.text, new RegExp(`№${from}`));
  });

  it('tells the customer by e-mail in their language; a reply to the old address lands in the new request', async () => {
    const ivan = t.as('ivan');
    const into = await createTicket(t, ivan, { subject: 'Новый' });
    const from = await createTicket(t, ivan, { subject: 'Старый' });
    await merge(t.as('tech'), from, into);
    await waitUntil(() => sink.to('ivan@example.ru').length === 1, 10_000, 'the customer e-mail');
    const mail = sink.to('ivan@example.ru')[0]!.parsed;
    assert.match(mail.subject ?? '', new RegExp(`\\[#${into}\\] Ваши запросы объединены`));
    assert.match(mail.text ?? '', new RegExp(`Ваш запрос №${from} «Старый» объединён с запросом №${into} «Новый»`));
    assert.match(mail.text ?? '', new RegExp(`https://panel.example/support/requests/${into}`));

    const replyTo = replyAddresses(INBOUND.address, INBOUND.secret).forTicket(from, 'customer');
    const raw = Buffer.from(
      `From: ivan@example.ru\r\nTo: ${replyTo}\r\nSubject: Re: старый\r\nMessage-ID: <old-reply@mail.example>\r\n\r\nОтвечаю на старое письмо.\r\n`,
    );
    const outcome = await t.plugin.receiveMail(raw);
    assert.deepEqual([outcome.outcome, outcome.ticketNumber], ['stored', into]);
    assert.match((await ivan.get(`/${into}`)).text, /Отвечаю на старое письмо/);
  });

  it('refuses another customer, a department out of reach and a closed target next to the field; nothing changes', async () => {
    const into = await createTicket(t, t.as('ivan'));
    const from = await createTicket(t, t.as('ivan'));
    const alices = await createTicket(t, t.as('alice'));
    const billing = await createTicket(t, t.as('ivan'), { department: 'client_relations' });
    const tech = t.as('tech');
    const events = await rowCount(t, t.tables.events);
    const other = await tech.get(`/${from}/merge?target=${alices}&mode=merge`);
    assert.equal(other.status, 422);
    assert.match(other.text, /id="target-error"[^>]*>[^<]*другому клиенту|belongs to another customer/);
    const hidden = await tech.get(`/${from}/merge?target=${billing}&mode=merge`);
    assert.equal(hidden.status, 422);
    assert.match(hidden.text, new RegExp(`id="target-error"[^>]*>[^<]*${billing}`));
    // The POST refuses as the page does, even when forged past it.
    const token = await tech.csrf(`/${from}`);
    const forged = await postForm(tech, `/${from}/merge`, token, { target: billing, mode: 'merge' });
    assert.equal(forged.status, 422);
    // Staff without access to the source do not even see it.
    assert.equal((await t.as('olga').get(`/${from}/merge?target=${billing}&mode=merge`)).status, 404);
    const olgaToken = await t.as('olga').csrf(`/${billing}`);
    assert.equal((await postForm(t.as('olga'), `/${billing}/merge`, olgaToken, { target: from, mode: 'merge' })).status, 422);
    // A closed target: reopen it first.
    await postForm(tech, `/${into}/status`, token, { open: '0' });
    const closed = await tech.get(`/${from}/merge?target=${into}&mode=merge`);
    assert.equal(closed.status, 422);
    assert.equal(await rowCount(t, t.tables.events), events + 1, 'only the close was recorded');
    assert.equal((await tech.get(`/${from}`)).status, 200, 'the request is still itself');
  });

  it('a double submit merges once and lands both copies on the new request', async () => {
    const ivan = t.as('ivan');
    const into = await createTicket(t, ivan);
    const from = await createTicket(t, ivan);
    const tech = t.as('tech');
    const { token, fields } = await confirmPage(tech, from, { target: into, mode: 'merge' });
    const [a, b] = await Promise.all([postForm(tech, `/${from}/merge`, token, fields), postForm(tech, `/${from}/merge`, token, fields)]);
    assert.deepEqual([a.status, b.status], [303, 303]);
    assert.equal(a.headers.location, b.headers.location);
    await waitUntil(() => sink.to('ivan@example.ru').length >= 1, 10_000, 'the customer e-mail');
    const merges = await t.knex(t.tables.events).where('action', 'merge').count({ n: '*' });
    assert.equal(Number(merges[0]?.n), 2, 'one merge: an entry on each request');
    assert.equal(Number((await t.knex(t.tables.outbox).where('kind', 'customer-merged').count({ n: '*' }))[0]?.n), 1);
  });

  it('closes as a duplicate: nothing moves, the request stays at its number, closed, with a link', async () => {
    const ivan = t.as('ivan');
    const into = await createTicket(t, ivan);
    const dup = await createTicket(t, ivan);
    const messages = await t.knex(t.tables.messages).count({ n: '*' });
    const res = await merge(t.as('tech'), dup, into, 'duplicate');
    assert.equal(res.status, 303);
    assert.equal(res.headers.location, `/support/requests/${dup}`);
    assert.deepEqual(await t.knex(t.tables.messages).count({ n: '*' }), messages);
    const page = await ivan.get(`/${dup}`);
    assert.equal(page.status, 200, 'no redirect: its thread is its own');
    assert.match(page.text, new RegExp(`<a href="/support/requests/${into}">Закрыт как дубликат запроса №${into}`));
    const staffPage = await t.as('tech').get(`/${dup}`);
    assert.match(staffPage.text, /data-merge-banner/);
    await waitUntil(() => sink.to('ivan@example.ru').length === 1, 10_000, 'the customer e-mail');
    assert.match(sink.to('ivan@example.ru')[0]!.parsed.text ?? '', /закрыли его как дубликат/);
  });

  it('every role on both routes: customers 404, staff of another department 404, no token 403, admins may', async () => {
    const into = await createTicket(t, t.as('ivan'));
    const from = await createTicket(t, t.as('ivan'));
    const query = `target=${into}&mode=merge`;
    for (const who of ['ivan', 'alice']) {
      const agent = t.as(who);
      assert.equal((await agent.get(`/${from}/merge?${query}`)).status, 404, `${who} GET`);
      assert.equal(
        (await postForm(agent, `/${from}/merge`, await agent.csrf(), { target: into, mode: 'merge' })).status,
        404,
        `${who} POST`,
      );
    }
    const olga = t.as('olga');
    const billing = await createTicket(t, t.as('ivan'), { department: 'client_relations' });
    assert.equal((await olga.get(`/${from}/merge?${query}`)).status, 404);
    assert.equal((await postForm(olga, `/${from}/merge`, await olga.csrf(`/${billing}`), { target: into, mode: 'merge' })).status, 404);
    assert.equal((await postForm(t.as('tech'), `/${from}/merge`, null, { target: into, mode: 'merge' })).status, 403, 'no CSRF token');
    assert.equal(await rowCount(t, t.tables.events), 0, 'nothing changed');
    assert.equal((await t.as('admin').get(`/${from}/merge?${query}`)).status, 200);
    assert.equal((await merge(t.as('admin'), from, into)).status, 303);
  });
});
