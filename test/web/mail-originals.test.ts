// What came by e-mail shows as such on the staff ticket page: a marker and a link to the original
// e-mail, served as inert plain text to staff who reach the ticket and to nobody else. Delivery
// reports that come back show on the admin's Mail page.
import assert from 'node:assert/strict';
import type { Response } from 'supertest';
import { plainMail } from '../support/mail-message';
import { replyAddresses } from '../../src/mail/reply-address';
import { forEachDatabase } from '../support/databases';
import { startPlugin, type TestAgent, type TestPlugin } from '../support/test-host';
import { createTicket } from '../support/tickets';
import { corpusMessage } from '../support/mail-corpus';

const SECRET = 'originals-test-secret-0123456789abcdefghij';
const SUPPORT = 'support@panel.example';

function customerReply(number: string, body: string): Buffer {
  return plainMail(
    {
      From: 'Иван Петров <ivan@example.ru>',
      To: replyAddresses(SUPPORT, SECRET).forTicket(number, 'customer'),
      Subject: `Re: [#${number}] Проблема с VPS`,
      'Message-ID': `<reply.${number}.${body.length}@example.ru>`,
    },
    `${body}\r\n\r\n> Здравствуйте! Ваш запрос принят.\r\n`,
  );
}

/** The body as bytes, whatever its type. */
function bytes(agent: TestAgent, url: string): Promise<Response> {
  return agent
    .get(url)
    .buffer(true)
    .parse((r, done) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => done(null, Buffer.concat(chunks)));
    });
}

async function messageIds(t: TestPlugin, number: string): Promise<number[]> {
  const ticket = await t.knex(t.tables.tickets).where('number', number).first('id');
  return (await t.knex(t.tables.messages).where('ticket_id', ticket.id).orderBy('id').select('id')).map((m) => Number(m.id));
}

