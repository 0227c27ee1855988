// What the department and the customer receive when a ticket is created or answered, checked
// on a real SMTP server: recipients, subject, body fields, files, headers, escaping, threading.
import assert from 'node:assert/strict';
import { forEachDatabase } from '../support/databases';
import { startPlugin, type TestPlugin } from '../support/test-host';
import { createTicket } from '../support/tickets';
import { log, png } from '../support/samples';
import { SmtpSink, waitUntil, type ReceivedMail } from '../support/smtp-sink';

const departments = {
  client_relations: { emails: ['clients@panel.example'] },
  technical: { emails: ['tech-1@panel.example', 'tech-2@panel.example'], locale: 'en' },
  emergency: { emails: ['duty@panel.example'], onCall: ['+on-call@panel.example', 'chief@panel.example'] },
};

function only(mails: ReceivedMail[], what: string): ReceivedMail {
  assert.equal(mails.length, 1, `exactly one ${what}, got ${mails.length}`);
  return mails[0] as ReceivedMail;
}

forEachDatabase('department e-mail', (db) => {
  let sink: SmtpSink;
  let t: TestPlugin;

  beforeEach(async () => {
    sink = await SmtpSink.started();
    t = await startPlugin(db, {
      publicBaseUrl: 'https://panel.example',
      departments,
      mail: sink.settings({ from: { address: 'support@panel.example', name: 'Хостинг' }, pollSeconds: 0.1 }),
    });
  });
  afterEach(async () => {
    await t.close();
    await sink.stop();
  });

  it('sends one e-mail with both files to each department address, in the department language, and confirms to the customer in theirs', async () => {
    const number = await createTicket(t, t.as('ivan'), {
      subject: 'Не отвечает SSH',
      serviceId: 'svc-101',
      department: 'technical',
      message: 'С 10:00 сервер не отвечает по SSH.',
      files: [
        [png, 'screen.png'],
        [log, 'nginx.log'],
      ],
    });
    await sink.waitFor(2);

    for (const address of departments.technical.emails) {
      const mail = only(sink.to(address), `e-mail to ${address}`);
      const parsed = mail.parsed;
      assert.equal(parsed.subject, `[#${number}] New request for Technical: Не отвечает SSH`);
      assert.equal(parsed.from?.value[0]?.address, 'support@panel.example');
      assert.match(parsed.text ?? '', /A new request has arrived for Technical/);
      assert.match(parsed.text ?? '', /Иван Петров <ivan@example\.ru>/);
      assert.match(parsed.text ?? '', /VPS Cloud-2 \(Москва\) \(ID svc-101\)/);
      assert.match(parsed.text ?? '', /С 10:00 сервер не отвечает по SSH\./);
      assert.ok((parsed.text ?? '').includes(`https://panel.example/support/requests/${number}`));
      assert.match(String(parsed.html), /Иван Петров/);
      assert.deepEqual(parsed.attachments.map((a) => [a.filename, a.content.length]).sort(), [
        ['nginx.log', log.length],
        ['screen.png', png.length],
      ]);
      assert.ok(parsed.attachments.find((a) => a.filename === 'screen.png')?.content.equals(png));
      assert.doesNotMatch(mail.rawHeaders, /^X-Priority:/m);
    }
    // One message to both addresses: the same Message-ID, the one kept on the ticket.
    const [first, second] = departments.technical.emails.map((a) => sink.to(a)[0]?.parsed.messageId);
    assert.equal(first, second);
    const ticket = await t.knex(t.tables.tickets).where('number', number).first('thread_message_id');
    assert.equal(ticket.thread_message_id, first);

    const confirmation = only(sink.to('ivan@example.ru'), 'confirmation');
    assert.equal(confirmation.parsed.subject, `[#${number}] Мы получили ваш запрос: Не отвечает SSH`);
    assert.match(confirmation.parsed.text ?? '', /Здравствуйте, Иван Петров!/);
    assert.ok((confirmation.parsed.text ?? '').includes(`https://panel.example/support/requests/${number}`));
    assert.equal(confirmation.parsed.inReplyTo, first);
  });

  it('writes to a department without a language setting in the default locale, and to an English customer in English', async () => {
    const number = await createTicket(t, t.as('alice'), {
      subject: 'Invoice question',
      department: 'client_relations',
      message: 'Where is my invoice?',
    });
    await sink.waitFor(2);
    const notice = only(sink.to('clients@panel.example'), 'department e-mail');
    assert.equal(notice.parsed.subject, `[#${number}] Новый запрос (Отдел по работе с клиентами): Invoice question`);
    assert.match(notice.parsed.text ?? '', /Клиент: Alice Smith <alice@example\.com>/);
    assert.match(notice.parsed.text ?? '', /без конкретной услуги/);
    const confirmation = only(sink.to('alice@example.com'), 'confirmation');
    assert.equal(confirmation.parsed.subject, `[#${number}] We have received your request: Invoice question`);
  });

  it('marks an emergency as urgent, adds the on-call addresses and sends it before earlier ordinary mail', async () => {
    // Stop the server so both tickets wait in the queue, the ordinary one first.
    await sink.stop();
    const ordinary = await createTicket(t, t.as('ivan'), {
      subject: 'Вопрос по тарифу',
      department: 'client_relations',
      message: 'Как сменить тариф?',
    });
    const urgent = await createTicket(t, t.as('ivan'), { subject: 'Сайт лежит', department: 'emergency', message: 'Всё недоступно.' });
    await waitUntil(async () => (await t.knex(t.tables.outbox).where('attempts', '>', 0).whereNot('status', 'sending')).length === 4);
    await sink.start();
    // Both due at once, the ordinary one earlier: the next poll takes them in one claim.
    await t.knex(t.tables.outbox).update({ next_attempt_at: 0 });
    await sink.waitFor(4);

    const order = sink.received.map((m) => m.parsed.subject ?? '');
    const urgentAt = order.findIndex((s) => s.includes(`#${urgent}]`));
    const ordinaryAt = order.findIndex((s) => s.includes(`#${ordinary}]`));
    assert.ok(urgentAt < ordinaryAt, `emergency first: ${order.join(' | ')}`);

    const alarm = only(sink.to('duty@panel.example'), 'emergency e-mail');
    assert.equal(alarm.parsed.subject, `[АВАРИЯ] [#${urgent}] Новый запрос (Аварийная служба): Сайт лежит`);
    assert.match(alarm.rawHeaders, /^X-Priority: 1/m);
    assert.match(alarm.rawHeaders, /^Importance: high/m);
    assert.deepEqual(alarm.recipients.sort(), ['+on-call@panel.example', 'chief@panel.example', 'duty@panel.example']);
  });

  it('adds no header from CR/LF in a subject or a name, and escapes every user field in the HTML part', async () => {
    const evil = '<script>alert(1)</script>';
    const number = await createTicket(t, t.as('ivan'), {
      subject: `Тема\r\nBcc: thief@evil.example\r\nX-Evil: 1 ${evil}`,
      department: 'technical',
      message: `Текст ${evil} & <b>жирный</b>`,
      files: [[log, `${evil}.log`]],
    });
    await sink.waitFor(2);
    for (const mail of sink.received) {
      assert.ok(!mail.recipients.includes('thief@evil.example'), 'no Bcc recipient');
      assert.doesNotMatch(mail.rawHeaders, /^(Bcc|X-Evil):/im);
      assert.equal(mail.parsed.headers.get('x-evil'), undefined);
    }
    const notice = only(sink.to('tech-1@panel.example'), 'department e-mail');
    assert.equal(notice.parsed.subject, `[#${number}] New request for Technical: Тема Bcc: thief@evil.example X-Evil: 1 ${evil}`);
    const html = String(notice.parsed.html);
    assert.ok(!html.includes('<script>'), 'no live script tag in the HTML part');
    assert.ok(!html.includes('<b>жирный</b>'), 'no live markup from the message');
    assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
    assert.ok(html.includes('&amp;'));
  });

  it('lists files with links instead of attaching them when they are over the limit', async () => {
    await t.close();
    t = await startPlugin(db, { departments, mail: sink.settings({ attachLimitMb: 0 }), publicBaseUrl: 'https://panel.example' });
    const number = await createTicket(t, t.as('ivan'), { department: 'technical', files: [[png, 'screen.png']] });
    await sink.waitFor(2);
    const notice = only(sink.to('tech-1@panel.example'), 'department e-mail');
    assert.equal(notice.parsed.attachments.length, 0);
    assert.match(notice.parsed.text ?? '', /screen\.png \(\d+ B\)/);
    assert.match(notice.parsed.text ?? '', new RegExp(`https://panel\\.example/support/requests/${number}/files/\\d+`));
  });

  it("threads a customer's reply to the ticket's first e-mail", async () => {
    const ivan = t.as('ivan');
    const number = await createTicket(t, ivan, { subject: 'Диск заполнен', department: 'technical', message: 'Первое сообщение' });
    await sink.waitFor(2);
    const threadId = sink.to('tech-1@panel.example')[0]?.parsed.messageId;
    assert.ok(threadId);

    const token = await ivan.csrf();
    const res = await ivan.post(`/${number}/reply?_csrf=${encodeURIComponent(token)}`).field('message', 'Второе сообщение');
    assert.equal(res.status, 303);
    await sink.waitFor(3);
    const reply = sink.to('tech-1@panel.example')[1] as ReceivedMail;
    assert.equal(reply.parsed.inReplyTo, threadId);
    assert.deepEqual([reply.parsed.references].flat(), [threadId]);
    assert.notEqual(reply.parsed.messageId, threadId);
    assert.match(reply.parsed.subject ?? '', new RegExp(`^\\[#${number}\\] Customer follow-up: Диск заполнен`));
    assert.match(reply.parsed.text ?? '', /Второе сообщение/);
    assert.match(reply.parsed.text ?? '', /Первое сообщение/);
    assert.equal(sink.to('ivan@example.ru').length, 1, 'the customer is not e-mailed about their own reply');
  });

  it('sends no confirmation when the settings turn it off', async () => {
    await t.close();
    t = await startPlugin(db, { departments, mail: sink.settings({ confirmToCustomer: false }) });
    await createTicket(t, t.as('ivan'), { department: 'technical' });
    await sink.waitFor(1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(sink.received.length, 1);
    assert.equal(sink.to('ivan@example.ru').length, 0);
  });
});
