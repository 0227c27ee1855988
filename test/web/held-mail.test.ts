// The admin's Held mail page on the real plugin: e-mails the intake kept back, each with its
// reason in words; attaching one to a request, opening a request from one, discarding one; the
// original shown as inert text. Only admins reach any of it, and every change needs the CSRF token.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { mailWithFiles, plainMail } from '../support/mail-message';
import { replyAddresses } from '../../src/mail/reply-address';
import { forEachDatabase, type TestDatabase } from '../support/databases';
import { filesUnder, startPlugin, type StartOptions, type TestPlugin } from '../support/test-host';
import { createTicket, departmentId } from '../support/tickets';
import { postForm } from '../support/forms';
import { picture } from '../support/pictures';
import sharp from 'sharp';

const SECRET = 'held-mail-test-secret-0123456789abcdefghij';
const SUPPORT = 'support@panel.example';
const replyTo = (number: string) => replyAddresses(SUPPORT, SECRET).forTicket(number, 'customer');

/** A plain e-mail as a mail client writes it. */
function email(from: string, to: string, subject: string, body: string): Buffer {
  return plainMail({ From: from, To: to, Subject: subject, Date: 'Tue, 12 Jan 2027 09:30:00 +0300' }, body);
}

async function start(db: TestDatabase, options: StartOptions = {}): Promise<TestPlugin> {
  return startPlugin(db, { mail: { inbound: { address: SUPPORT, secret: SECRET } } }, options);
}

/** Puts an e-mail into the plugin and returns the held row's id; fails unless it was held for `reason`. */
async function hold(t: TestPlugin, raw: Buffer, reason: string): Promise<number> {
  const result = await t.plugin.receiveMail(raw);
  assert.deepEqual([result.outcome, result.reason], ['held', reason]);
  const row = await t.knex(t.tables.inboundMail).orderBy('id', 'desc').first('id');
  return Number(row.id);
}

async function inboundRow(t: TestPlugin, id: number) {
  return t.knex(t.tables.inboundMail).where('id', id).first();
}

async function thread(t: TestPlugin, number: string) {
  const ticket = await t.knex(t.tables.tickets).where('number', number).first('id');
  return t.knex(t.tables.messages).where('ticket_id', ticket.id).orderBy('id').select('author_kind', 'author_name', 'internal', 'body');
}

/** The admin's CSRF token, read from a held e-mail's page (or another admin page). */
const adminToken = (t: TestPlugin, page = '/admin/canned/new') => t.as('admin').csrf(page);