forEachDatabase('originals of e-mailed messages, for staff', (db) => {
  let t: TestPlugin;
  before(async () => {
    t = await startPlugin(db, { mail: { inbound: { address: SUPPORT, secret: SECRET } } });
  });
  after(() => t?.close());

  it('marks the e-mailed message and links its original, which staff who reach the ticket read as plain text', async () => {
    const ivan = t.as('ivan');
    const number = await createTicket(t, ivan, { department: 'technical' });
    const raw = customerReply(number, 'Сервер снова недоступен.');
    assert.equal((await t.plugin.receiveMail(raw)).outcome, 'stored');
    const [first, emailed] = await messageIds(t, number);

    const page = await t.as('tech').get(`/${number}`).expect(200);
    const link = `/support/requests/${number}/messages/${emailed}/original`;
    // Sergey has no language of his own: the plugin's default, Russian.
    assert.equal(page.text.split('Посмотреть исходное письмо').length - 1, 1, 'one link: only the e-mailed message has one');
    assert.equal(page.text.split('data-by-mail').length - 1, 1, 'one marker');
    const item = new RegExp(`<li class="[^"]*" id="m${emailed}">([\\s\\S]*?)</li>\\s*(<li|</ol>)`).exec(page.text)?.[1] ?? '';
    assert.match(item, /<span class="badge" data-by-mail>по почте<\/span>/);
    assert.ok(item.includes(`<a href="${link}">Посмотреть исходное письмо</a>`), item);

    for (const who of ['tech', 'admin']) {
      const res = await bytes(t.as(who), `/${number}/messages/${emailed}/original`);
      assert.equal(res.status, 200, who);
      assert.equal(res.headers['content-type'], 'text/plain; charset=utf-8');
      assert.equal(res.headers['content-disposition'], 'inline');
      assert.equal(res.headers['x-content-type-options'], 'nosniff');
      assert.equal(res.headers['content-security-policy'], "default-src 'none'; sandbox");
      assert.equal(res.headers['cache-control'], 'no-store');
      assert.ok(Buffer.compare(res.body as Buffer, raw) === 0, 'the e-mail as it came, quote and all');
    }

    // Staff of another department reach neither the ticket nor its originals; the customer has no such route.
    assert.equal((await t.as('olga').get(`/${number}`)).status, 404);
    assert.equal((await t.as('olga').get(`/${number}/messages/${emailed}/original`)).status, 404);
    assert.equal((await ivan.get(`/${number}/messages/${emailed}/original`)).status, 404);
    const own = await ivan.get(`/${number}`).expect(200);
    assert.ok(own.text.includes('Сервер снова недоступен.'));
    assert.doesNotMatch(own.text, /original|data-by-mail/);
    // A message that came through the panel has no original.
    assert.equal((await t.as('tech').get(`/${number}/messages/${first}/original`)).status, 404);
  });

  it('an original written in 8-bit windows-1251 is shown in that charset, so it reads as text', async () => {
    const number = await createTicket(t, t.as('ivan'), { department: 'technical' });
    const utf8 = customerReply(number, 'Сайт снова открывается.');
    const raw = Buffer.concat([
      Buffer.from(
        utf8
          .toString('latin1')
          .replace('charset=utf-8', 'charset=windows-1251')
          .replace(/\r\n\r\n[\s\S]*$/, '\r\n\r\n')
          .replace(/Message-ID: <[^>]+>/, `Message-ID: <cp1251.${number}@example.ru>`),
        'latin1',
      ),
      // "Привет" in windows-1251: not UTF-8.
      Buffer.from([0xcf, 0xf0, 0xe8, 0xe2, 0xe5, 0xf2, 0x0d, 0x0a]),
    ]);
    assert.equal((await t.plugin.receiveMail(raw)).outcome, 'stored');
    const [, emailed] = await messageIds(t, number);
    const res = await bytes(t.as('tech'), `/${number}/messages/${emailed}/original`);
    assert.equal(res.headers['content-type'], 'text/plain; charset=windows-1251');
    assert.ok(Buffer.compare(res.body as Buffer, raw) === 0, 'the bytes as they came');
  });

  it('a message of another ticket is not found through this one', async () => {
    const one = await createTicket(t, t.as('ivan'), { department: 'technical' });
    const other = await createTicket(t, t.as('ivan'), { department: 'technical' });
    assert.equal((await t.plugin.receiveMail(customerReply(other, 'Во втором запросе тоже.'))).outcome, 'stored');
    const [, emailed] = await messageIds(t, other);
    assert.equal((await t.as('tech').get(`/${other}/messages/${emailed}/original`)).status, 200);
    assert.equal((await t.as('tech').get(`/${one}/messages/${emailed}/original`)).status, 404);
    assert.equal((await t.as('tech').get(`/${other}/messages/abc/original`)).status, 404);
  });

  it('lists bounced e-mails on the Mail page: request, recipient, status, the server’s answer and when', async () => {
    const number = await createTicket(t, t.as('ivan'));
    const before = await t.as('admin').get('/admin/mail').expect(200);
    const bouncedBefore = Number(/data-count="bounced">(\d+)</.exec(before.text)?.[1]);
    const confirmation = await t
      .knex(t.tables.outbox)
      .where('ticket_number', number)
      .andWhere('envelope', 'like', '%ivan@example.ru%')
      .first('message_id');
    const dsn = corpusMessage('dsn-bounce.eml', {
      replyTo: replyAddresses(SUPPORT, SECRET).forTicket(number, 'customer'),
      threadId: confirmation.message_id,
      number,
      customer: 'ivan@example.ru',
      staff: 'tech@panel.example',
      support: SUPPORT,
    });
    assert.equal((await t.plugin.receiveMail(dsn)).outcome, 'bounce');

    const page = await t.as('admin').get('/admin/mail').expect(200);
    assert.match(page.text, new RegExp(`data-count="bounced">${bouncedBefore + 1}<`));
    const section = /<section aria-labelledby="mail-bounced">([\s\S]*?)<\/section>/.exec(page.text)?.[1] ?? '';
    assert.match(section, /E-mails that bounced/, 'in the admin’s English');
    const row = /<tbody>([\s\S]*?)<\/tbody>/.exec(section)?.[1] ?? '';
    assert.ok(row.includes(`<a href="/support/requests/${number}">#${number}</a>`), row);
    assert.match(row, /<td>ivan@example\.ru<\/td>/);
    assert.match(row, /<code>5\.1\.1<\/code>/);
    assert.match(
      row,
      /<code>550 5\.1\.1 &lt;ivan@example\.ru&gt;: Recipient address rejected:\s+User unknown in virtual mailbox table<\/code>/,
    );
  });
});
