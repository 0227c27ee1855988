// The Mailbox's Reply: a department or a customer answers a caught e-mail "from their mail
// client". The reply goes over SMTP to the demo's MX as the person the e-mail was addressed to,
// in the original's thread, and the MX hands it to the plugin; the Mailbox then says what became of it.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import nodemailer from 'nodemailer';
import type { IntakeResult } from 'support-requests';
import { createDemoApp, type DemoApp } from '../../demo/app';
import type { CaughtMail } from '../../demo/mail-catcher';
import { replyEnvelope } from '../../demo/mail-reply';
import { departmentId, hiddenField, memoryLogger, pluginCsrf, signIn, type PanelAgent } from './panel-session';

function unescapeHtml(text: string): string {
  return text.replace(
    /&(lt|gt|#34|#39|quot|amp);/g,
    (_, e: string) => ({ lt: '<', gt: '>', '#34': '"', '#39': "'", quot: '"', amp: '&' })[e] as string,
  );
}

const textarea = (html: string) => unescapeHtml(/<textarea [^>]*name="text"[^>]*>([\s\S]*?)<\/textarea>/.exec(html)?.[1] ?? '');
const addressesOf = (value: AddressObject | AddressObject[] | undefined) =>
  (Array.isArray(value) ? value : value ? [value] : []).flatMap((a) => a.value.map((v) => v.address));

async function waitFor<T>(what: string, find: () => T | undefined, ms = 5000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > until) throw new Error(`no ${what} after ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('demo mailbox: Reply', () => {
  let dataDir: string;
  let demo: DemoApp;
  let ivan: PanelAgent;
  let number: string;
  let toDepartment: CaughtMail;
  let toCustomer: CaughtMail;
  /** What the MX handed to the plugin, and what the plugin said. */
  const handed: Array<{ parsed: ParsedMail; result: IntakeResult }> = [];
  let failIntake = false;

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'panel-reply-'));
    demo = await createDemoApp({ dataDir, mail: { catcherPort: 0 }, mx: { port: 0 }, logger: memoryLogger() });
    const real = demo.plugin.receiveMail;
    demo.plugin.receiveMail = async (raw, options) => {
      if (failIntake) throw new Error('database unavailable');
      const result = await real(raw, options);
      handed.push({ parsed: await simpleParser(raw as Buffer), result });
      return result;
    };
    ivan = await signIn(demo, 'ivan@example.ru');
    const token = await pluginCsrf(ivan, demo);
    const res = await ivan
      .post(`${demo.plugin.mountPath}/?_csrf=${encodeURIComponent(token)}`)
      .field('subject', 'Сайт отдаёт 502')
      .field('serviceId', '')
      .field('departmentId', await departmentId(demo, 'technical'))
      .field('message', 'С утра nginx отвечает 502.\nПерезапуск не помог.');
    number = /\/(\d+)\?created=1$/.exec(String(res.headers.location))?.[1] as string;
    assert.ok(number, `ticket not created: ${res.status}`);
    const caught = (to: string) => () => demo.catcher?.list().find((m) => m.subject.includes(`[#${number}]`) && m.envelope.to.includes(to));
    toDepartment = await waitFor('department e-mail', caught('tech@panel.example'));
    toCustomer = await waitFor('customer e-mail', caught('ivan@example.ru'));
  });
  beforeEach(() => {
    handed.length = 0;
    failIntake = false;
  });
  after(async () => {
    await demo?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('puts a Reply button on each caught e-mail, in the list and on its page', async () => {
    const list = await ivan.get('/mailbox').expect(200);
    for (const mail of [toDepartment, toCustomer]) {
      assert.ok(list.text.includes(`<a class="btn" href="/mailbox/${mail.id}/reply" aria-label="Ответить на письмо «`), `${mail.id}`);
    }
    const page = await ivan.get(`/mailbox/${toDepartment.id}`).expect(200);
    assert.ok(page.text.includes(`href="/mailbox/${toDepartment.id}/reply">Ответить</a>`));
  });

  it('the department’s reply form: from the department, to the sender, with a draft, its signature and the original quoted', async () => {
    const form = await ivan.get(`/mailbox/${toDepartment.id}/reply`).expect(200);
    const envelope = replyEnvelope(toDepartment)!;
    // Named as the reply will be: the department's name, its address.
    assert.match(form.text, /<dt>От<\/dt><dd>Технический отдел &lt;tech@panel\.example&gt;<\/dd>/);
    const to = envelope.to.map((a) => (a.name ? `${a.name} <${a.address}>` : a.address)).join(', ');
    assert.equal(unescapeHtml(/<dt>Кому<\/dt><dd>([^<]*)<\/dd>/.exec(form.text)?.[1] ?? ''), to);
    assert.ok(envelope.to.length > 0 && envelope.to.every((a) => a.address.endsWith('@panel.example')), to);
    const draft = textarea(form.text);
    assert.match(draft, /^Здравствуйте!\n\nПроверили: сейчас всё работает\./);
    assert.match(draft, /\n-- \nТехнический отдел\nBilling panel \(demo\)\n/);
    assert.match(draft, /пишет:\n> /);
    assert.match(draft, /\n> С утра nginx отвечает 502\.\n> Перезапуск не помог\./);
    assert.ok(form.text.includes('127.0.0.1:' + demo.mx!.port));
  });

  it('sends the reply to the MX as the department, in the thread; the Mailbox says what the plugin did with it, once', async () => {
    const form = await ivan.get(`/mailbox/${toDepartment.id}/reply`).expect(200);
    const text = `${textarea(form.text)}\nИ ещё строка.`;
    await ivan
      .post(`/mailbox/${toDepartment.id}/reply`)
      .type('form')
      .send({ _csrf: hiddenField(form.text, '_csrf'), text })
      .expect(303)
      .expect('Location', '/mailbox');

    assert.equal(handed.length, 1);
    const { parsed, result } = handed[0]!;
    const from = (parsed.from as AddressObject).value[0]!;
    assert.equal(from.address, 'tech@panel.example');
    assert.equal(from.name, 'Технический отдел');
    const expectedTo = toDepartment.addresses.replyTo.length > 0 ? toDepartment.addresses.replyTo : toDepartment.addresses.from;
    assert.deepEqual(
      addressesOf(parsed.to),
      expectedTo.map((a) => a.address),
    );
    assert.equal(parsed.subject, `Re: ${toDepartment.subject}`);
    assert.equal(parsed.inReplyTo, toDepartment.messageId);
    assert.deepEqual(([] as string[]).concat(parsed.references ?? []), [...toDepartment.references, toDepartment.messageId]);
    assert.match(parsed.text ?? '', /И ещё строка\./);

    const list = await ivan.get('/mailbox').expect(200);
    const notice = /<div class="notice notice-(ok|warn)" role="status">([\s\S]*?)<\/div>/.exec(list.text);
    assert.ok(notice, 'the Mailbox confirms the reply');
    const lines = [...(notice[2] as string).matchAll(/<p>([^<]*)<\/p>/g)].map((m) => unescapeHtml(m[1] as string));
    assert.equal(lines[0], `Ответ от tech@panel.example отправлен на ${expectedTo.map((a) => a.address).join(', ')}.`);
    assert.equal(lines[1], `Плагин добавил его в запрос №${number}.`);
    assert.deepEqual(result, { outcome: 'stored', ticketNumber: number });
    assert.equal(notice[1], 'ok', 'a reply that landed is confirmed in green');
    assert.ok(
      (notice[2] as string).includes(`<a href="/support/requests/${number}">Открыть запрос №${number}</a>`),
      'the confirmation links the request',
    );
    const again = await ivan.get('/mailbox').expect(200);
    assert.doesNotMatch(again.text, /role="status"/, 'shown once');
  });

  it('the customer’s reply: from the customer by name, their own signature', async () => {
    const form = await ivan.get(`/mailbox/${toCustomer.id}/reply`).expect(200);
    const draft = textarea(form.text);
    assert.match(draft, /^Спасибо! Сейчас всё работает\.\n\n-- \nИван Петров\n/);
    await ivan
      .post(`/mailbox/${toCustomer.id}/reply`)
      .type('form')
      .send({ _csrf: hiddenField(form.text, '_csrf'), text: draft })
      .expect(303);
    assert.equal(handed.length, 1);
    const from = (handed[0]!.parsed.from as AddressObject).value[0]!;
    assert.equal(from.address, 'ivan@example.ru');
    assert.equal(from.name, 'Иван Петров');
    assert.equal(handed[0]!.parsed.inReplyTo, toCustomer.messageId);
  });

  it('answers to the Reply-To when there is one, as the first To, and continues the References', async () => {
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: demo.catcher?.port, secure: false, ignoreTLS: true });
    try {
      await transport.sendMail({
        from: 'Alice Smith <alice@example.com>',
        to: ['Ops desk <ops@panel.example>', 'other@panel.example'],
        replyTo: 'tickets+42@panel.example',
        subject: 'Status of the move',
        messageId: '<m3@example.com>',
        references: ['<m1@example.com>', '<m2@example.com>'],
        text: 'Any news?',
      });
    } finally {
      transport.close();
    }
    const mail = await waitFor('e-mail with a Reply-To', () => demo.catcher?.list().find((m) => m.subject === 'Status of the move'));
    const form = await ivan.get(`/mailbox/${mail.id}/reply`).expect(200);
    await ivan
      .post(`/mailbox/${mail.id}/reply`)
      .type('form')
      .send({ _csrf: hiddenField(form.text, '_csrf'), text: 'On its way.' })
      .expect(303);
    assert.equal(handed.length, 1);
    const { parsed } = handed[0]!;
    assert.deepEqual((parsed.from as AddressObject).value, [{ address: 'ops@panel.example', name: 'Ops desk' }]);
    assert.deepEqual(addressesOf(parsed.to), ['tickets+42@panel.example']);
    assert.equal(parsed.subject, 'Re: Status of the move');
    assert.equal(parsed.inReplyTo, '<m3@example.com>');
    assert.deepEqual(parsed.references, ['<m1@example.com>', '<m2@example.com>', '<m3@example.com>']);
  });

  it('speaks the signed-in user’s language', async () => {
    const sergey = await signIn(demo, 'sergey@panel.example');
    const form = await sergey.get(`/mailbox/${toDepartment.id}/reply`).expect(200);
    assert.match(form.text, /<button class="btn btn-primary" type="submit">Send<\/button>/);
    assert.match(
      textarea(form.text),
      /^Hello,\n\nWe have checked: everything works now\.[\s\S]*\n-- \nTechnical support\n[\s\S]*\nOn .+ wrote:\n> /,
    );
  });

  it('refuses a POST without the CSRF token, and an empty reply, sending nothing', async () => {
    const form = await ivan.get(`/mailbox/${toDepartment.id}/reply`).expect(200);
    const denied = await ivan.post(`/mailbox/${toDepartment.id}/reply`).type('form').send({ text: 'hi' }).expect(403);
    assert.match(denied.text, /Форма устарела/);
    const empty = await ivan
      .post(`/mailbox/${toDepartment.id}/reply`)
      .type('form')
      .send({ _csrf: hiddenField(form.text, '_csrf'), text: '  \n ' })
      .expect(400);
    assert.match(empty.text, /<p class="error" id="reply-problem" role="alert">Напишите текст ответа\.<\/p>/);
    assert.match(empty.text, /aria-invalid="true"/);
    const long = await ivan
      .post(`/mailbox/${toDepartment.id}/reply`)
      .type('form')
      .send({ _csrf: hiddenField(form.text, '_csrf'), text: 'я'.repeat(20_001) })
      .expect(400);
    assert.match(long.text, /Ответ длиннее 20\s000 символов/);
    assert.equal(handed.length, 0);
    await ivan.get('/mailbox/999999/reply').expect(404);
    await ivan
      .post('/mailbox/abc/reply')
      .type('form')
      .send({ _csrf: hiddenField(form.text, '_csrf'), text: 'x' })
      .expect(404);
  });

  it('when the MX refuses it, the form comes back with the reason and the text kept', async () => {
    failIntake = true;
    const form = await ivan.get(`/mailbox/${toDepartment.id}/reply`).expect(200);
    const res = await ivan
      .post(`/mailbox/${toDepartment.id}/reply`)
      .type('form')
      .send({ _csrf: hiddenField(form.text, '_csrf'), text: 'Текст, который нельзя потерять' })
      .expect(502);
    assert.match(res.text, /MX не принял письмо: 451 /);
    assert.equal(textarea(res.text), 'Текст, который нельзя потерять');
  });

  it('escapes what the e-mail brings into the form', async () => {
    const script = '<script>alert(1)</script>';
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: demo.catcher?.port, secure: false, ignoreTLS: true });
    try {
      await transport.sendMail({
        from: `"${script}" <attacker@evil.example>`,
        to: 'victim@panel.example',
        subject: `hostile ${script}`,
        text: `quoted ${script}</textarea><b>x</b>`,
      });
    } finally {
      transport.close();
    }
    const mail = await waitFor('hostile e-mail', () => demo.catcher?.list().find((m) => m.subject.startsWith('hostile')));
    const form = await ivan.get(`/mailbox/${mail.id}/reply`).expect(200);
    assert.ok(!form.text.includes(script) && !form.text.includes('<b>x</b>'), 'raw markup on the page');
    assert.ok(form.text.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
    assert.match(textarea(form.text), /> quoted <script>alert\(1\)<\/script><\/textarea><b>x<\/b>/);
  });
});