forEachDatabase('held mail, the admin page', (db) => {
  let t: TestPlugin;
  afterEach(() => t?.close());

  it('is empty at first; lists a held e-mail with its reason in words and the count, and links it from the queue', async () => {
    t = await start(db);
    const admin = t.as('admin');
    const empty = await admin.get('/admin/held-mail').expect(200);
    assert.match(empty.text, /No e-mail is held\./);
    assert.doesNotMatch(empty.text, /data-id="/);
    assert.doesNotMatch((await admin.get('/')).text, /data-count="held"/, 'no number on the link while nothing is held');

    const number = await createTicket(t, t.as('ivan'));
    const id = await hold(
      t,
      email('"Пётр Сидоров" <petr@stranger.example>', replyTo(number), 'Re: ваш запрос', 'Я тоже хочу знать, что с сервером.'),
      'senderNotAllowed',
    );
    await hold(t, email('spam@elsewhere.example', SUPPORT, 'Лучшие цены', 'Купите наши услуги.'), 'repliesOnly');

    const list = await admin.get('/admin/held-mail').expect(200);
    assert.equal(list.headers['cache-control'], 'no-store');
    assert.match(list.text, /Held e-mails: 2\./);
    const row = new RegExp(`<tr data-id="${id}">([\\s\\S]*?)</tr>`).exec(list.text)?.[1] ?? '';
    assert.match(row, /Пётр Сидоров<br>\s*<span class="muted">petr@stranger\.example<\/span>/);
    assert.match(row, new RegExp(`<a href="/support/requests/admin/held-mail/${id}">Re: ваш запрос</a>`));
    assert.match(row, /data-reason="senderNotAllowed">The sender is neither the request&#39;s customer nor staff of its department\.</);
    assert.match(
      list.text,
      /data-reason="repliesOnly">It would open a new request, but the panel cannot look customers up by e-mail address/,
    );

    // The admin's queue links the page, with how many wait; in the admin's own language.
    const queue = await admin.get('/').expect(200);
    assert.match(
      queue.text,
      /<a href="\/support\/requests\/admin\/held-mail">Held mail <span class="badge" data-count="held">2<\/span><\/a>/,
    );
    // Staff have no such link.
    assert.doesNotMatch((await t.as('tech').get('/')).text, /admin\/held-mail/);
  });

  it('shows one e-mail: headers, reason, the text escaped, its files by name, and the forms', async () => {
    t = await start(db);
    const raw = mailWithFiles(
      {
        From: '=?utf-8?B?0JDQvdC90LA=?= <anna@stranger.example>',
        To: SUPPORT,
        Subject: '<b>Вопрос</b>',
        'Message-ID': '<with-file@mail.example>',
        Date: 'Tue, 12 Jan 2027 09:30:00 +0300',
      },
      ['Строка <script>alert(1)</script>', '  с отступом', '', '> цитата, которую отрезали'].join('\r\n'),
      [{ type: 'application/pdf', name: 'счёт.pdf', filename: 'invoice.pdf', content: Buffer.from('%PDF-1.4\n%%EOF\n') }],
    );
    const id = await hold(t, raw, 'repliesOnly');
    const page = await t.as('admin').get(`/admin/held-mail/${id}`).expect(200);
    assert.equal(page.headers['cache-control'], 'no-store');
    assert.match(page.text, /<h2 class="support-subject">&lt;b&gt;Вопрос&lt;\/b&gt;<\/h2>/);
    assert.match(page.text, /Анна &lt;anna@stranger\.example&gt;/);
    assert.match(page.text, /<dd>support@panel\.example<\/dd>/);
    assert.match(page.text, /data-reason="repliesOnly"/);
    assert.match(page.text, /Строка &lt;script&gt;alert\(1\)&lt;\/script&gt;\n {2}с отступом/);
    assert.doesNotMatch(page.text, /<script>alert/);
    assert.doesNotMatch(page.text, /цитата, которую отрезали/, 'the text as the intake reads it: the quote cut off');
    assert.match(page.text, /<li>invoice\.pdf <span class="muted">\(/);
    assert.doesNotMatch(page.text, /href="[^"]*invoice\.pdf/, 'files are named, not offered for download');
    assert.match(page.text, new RegExp(`href="/support/requests/admin/held-mail/${id}/original"`));
    assert.match(page.text, new RegExp(`action="/support/requests/admin/held-mail/${id}/attach\\?_csrf=`));
    assert.match(page.text, new RegExp(`action="/support/requests/admin/held-mail/${id}/discard\\?_csrf=`));
    // This host cannot look customers up: no form to open a request, and the sentence saying why.
    assert.doesNotMatch(page.text, /\/open\?_csrf=/);
    assert.match(page.text, /the panel must provide findUserByEmail \(host contract 1\.2\)/);
    const token = await adminToken(t, `/admin/held-mail/${id}`);
    const open = await postForm(t.as('admin'), `/admin/held-mail/${id}/open`, token, { email: 'ivan@example.ru', departmentId: '1' });
    assert.equal(open.status, 404, 'no opening by hand either');

    assert.equal((await t.as('admin').get('/admin/held-mail/999999')).status, 404);
    assert.equal((await t.as('admin').get('/admin/held-mail/abc')).status, 404);
  });

  it('attaches the customer’s e-mail as their reply, and a stranger’s as a note naming them; each leaves the list', async () => {
    t = await start(db);
    const number = await createTicket(t, t.as('ivan'));
    // Only the subject names the request, and no server vouched for the sender.
    const fromCustomer = await hold(
      t,
      email('Иван Петров <ivan@example.ru>', SUPPORT, `Re: [#${number}] Проблема с VPS`, 'Сервер снова недоступен.'),
      'unverifiedSender',
    );
    const fromStranger = await hold(
      t,
      email('Пётр <petr@stranger.example>', replyTo(number), 'Re: Проблема с VPS', 'Я коллега Ивана, у нас то же самое.'),
      'senderNotAllowed',
    );
    const token = await adminToken(t, `/admin/held-mail/${fromCustomer}`);
    // The request the e-mail named is offered in the attach form; one that named none leaves it empty.
    assert.match((await t.as('admin').get(`/admin/held-mail/${fromCustomer}`)).text, new RegExp(`name="number"[^>]*value="${number}"`));
    const unnamed = await hold(t, email('Кто-то <someone@stranger.example>', SUPPORT, 'Привет', 'Просто привет.'), 'repliesOnly');
    assert.match((await t.as('admin').get(`/admin/held-mail/${unnamed}`)).text, /name="number"[^>]*value=""/);
    assert.equal((await postForm(t.as('admin'), `/admin/held-mail/${unnamed}/discard`, token)).status, 303);

    const attached = await postForm(t.as('admin'), `/admin/held-mail/${fromCustomer}/attach`, token, { number: ` #${number} ` });
    assert.equal(attached.status, 303, attached.text.slice(0, 500));
    assert.equal(attached.headers.location, `/support/requests/admin/held-mail?attached=${number}`);
    const notice = await t.as('admin').get(attached.headers.location.replace('/support/requests', ''));
    assert.match(notice.text, new RegExp(`The e-mail is added to request <a href="/support/requests/${number}">#${number}</a>\\.`));
    assert.doesNotMatch(notice.text, new RegExp(`data-id="${fromCustomer}"`), 'it left the list');

    const second = await postForm(t.as('admin'), `/admin/held-mail/${fromStranger}/attach`, token, { number });
    assert.equal(second.status, 303);

    const messages = await thread(t, number);
    assert.equal(messages.length, 3);
    assert.deepEqual(
      { ...messages[1], internal: Number(messages[1].internal) },
      { author_kind: 'customer', author_name: 'Иван Петров', internal: 0, body: 'Сервер снова недоступен.' },
    );
    assert.equal(messages[2].author_kind, 'staff');
    assert.equal(messages[2].author_name, 'Admin');
    assert.equal(Number(messages[2].internal), 1);
    assert.match(messages[2].body, /petr@stranger\.example/);
    assert.match(messages[2].body, /Я коллега Ивана, у нас то же самое\./);

    for (const id of [fromCustomer, fromStranger]) {
      const row = await inboundRow(t, id);
      assert.equal(row.status, 'stored');
      assert.equal(row.handled_by, 'Admin');
    }
    assert.match((await t.as('admin').get('/admin/held-mail')).text, /No e-mail is held\./);
    // In the thread, both are known to have come by e-mail, with their originals.
    assert.equal((await t.as('admin').get(`/${number}`)).text.split('data-by-mail').length - 1, 2);
    // Handled: its page and its actions are gone.
    assert.equal((await t.as('admin').get(`/admin/held-mail/${fromCustomer}`)).status, 404);
    assert.equal((await postForm(t.as('admin'), `/admin/held-mail/${fromCustomer}/attach`, token, { number })).status, 404);
  });

  it('a wrong number comes back next to its field with what was typed, and changes nothing', async () => {
    t = await start(db);
    const number = await createTicket(t, t.as('ivan'));
    const id = await hold(t, email('petr@stranger.example', replyTo(number), 'Re: вопрос', 'Текст.'), 'senderNotAllowed');
    const token = await adminToken(t, `/admin/held-mail/${id}`);
    const unknown = number === '99999999' ? '88888888' : '99999999';
    for (const typed of ['12 34', unknown, '<b>x</b>']) {
      const res = await postForm(t.as('admin'), `/admin/held-mail/${id}/attach`, token, { number: typed });
      assert.equal(res.status, 422, typed);
      assert.match(
        res.text,
        /<p class="error" id="number-error" role="alert">There is no request with this number\. Enter the eight-digit number of an existing request\.<\/p>/,
      );
      assert.ok(
        res.text.includes(
          `name="number" inputmode="numeric" autocomplete="off" value="${typed.replace(/</g, '&lt;').replace(/>/g, '&gt;')}" aria-invalid="true"`,
        ),
        typed,
      );
    }
    assert.equal((await inboundRow(t, id)).status, 'held');
    assert.equal((await thread(t, number)).length, 1);
  });

  it('opens a request for the customer from an e-mail, checking the address and the department', async () => {
    t = await start(db, { findUserByEmail: true });
    // To the plain address, from a customer, and no default department in the settings: held.
    const id = await hold(
      t,
      email('Alice Smith <alice@example.com>', SUPPORT, 'Backups are failing', 'Since Monday the nightly backup fails.'),
      'noDepartment',
    );
    const page = await t.as('admin').get(`/admin/held-mail/${id}`).expect(200);
    assert.match(
      page.text,
      /name="email" type="email" autocomplete="off" maxlength="254" value="alice@example\.com"/,
      'the sender prefilled',
    );
    assert.doesNotMatch(page.text, /findUserByEmail/);
    const token = await adminToken(t, `/admin/held-mail/${id}`);

    const wrong = await postForm(t.as('admin'), `/admin/held-mail/${id}/open`, token, { email: 'nobody@example.com', departmentId: 'x' });
    assert.equal(wrong.status, 422);
    assert.match(wrong.text, /id="email-error" role="alert">No customer of the panel has this e-mail address\./);
    assert.match(wrong.text, /id="departmentId-error" role="alert">Choose a department\./);
    assert.match(wrong.text, /value="nobody@example\.com"/);
    // Staff are no customers.
    const technical = await departmentId(t, 'technical');
    const staff = await postForm(t.as('admin'), `/admin/held-mail/${id}/open`, token, {
      email: 'sergey@panel.example',
      departmentId: technical,
    });
    assert.equal(staff.status, 422);
    assert.match(staff.text, /No customer of the panel has this e-mail address\./);
    assert.match(staff.text, new RegExp(`<option value="${technical}" selected>`), 'the department chosen is kept');
    assert.equal(Number((await t.knex(t.tables.tickets).count({ n: '*' }))[0]?.n), 0);

    const opened = await postForm(t.as('admin'), `/admin/held-mail/${id}/open`, token, {
      email: 'Alice@Example.com',
      departmentId: technical,
    });
    assert.equal(opened.status, 303, opened.text.slice(0, 500));
    const number = /\?opened=(\d{8})$/.exec(String(opened.headers.location))?.[1] as string;
    assert.ok(number, String(opened.headers.location));
    const ticket = await t.knex(t.tables.tickets).where('number', number).first();
    assert.deepEqual(
      [ticket.customer_id, ticket.subject, Number(ticket.department_id)],
      ['c-alice', 'Backups are failing', Number(technical)],
    );
    assert.equal((await thread(t, number))[0]?.body, 'Since Monday the nightly backup fails.');
    assert.equal((await inboundRow(t, id)).status, 'opened');
    const notice = await t.as('admin').get(`/admin/held-mail?opened=${number}`);
    assert.match(
      notice.text,
      new RegExp(`A new request is opened from the e-mail: <a href="/support/requests/${number}">#${number}</a>\\.`),
    );
    // Alice sees her request.
    assert.equal((await t.as('alice').get(`/${number}`)).status, 200);
  });

  it('discards an e-mail with its original file', async () => {
    t = await start(db);
    const id = await hold(t, email('spam@elsewhere.example', SUPPORT, 'Лучшие цены', 'Купите.'), 'repliesOnly');
    const keep = await hold(t, email('other@elsewhere.example', SUPPORT, 'Другое', 'Текст.'), 'repliesOnly');
    const { raw_key: key } = await inboundRow(t, id);
    assert.ok(
      filesUnder(t.storageDir).some((f) => f.endsWith(key)),
      'the original is on disk',
    );
    const token = await adminToken(t, `/admin/held-mail/${id}`);
    const res = await postForm(t.as('admin'), `/admin/held-mail/${id}/discard`, token);
    assert.equal(res.status, 303);
    assert.equal(res.headers.location, '/support/requests/admin/held-mail?discarded=1');
    assert.equal((await inboundRow(t, id)).status, 'discarded');
    assert.ok(!filesUnder(t.storageDir).some((f) => f.endsWith(key)), 'the original is gone');
    assert.equal(filesUnder(t.storageDir).length, 1, 'the other e-mail keeps its original');
    const list = await t.as('admin').get('/admin/held-mail?discarded=1');
    assert.match(list.text, /The e-mail is discarded\./);
    assert.doesNotMatch(list.text, new RegExp(`data-id="${id}"`));
    assert.match(list.text, new RegExp(`data-id="${keep}"`));
    assert.equal((await postForm(t.as('admin'), `/admin/held-mail/${id}/discard`, token)).status, 404, 'once');
  });

  it('shows the pictures it carries as thumbnails made from the e-mail, never stored; other files by name', async () => {
    t = await start(db);
    const raw = mailWithFiles({ From: 'anna@stranger.example', To: SUPPORT, Subject: 'Ошибка на сайте' }, 'Снимок экрана приложен.', [
      { type: 'image/png', filename: 'экран.png', content: await picture('png', 1000, 600) },
      // Named and declared a picture, HTML inside: it is no picture, whatever the e-mail says.
      { type: 'image/png', filename: 'cat.png', content: Buffer.from('<!doctype html><script>alert(1)</script>') },
      { type: 'image/jpeg', filename: 'фото.jpg', content: await picture('jpeg', 300, 500) },
    ]);
    const id = await hold(t, raw, 'repliesOnly');
    const stored = filesUnder(t.storageDir);
    const admin = t.as('admin');
    const page = await admin.get(`/admin/held-mail/${id}`).expect(200);
    const url = (position: number) => `/support/requests/admin/held-mail/${id}/files/${position}/thumbnail`;
    const pictures = /<ul class="support-pictures"[^>]*>([\s\S]*?)<\/ul>/.exec(page.text)?.[1] ?? '';
    assert.deepEqual(
      [...pictures.matchAll(/<img src="([^"]+)" alt="([^"]+)" width="(\d+)" height="(\d+)"/g)].map((m) => m.slice(1)),
      [
        [url(1), 'экран.png', '320', '192'],
        [url(3), 'фото.jpg', '144', '240'],
      ],
      'the two pictures, shown within 320 × 240, each at its place in the message',
    );
    assert.match(page.text, /<ul class="support-attachments">\s*<li>cat\.png <span class="muted">\(/, 'the fake picture by name only');

    const thumbnail = await admin.get(`/admin/held-mail/${id}/files/1/thumbnail`).expect(200);
    assert.equal(thumbnail.headers['content-type'], 'image/webp');
    assert.equal(thumbnail.headers['x-content-type-options'], 'nosniff');
    assert.match(String(thumbnail.headers['content-security-policy']), /^default-src 'none';.*sandbox$/);
    assert.match(String(thumbnail.headers['content-disposition']), /^inline; filename=.*-thumbnail\.webp/);
    const meta = await sharp(thumbnail.body as Buffer).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['webp', 640, 384], 'made at twice the size shown');
    for (const position of ['2', '4', '0', 'x']) {
      assert.equal((await admin.get(`/admin/held-mail/${id}/files/${position}/thumbnail`)).status, 404, `file ${position}`);
    }
    assert.deepEqual(filesUnder(t.storageDir), stored, 'nothing written: the e-mail keeps its files until it is attached');
    for (const who of ['ivan', 'tech']) assert.equal((await t.as(who).get(`/admin/held-mail/${id}/files/1/thumbnail`)).status, 404, who);
  });

  it('an e-mail whose original is gone from the disk is still shown, and can only be discarded', async () => {
    t = await start(db);
    const id = await hold(t, email('x@elsewhere.example', SUPPORT, 'Пропавшее', 'Текст.'), 'repliesOnly');
    const { raw_key: key } = await inboundRow(t, id);
    for (const file of filesUnder(t.storageDir).filter((f) => f.endsWith(key))) fs.rmSync(file);
    const page = await t.as('admin').get(`/admin/held-mail/${id}`).expect(200);
    assert.match(page.text, /<h2 class="support-subject">Пропавшее<\/h2>/);
    assert.match(page.text, /The original of this e-mail is no longer on the server/);
    assert.doesNotMatch(page.text, /\/attach\?_csrf=/);
    assert.equal((await t.as('admin').get(`/admin/held-mail/${id}/original`)).status, 404);
    const token = await adminToken(t, `/admin/held-mail/${id}`);
    assert.equal((await postForm(t.as('admin'), `/admin/held-mail/${id}/attach`, token, { number: '12345678' })).status, 404);
    assert.equal((await postForm(t.as('admin'), `/admin/held-mail/${id}/discard`, token)).status, 303);
    assert.equal((await inboundRow(t, id)).status, 'discarded');
  });

  it('shows the original as inert plain text, byte for byte', async () => {
    t = await start(db);
    const raw = email('x@elsewhere.example', SUPPORT, 'HTML', '<html><script>alert(1)</script></html>');
    const id = await hold(t, raw, 'repliesOnly');
    const res = await t
      .as('admin')
      .get(`/admin/held-mail/${id}/original`)
      .buffer(true)
      .parse((r, done) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => done(null, Buffer.concat(chunks)));
      });
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], 'text/plain; charset=utf-8');
    assert.equal(res.headers['content-disposition'], 'inline');
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.equal(res.headers['content-security-policy'], "default-src 'none'; sandbox");
    assert.equal(res.headers['cache-control'], 'no-store');
    assert.ok(Buffer.compare(res.body as Buffer, raw) === 0, 'the bytes as they came');
  });

  it('answers 404 to staff and customers on every route, and 403 to an admin without the token, changing nothing', async () => {
    t = await start(db, { findUserByEmail: true });
    const number = await createTicket(t, t.as('ivan'));
    const id = await hold(t, email('petr@stranger.example', replyTo(number), 'Re: вопрос', 'Текст.'), 'senderNotAllowed');
    const technical = await departmentId(t, 'technical');
    const gets = ['/admin/held-mail', `/admin/held-mail/${id}`, `/admin/held-mail/${id}/original`];
    const posts: Array<[string, Record<string, string>]> = [
      [`/admin/held-mail/${id}/attach`, { number }],
      [`/admin/held-mail/${id}/open`, { email: 'ivan@example.ru', departmentId: technical }],
      [`/admin/held-mail/${id}/discard`, {}],
    ];
    const tokens: Record<string, string> = { ivan: await t.as('ivan').csrf(), tech: await t.as('tech').csrf(`/${number}`) };
    for (const who of ['ivan', 'tech']) {
      for (const url of gets) assert.equal((await t.as(who).get(url)).status, 404, `${who} GET ${url}`);
      for (const [url, body] of posts)
        assert.equal((await postForm(t.as(who), url, tokens[who] as string, body)).status, 404, `${who} POST ${url}`);
    }
    for (const [url, body] of posts) {
      assert.equal((await postForm(t.as('admin'), url, null, body)).status, 403, `admin POST ${url} without the token`);
      assert.equal((await postForm(t.as('admin'), url, 'forged-token', body)).status, 403, `admin POST ${url} with a wrong token`);
    }
    assert.equal((await inboundRow(t, id)).status, 'held');
    assert.equal(Number((await t.knex(t.tables.tickets).count({ n: '*' }))[0]?.n), 1);
    assert.equal((await thread(t, number)).length, 1);
    assert.equal(filesUnder(t.storageDir).length, 1);
  });

  it('is not there while mail in is off', async () => {
    t = await startPlugin(db);
    assert.equal((await t.as('admin').get('/admin/held-mail')).status, 404);
    assert.doesNotMatch((await t.as('admin').get('/')).text, /admin\/held-mail/);
  });
});
