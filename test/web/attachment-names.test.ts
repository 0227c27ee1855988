// The name and type a file is kept under, checked where people meet it: the stored row, the
// ticket page, the download's headers, and the e-mail a department or customer receives.
// Active content sent as "text" keeps only a plain-text extension; names lose every invisible
// or reordering character.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { forEachDatabase } from '../support/databases';
import { startPlugin, type TestAgent, type TestPlugin } from '../support/test-host';
import { createTicket, departmentId } from '../support/tickets';
import { exe, log, pdf, png } from '../support/samples';
import { SmtpSink, waitUntil, type ReceivedMail } from '../support/smtp-sink';

const departments = {
  technical: { emails: ['tech@panel.example'] },
  client_relations: { emails: ['clients@panel.example'] },
};

/** An empty but valid ZIP archive (end-of-central-directory record only). */
const zip = Buffer.concat([Buffer.from([0x50, 0x4b, 0x05, 0x06]), Buffer.alloc(18)]);
const text = (s: string) => Buffer.from(s, 'utf8');

interface Case {
  sent: string;
  content: Buffer;
  stored: string;
  type: string;
}

const activeContent: Case[] = [
  {
    sent: 'logo.svg',
    content: text('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.domain)</script></svg>'),
    stored: 'logo.svg.txt',
    type: 'text/plain',
  },
  {
    sent: 'page.html',
    content: text('<!doctype html><script>location="https://evil.example"</script>'),
    stored: 'page.html.txt',
    type: 'text/plain',
  },
  { sent: 'run.js', content: text('WScript.CreateObject("WScript.Shell").Run("calc");'), stored: 'run.js.txt', type: 'text/plain' },
  {
    sent: 'app.hta',
    content: text('<hta:application><script language="VBScript">CreateObject("WScript.Shell").Run "calc"</script>'),
    stored: 'app.hta.txt',
    type: 'text/plain',
  },
  { sent: 'fix.bat', content: text('@echo off\r\nformat c: /q\r\n'), stored: 'fix.bat.txt', type: 'text/plain' },
];

const plainText: Case[] = [
  { sent: 'error.log', content: log, stored: 'error.log', type: 'text/plain' },
  { sent: 'nginx.conf', content: text('server {\n  listen 80;\n}\n'), stored: 'nginx.conf', type: 'text/plain' },
  { sent: 'export.csv', content: text('domain;expires\npetrov-shop.ru;2027-01-01\n'), stored: 'export.csv', type: 'text/plain' },
  { sent: 'data.json', content: text('{"ok":true}\n'), stored: 'data.json', type: 'text/plain' },
  { sent: '.htaccess', content: text('RewriteEngine On\n'), stored: '.htaccess.txt', type: 'text/plain' },
];

const longName = 'Отчёт о сбое сервера '.repeat(20) + '.pdf';
const names: Case[] = [
  { sent: 'photo\u202Egpj.zip', content: zip, stored: 'photogpj.zip', type: 'application/zip' },
  { sent: 'scr\u200Been\u2066sh\u2069ot\uFEFF.png', content: png, stored: 'screenshot.png', type: 'image/png' },
  { sent: 'x.exe', content: png, stored: 'x.exe.png', type: 'image/png' },
  { sent: 'NUL.log', content: log, stored: '_NUL.log', type: 'text/plain' },
  {
    sent: longName,
    content: pdf,
    stored: [...'Отчёт о сбое сервера '.repeat(20)].slice(0, 251).join('').trimEnd() + '.pdf',
    type: 'application/pdf',
  },
];

/** The file name a Content-Disposition header gives, preferring filename* as browsers do. */
function dispositionName(header: string): string {
  const extended = /filename\*=UTF-8''([^;]+)/i.exec(header);
  if (extended) return decodeURIComponent(extended[1]!);
  const plain = /filename=(?:"((?:[^"\\]|\\.)*)"|([^;\s]+))/.exec(header);
  return plain?.[1]?.replace(/\\(.)/g, '$1') ?? plain?.[2] ?? '';
}

