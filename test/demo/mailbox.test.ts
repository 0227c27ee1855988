// The demo panel's Mailbox: the real plugin on SQLite sends to the demo's SMTP catcher, and a
// customer's new ticket shows up as the department's e-mail, escaped and safely framed. With a
// real SMTP server configured, mail goes there instead and there is no Mailbox.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import nodemailer from 'nodemailer';
import request from 'supertest';
import { createDemoApp, type DemoApp } from '../../demo/app';
import { MailCatcher, type CaughtMail } from '../../demo/mail-catcher';
import { log, png } from '../support/samples';
import { departmentId, memoryLogger, pluginCsrf, signIn, type PanelAgent } from './panel-session';

interface NewTicket {
  subject: string;
  department: string;
  message: string;
  service?: string;
  files?: Array<[Buffer, string]>;
}

/** Creates a ticket through the plugin's multipart form; returns its number. */
async function createTicket(demo: DemoApp, agent: PanelAgent, ticket: NewTicket): Promise<string> {
  const token = await pluginCsrf(agent, demo);
  const service = ticket.service
    ? ((await demo.knex('panel_services').where({ label: ticket.service }).first('id')) as { id: number })
    : null;
  let req = agent
    .post(`${demo.plugin.mountPath}/?_csrf=${encodeURIComponent(token)}`)
    .field('subject', ticket.subject)
    .field('serviceId', service ? String(service.id) : '')
    .field('departmentId', await departmentId(demo, ticket.department))
    .field('message', ticket.message)
    // The customer's "yes, this is an emergency" (only urgent departments ask for it).
    .field('emergencyConfirmed', '1');
  for (const [content, name] of ticket.files ?? []) req = req.attach('files', content, name);
  const res = await req;
  const number = /\/(\d+)\?created=1$/.exec(String(res.headers.location))?.[1];
  assert.ok(res.status === 303 && number, `ticket not created: ${res.status} ${res.text.slice(0, 300)}`);
  return number;
}

/** Polls the catcher until an e-mail to `address` with `[#number]` in its subject has arrived. */
async function mailFor(demo: DemoApp, number: string, address: string, ms = 5000): Promise<CaughtMail> {
  const until = Date.now() + ms;
  for (;;) {
    const mail = demo.catcher?.list().find((m) => m.subject.includes(`[#${number}]`) && m.envelope.to.includes(address));
    if (mail) return mail;
    if (Date.now() > until) {
      const got = demo.catcher?.list().map((m) => `${m.envelope.to.join(',')}: ${m.subject}`) ?? [];
      throw new Error(`no e-mail for #${number} to ${address} after ${ms} ms; got: ${got.join(' | ') || 'nothing'}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The list's table row that links to this e-mail. */
function rowOf(html: string, id: number): string {
  const row = html.split('<tr>').find((r) => r.includes(`href="/mailbox/${id}"`));
  assert.ok(row, `no row for e-mail ${id} in the list`);
  return row;
}

function unescapeHtml(text: string): string {
  return text.replace(
    /&(lt|gt|#34|#39|quot|amp);/g,
    (_, e: string) => ({ lt: '<', gt: '>', '#34': '"', '#39': "'", quot: '"', amp: '&' })[e] as string,
  );
}

/** Downloads the whole body as a Buffer. */
async function download(agent: PanelAgent, url: string) {
  const res = await agent
    .get(url)
    .buffer(true)
    .parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
  assert.equal(res.status, 200, `download ${url}`);
  return { headers: res.headers, body: res.body as Buffer };
}

describe('demo mailbox', () => {
  let dataDir: string;
  let demo: DemoApp;
  let ivan: PanelAgent;
  const logger = memoryLogger();

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'panel-mailbox-'));
    demo = await createDemoApp({ dataDir, mail: { catcherPort: 0 }, logger });
    ivan = await signIn(demo, 'ivan@example.ru');
  });

  after(async () => {
    await demo?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs the catcher on a free port and shows the Mailbox to every signed-in role, saying it is a demo tool', async () => {
    assert.ok(demo.catcher && demo.catcher.port > 0);
    const page = await ivan.get('/mailbox').expect(200);
    assert.match(page.text, /<a href="\/mailbox" class="current" aria-current="page">Почтовый ящик<\/a>/);
    assert.match(page.text, /<h2>Демо<\/h2>/);
    assert.match(page.text, /видит любой вошедший пользователь/);
    assert.ok(page.text.includes(`127.0.0.1:${demo.catcher.port}`));
    assert.match(page.text, /Писем пока нет/);
    for (const [email, label] of [
      ['sergey@panel.example', 'Mailbox'],
      ['admin@panel.example', 'Почтовый ящик'],
      ['alice@example.com', 'Mailbox'],
    ] as const) {
      const agent = await signIn(demo, email);
      const services = await agent.get('/services').expect(200);
      assert.ok(services.text.includes(`<a href="/mailbox">${label}</a>`), email);
      await agent.get('/mailbox').expect(200);
    }
    await request(demo.app).get('/mailbox').expect(303).expect('Location', '/login?next=%2Fmailbox');
  });

  it('shows the department’s e-mail of a new ticket: headers, text, framed HTML, both files', async () => {
    const number = await createTicket(demo, ivan, {
      subject: 'Сайт отдаёт 502',
      department: 'technical',
      service: 'VPS Cloud-2 (Москва)',
      message: 'С утра nginx отвечает 502 на всех страницах.',
      files: [
        [png, 'screen.png'],
        [log, 'nginx.log'],
      ],
    });
    const mail = await mailFor(demo, number, 'tech@panel.example');

    const list = await ivan.get('/mailbox').expect(200);
    const row = rowOf(list.text, mail.id);
    assert.ok(row.includes(`[#${number}] Новый запрос (Технический отдел): Сайт отдаёт 502`), row);
    assert.ok(row.includes('tech@panel.example'), row);
    assert.ok(!row.includes('срочно'), 'a technical ticket is not urgent');
    // Newest first: the latest e-mail's row comes before this one's.
    const newest = demo.catcher?.list()[0];
    assert.ok(newest && list.text.indexOf(`href="/mailbox/${newest.id}"`) <= list.text.indexOf(`href="/mailbox/${mail.id}"`));

    const detail = await ivan.get(`/mailbox/${mail.id}`).expect(200);
    const csp = String(detail.headers['content-security-policy']);
    assert.match(csp, /default-src 'none'/);
    assert.doesNotMatch(csp, /script-src/);
    assert.match(detail.text, new RegExp(`<h1>\\[#${number}\\] Новый запрос \\(Технический отдел\\): Сайт отдаёт 502`));
    assert.match(detail.text, /support@panel\.example/);
    assert.match(detail.text, /<dd>tech@panel\.example<\/dd>/);
    assert.ok(detail.text.includes(mail.messageId.replace(/</g, '&lt;').replace(/>/g, '&gt;')), 'Message-ID shown');
    const text = /<pre class="mailbox-text">([\s\S]*?)<\/pre>/.exec(detail.text)?.[1] ?? '';
    assert.match(text, /Иван Петров/);
    assert.match(text, /С утра nginx отвечает 502/);
    assert.match(text, new RegExp(`<a href="http://localhost:3000/support/requests/${number}" rel="noopener noreferrer">`));
    const frame = /<iframe [^>]*>/.exec(detail.text)?.[0] ?? '';
    assert.match(frame, /\ssandbox=""/);
    // The frame holds the HTML part, with the message in it.
    assert.match(unescapeHtml(/srcdoc="([^"]*)"/.exec(frame)?.[1] ?? ''), /<[a-z][^>]*>[\s\S]*С утра nginx отвечает 502/);
    assert.match(detail.text, /screen\.png<\/a> <span class="muted">\(image\/png, /);
    assert.match(detail.text, /nginx\.log<\/a>/);

    const index = mail.attachments.findIndex((a) => a.filename === 'screen.png');
    const file = await download(ivan, `/mailbox/${mail.id}/attachments/${index}`);
    assert.deepEqual(file.body, png);
    assert.equal(file.headers['content-type'], 'application/octet-stream');
    assert.match(String(file.headers['content-disposition']), /^attachment; filename="?screen\.png"?$/);
    assert.equal(file.headers['x-content-type-options'], 'nosniff');
    await ivan.get(`/mailbox/${mail.id}/attachments/9`).expect(404);
    await ivan.get('/mailbox/999999').expect(404);
    await ivan.get('/mailbox/abc').expect(404);
  });

  it('marks an Emergency ticket’s e-mail urgent: X-Priority 1, Importance high, the prefix', async () => {
    const number = await createTicket(demo, ivan, {
      subject: 'Сервер лежит',
      department: 'emergency',
      message: 'Ничего не отвечает, ping не проходит.',
    });
    const mail = await mailFor(demo, number, 'emergency@panel.example');
    assert.match(mail.subject, new RegExp(`^\\[АВАРИЯ\\] \\[#${number}\\] Новый запрос \\(Аварийная служба\\): Сервер лежит`));
    assert.match(mail.xPriority, /^1\b/);

    const row = rowOf((await ivan.get('/mailbox').expect(200)).text, mail.id);
    assert.match(row, /<span class="badge status-suspended">срочно<\/span>/);
    const detail = await ivan.get(`/mailbox/${mail.id}`).expect(200);
    assert.match(detail.text, /<dt>X-Priority<\/dt><dd>1\b/);
    assert.match(detail.text, /<dt>Importance<\/dt><dd>high<\/dd>/);
    assert.match(detail.text, /\[АВАРИЯ\] \[#\d{8}\] Новый запрос \(Аварийная служба\): Сервер лежит/);
  });

  it('escapes a script in the subject and the message on the Mailbox pages', async () => {
    const script = '<script>alert(1)</script>';
    const number = await createTicket(demo, ivan, {
      subject: `Тест ${script}`,
      department: 'client_relations',
      message: `Текст ${script} <img src=x onerror=alert(2)>`,
    });
    const mail = await mailFor(demo, number, 'clients@panel.example');
    assert.ok(mail.subject.includes(script), 'the e-mail carries the raw subject, so the page must escape it');

    const list = await ivan.get('/mailbox').expect(200);
    const detail = await ivan.get(`/mailbox/${mail.id}`).expect(200);
    for (const page of [list.text, detail.text]) {
      assert.ok(!page.includes(script), 'a raw script tag on the page');
      assert.ok(page.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
    }
    assert.ok(!detail.text.includes('<img src=x'), 'a raw img tag on the page');
  });

  it('keeps a hostile HTML part inside the sandboxed frame and downloads a hostile file name safely', async () => {
    const html = '<p>Hello</p><script>parent.document.title="owned"</script>"><img src=x onerror="alert(3)">';
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: demo.catcher?.port, secure: false, ignoreTLS: true });
    try {
      await transport.sendMail({
        from: 'attacker@evil.example',
        to: 'victim@panel.example',
        subject: 'hostile',
        text: 'plain',
        html,
        attachments: [{ filename: '../../evil".html', content: Buffer.from(html), contentType: 'text/html' }],
      });
    } finally {
      transport.close();
    }
    const mail = demo.catcher?.list().find((m) => m.subject === 'hostile');
    assert.ok(mail);

    const detail = await ivan.get(`/mailbox/${mail.id}`).expect(200);
    const frame = /<iframe [^>]*>/.exec(detail.text)?.[0] ?? '';
    assert.match(frame, /\ssandbox=""/);
    const srcdoc = /srcdoc="([^"]*)"/.exec(frame)?.[1] ?? '';
    assert.ok(unescapeHtml(srcdoc).includes(html), 'the frame holds the whole HTML part, attribute intact');
    const outside = detail.text.replace(frame, '');
    assert.ok(!/<script|<img src=x|onerror=/i.test(outside), 'markup of the e-mail outside the frame');

    const file = await download(ivan, `/mailbox/${mail.id}/attachments/0`);
    assert.equal(String(file.headers['content-disposition']).split(';')[0], 'attachment');
    assert.match(String(file.headers['content-disposition']), /; filename="?evil\.html"?$/);
    assert.equal(file.headers['content-type'], 'application/octet-stream');
    assert.equal(file.body.toString(), html);
  });

  it('answers a broken %-escape in an e-mail or attachment address with 400 and one log line, an id that is not one with 404', async () => {
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: demo.catcher?.port, secure: false, ignoreTLS: true });
    try {
      await transport.sendMail({
        from: 'a@example.com',
        to: 'b@panel.example',
        subject: 'escapes',
        text: 'x',
        attachments: [{ filename: 'a.txt', content: 'a' }],
      });
    } finally {
      transport.close();
    }
    const mail = demo.catcher?.list().find((m) => m.subject === 'escapes');
    assert.ok(mail);
    for (const url of [
      '/mailbox/%',
      '/mailbox/%E0%A4%A',
      '/mailbox/%zz',
      `/mailbox/%/attachments/0`,
      `/mailbox/${mail.id}/attachments/%`,
      `/mailbox/${mail.id}/attachments/%C0%`,
    ]) {
      logger.lines.length = 0;
      const res = await ivan.get(`${url}?_csrf=SECRET`);
      assert.equal(res.status, 400, url);
      assert.match(res.text, /<title>[^<]*Не удалось прочитать запрос/, url);
      assert.doesNotMatch(res.text, /\n\s+at |URIError|node_modules|\.js:\d+/, url);
      assert.equal(logger.lines.length, 1, `${url}: ${logger.lines.join(' | ')}`);
      assert.match(logger.lines[0] as string, /^warn panel: GET \/mailbox\/\S* answered 400: Failed to decode param '[^']*'$/);
    }
    for (const url of [
      '/mailbox/abc',
      '/mailbox/1.5',
      '/mailbox/99999999999999999999',
      '/mailbox/%00',
      `/mailbox/${mail.id}/attachments/-1`,
      `/mailbox/${mail.id}/attachments/1e3`,
      `/mailbox/${mail.id}/attachments/9`,
    ]) {
      const res = await ivan.get(url);
      assert.equal(res.status, 404, url);
      assert.match(res.text, /Страница не найдена/, url);
    }
  });
});