const unescapeHtml = (s: string) =>
  s.replace(/&#39;|&#34;|&lt;|&gt;|&amp;/g, (e) => ({ '&#39;': "'", '&#34;': '"', '&lt;': '<', '&gt;': '>', '&amp;': '&' })[e]!);

forEachDatabase('attachment names and types', (db) => {
  let sink: SmtpSink;
  let t: TestPlugin;

  before(async () => {
    sink = await SmtpSink.started();
    t = await startPlugin(db, {
      departments,
      publicBaseUrl: 'https://panel.example',
      mail: sink.settings({ pollSeconds: 0.05, confirmToCustomer: false }),
    });
  });
  after(async () => {
    await t.close();
    await sink.stop();
  });

  async function mailFor(address: string, number: string, count = 1): Promise<ReceivedMail[]> {
    await waitUntil(
      () => sink.to(address).filter((m) => m.parsed.subject?.includes(`#${number}`)).length >= count,
      10_000,
      `e-mail about #${number} to ${address}`,
    );
    return sink.to(address).filter((m) => m.parsed.subject?.includes(`#${number}`));
  }

  /** Stored rows, page links, download headers and bytes, all as `cases` say. */
  async function assertShownEverywhere(agent: TestAgent, number: string, cases: Case[]): Promise<void> {
    const ticket = await t.knex(t.tables.tickets).where('number', number).first('id');
    const rows = await t.knex(t.tables.attachments).where('ticket_id', ticket.id).orderBy('id');
    assert.deepEqual(
      rows.map((r) => [r.original_name, r.content_type]),
      cases.map((c) => [c.stored, c.type]),
      'stored names and types',
    );

    const page = await agent.get(`/${number}`);
    assert.equal(page.status, 200);
    const links = [...page.text.matchAll(/\/files\/(\d+)">([^<]*)<\/a>/g)].map((m) => [m[1]!, unescapeHtml(m[2]!)] as const);
    assert.deepEqual(
      links.map(([, name]) => name),
      cases.map((c) => c.stored),
      'names on the page',
    );

    for (const [i, [id]] of links.entries()) {
      const c = cases[i]!;
      const res = await agent
        .get(`/${number}/files/${id}`)
        .buffer(true)
        .parse((r, cb) => {
          const chunks: Buffer[] = [];
          r.on('data', (chunk: Buffer) => chunks.push(chunk));
          r.on('end', () => cb(null, Buffer.concat(chunks)));
        });
      assert.equal(res.status, 200);
      const disposition = String(res.headers['content-disposition']);
      assert.match(disposition, /^attachment;/);
      assert.equal(dispositionName(disposition), c.stored, `Content-Disposition of ${c.sent}: ${disposition}`);
      assert.doesNotMatch(disposition, /%E2%80%A[A-E]|%C2%[89]|%E2%81%A[6-9]/i, 'no bidi or C1 character, even encoded');
      assert.equal(res.headers['content-type'], c.type === 'text/plain' ? 'text/plain; charset=utf-8' : c.type);
      assert.equal(res.headers['x-content-type-options'], 'nosniff');
      assert.ok(c.content.equals(res.body as Buffer), `the bytes of ${c.sent} are unchanged`);
    }
  }

  function assertAttached(mail: ReceivedMail, cases: Case[]): void {
    assert.deepEqual(
      mail.parsed.attachments.map((a) => [a.filename, a.contentType]),
      cases.map((c) => [c.stored, c.type]),
      'attachment names and types in the e-mail',
    );
    assert.doesNotMatch(
      mail.rawHeaders + mail.parsed.attachments.map((a) => a.filename).join(''),
      /[\u202A-\u202E\u2066-\u2069\u0080-\u009F]/,
    );
  }

  async function create(cases: Case[]): Promise<string> {
    return createTicket(t, t.as('ivan'), { department: 'technical', files: cases.map((c) => [c.content, c.sent]) });
  }

  it('stores active content sent as text as <name>.txt, on the page, in the download and in the department e-mail', async () => {
    const number = await create(activeContent);
    await assertShownEverywhere(t.as('ivan'), number, activeContent);
    await assertShownEverywhere(t.as('tech'), number, activeContent);
    assertAttached((await mailFor('tech@panel.example', number))[0]!, activeContent);
  });

  it('says on the form, in the customer\'s language, that other text files get ".txt"', async () => {
    assert.match(
      (await t.as('ivan').get('/new')).text,
      /id="files-hint">[^<]*TXT, LOG, CONF, CSV, JSON, YAML[^<]*сохраняются с «\.txt» на конце/,
    );
    assert.match((await t.as('alice').get('/new')).text, /id="files-hint">[^<]*are saved with “\.txt” added/);
  });

  it('keeps the names of plain-text files (.log, .conf, .csv, .json); a dotfile becomes .txt', async () => {
    const number = await create(plainText);
    await assertShownEverywhere(t.as('ivan'), number, plainText);
    assertAttached((await mailFor('tech@panel.example', number))[0]!, plainText);
  });

  it("strips bidi, zero-width and device names, gives a binary file its type's extension, shortens long names", async () => {
    const number = await create(names);
    await assertShownEverywhere(t.as('ivan'), number, names);
    const page = await t.as('ivan').get(`/${number}`);
    assert.doesNotMatch(page.text, /[\u202A-\u202E\u2066-\u2069\u200B\uFEFF]/, 'no invisible character anywhere on the page');
    assertAttached((await mailFor('tech@panel.example', number))[0]!, names);
  });

  it("strips C1 controls from a name sent as filename*=UTF-8''a%C2%85b%C2%9Bc.png", async () => {
    const ivan = t.as('ivan');
    const token = await ivan.csrf();
    const boundary = `----b${crypto.randomBytes(8).toString('hex')}`;
    const field = (name: string, value: string) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
    const body = Buffer.concat([
      Buffer.from(
        field('subject', 'Скриншот ошибки') +
          field('serviceId', '') +
          field('departmentId', await departmentId(t, 'technical')) +
          field('message', 'Ошибка на скриншоте, появляется при входе.') +
          `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename*=UTF-8''a%C2%85b%C2%9Bc.png\r\nContent-Type: image/png\r\n\r\n`,
      ),
      png,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const res = await ivan
      .post(`/?_csrf=${encodeURIComponent(token)}`)
      .set('content-type', `multipart/form-data; boundary=${boundary}`)
      .send(body);
    assert.equal(res.status, 303, res.text.slice(0, 300));
    const number = /\/(\d{8})\?created=1$/.exec(String(res.headers.location))![1]!;
    const cases = [{ sent: 'a\u0085b\u009Bc.png', content: png, stored: 'abc.png', type: 'image/png' }];
    await assertShownEverywhere(ivan, number, cases);
    assertAttached((await mailFor('tech@panel.example', number))[0]!, cases);
  });

  it('names a refused file by its cleaned name in the error', async () => {
    const ivan = t.as('ivan');
    const res = await ivan
      .post(`/?_csrf=${encodeURIComponent(await ivan.csrf())}`)
      .field('subject', 'Программа установки')
      .field('serviceId', '')
      .field('departmentId', await departmentId(t, 'technical'))
      .field('message', 'Не запускается установщик.')
      .attach('files', exe, 'setup\u202Eexe.png');
    assert.equal(res.status, 422);
    assert.match(res.text, /Файлы такого типа, как «setupexe\.png», мы не принимаем\./);
    assert.doesNotMatch(res.text, /\u202E/);
  });

  it("applies the same rules to a staff answer's files in the customer's e-mail", async () => {
    const number = await create([]);
    const tech = t.as('tech');
    const page = await tech.get(`/${number}`);
    const pick = (re: RegExp) => re.exec(page.text)?.[1] ?? '';
    // macOS sends "ё" as "е" + combining diaeresis; it is stored composed (NFC).
    const cases: Case[] = [
      activeContent[4]!,
      names[0]!,
      { sent: 'Отче\u0308т.pdf', content: pdf, stored: 'Отч\u0451т.pdf', type: 'application/pdf' },
    ];
    let req = tech
      .post(`/${number}/reply?_csrf=${pick(/reply\?_csrf=([^"&]+)/)}`)
      .field('lastSeenId', pick(/name="lastSeenId" value="(\d+)"/))
      .field('submissionKey', pick(/name="submissionKey" value="([^"]+)"/))
      .field('message', 'Запустите это на сервере.');
    for (const c of cases) req = req.attach('files', c.content, c.sent);
    assert.equal((await req).status, 303);
    await assertShownEverywhere(t.as('ivan'), number, cases);
    assertAttached((await mailFor('ivan@example.ru', number))[0]!, cases);
  });

  it('shows files stored before these rules under safe names too, and mails them so on a transfer', async () => {
    const number = await create([plainText[0]!]);
    await mailFor('tech@panel.example', number);
    // A row as the plugin wrote it before: the sender's name as it came, typed text.
    const ticket = await t.knex(t.tables.tickets).where('number', number).first('id');
    const message = await t.knex(t.tables.messages).where('ticket_id', ticket.id).first('id');
    const key = crypto.randomBytes(16).toString('hex');
    const content = text('<script>alert(1)</script>');
    fs.mkdirSync(path.join(t.storageDir, key.slice(0, 2)), { recursive: true });
    fs.writeFileSync(path.join(t.storageDir, key.slice(0, 2), key), content);
    await t.knex(t.tables.attachments).insert({
      message_id: message.id,
      ticket_id: ticket.id,
      original_name: 'old\u202Eexe.hta',
      storage_key: key,
      size_bytes: content.length,
      content_type: 'text/plain',
      sha256: crypto.createHash('sha256').update(content).digest('hex'),
      created_at: Date.now(),
    });
    const cases: Case[] = [plainText[0]!, { sent: 'old\u202Eexe.hta', content, stored: 'oldexe.hta.txt', type: 'text/plain' }];
    const page = await t.as('ivan').get(`/${number}`);
    const links = [...page.text.matchAll(/\/files\/(\d+)">([^<]*)<\/a>/g)].map((m) => m[2]);
    assert.deepEqual(
      links,
      cases.map((c) => c.stored),
    );
    const file = await t
      .as('ivan')
      .get(`/${number}/files/${(await t.knex(t.tables.attachments).where('storage_key', key).first('id')).id}`);
    assert.equal(dispositionName(String(file.headers['content-disposition'])), 'oldexe.hta.txt');

    const tech = t.as('tech');
    const token = /reply\?_csrf=([^"&]+)/.exec((await tech.get(`/${number}`)).text)![1]!;
    const moved = await tech
      .post(`/${number}/transfer?_csrf=${token}`)
      .type('form')
      .send({ departmentId: await departmentId(t, 'client_relations'), reason: 'Вопрос по договору' });
    assert.equal(moved.status, 303);
    assertAttached((await mailFor('clients@panel.example', number))[0]!, cases);
  });
});