describe('demo panel with a real SMTP server (SMTP_HOST)', () => {
  let dataDir: string;
  let server: MailCatcher;
  let demo: DemoApp;

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'panel-smtp-'));
    // Another catcher stands in for the real server: the demo must send to it and run none of its own.
    server = await MailCatcher.start({ port: 0, logger: memoryLogger() });
    demo = await createDemoApp({
      dataDir,
      mail: { smtp: { host: '127.0.0.1', port: server.port, secure: false }, from: 'help@hosting.example' },
      logger: memoryLogger(),
    });
  });

  after(async () => {
    await demo?.close();
    await server?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('sends the department’s e-mail there, from SMTP_FROM, and has no Mailbox', async () => {
    assert.equal(demo.catcher, null);
    const ivan = await signIn(demo, 'ivan@example.ru');
    const number = await createTicket(demo, ivan, {
      subject: 'Домен не продлевается',
      department: 'client_relations',
      message: 'Ошибка оплаты.',
    });
    const until = Date.now() + 5000;
    let mail: CaughtMail | undefined;
    while (!(mail = server.list().find((m) => m.subject.includes(`[#${number}]`) && m.envelope.to.includes('clients@panel.example')))) {
      assert.ok(Date.now() < until, `no e-mail for #${number} at the SMTP server`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    assert.equal(mail.envelope.from, 'help@hosting.example');
    const page = await ivan.get('/services').expect(200);
    assert.doesNotMatch(page.text, /href="\/mailbox"/);
    await ivan.get('/mailbox').expect(404);
  });
});
