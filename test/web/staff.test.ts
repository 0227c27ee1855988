// The staff side: queues by department, the ticket page, replies that reach the customer,
// notes that never do, the collision guard, transfers, the audit trail, and 404 for everyone
// who has no business with a ticket.
import assert from 'node:assert/strict';
import { forEachDatabase } from '../support/databases';
import { startPlugin, TestClock, type TestPlugin } from '../support/test-host';
import { createTicket, departmentId, replyForm } from '../support/tickets';
import { log } from '../support/samples';
import { SmtpSink, waitUntil } from '../support/smtp-sink';
import { waitForIdleOutbox } from '../support/outbox';

const departments = {
  client_relations: { emails: ['clients@panel.example'] },
  technical: { emails: ['tech@panel.example'] },
  emergency: { emails: ['duty@panel.example'] },
};

function queueNumbers(html: string): string[] {
  return [...html.matchAll(/<td[^>]*><a href="[^"]*\/(\d{8})">[#№]/g)].map((m) => m[1] as string);
}

forEachDatabase('staff work', (db) => {
  let sink: SmtpSink;
  let t: TestPlugin;
  let clock: TestClock;

  beforeEach(async () => {
    sink = await SmtpSink.started();
    clock = new TestClock();
    t = await startPlugin(
      db,
      { departments, publicBaseUrl: 'https://panel.example', mail: sink.settings({ pollSeconds: 0.05, confirmToCustomer: false }) },
      { now: clock.now },
    );
  });
  afterEach(async () => {
    await t.close();
    await sink.stop();
  });

  it("shows staff their departments' tickets only, admins all, urgent first then the longest-waiting", async () => {
    const ivan = t.as('ivan');
    const oldTech = await createTicket(t, ivan, { subject: 'Старый технический', department: 'technical' });
    clock.advance(60_000);
    const billing = await createTicket(t, ivan, { subject: 'Счёт', department: 'client_relations' });
    clock.advance(60_000);
    const newTech = await createTicket(t, t.as('alice'), { subject: 'New tech', department: 'technical' });
    const tech = await t.as('tech').get('/');
    assert.deepEqual(queueNumbers(tech.text), [oldTech, newTech]);
    assert.deepEqual(queueNumbers((await t.as('olga').get('/')).text), [billing]);

    const emergency = await createTicket(t, ivan, { subject: 'Всё лежит', department: 'emergency' });
    assert.deepEqual(queueNumbers((await t.as('admin').get('/')).text), [emergency, oldTech, billing, newTech]);
    // Staff cannot widen their view through the department filter.
    const sneaky = await t.as('tech').get(`/?department=${await departmentId(t, 'client_relations')}`);
    assert.deepEqual(queueNumbers(sneaky.text), []);
  });

  it('filters by status, priority, assignee and searches by number, e-mail and subject words', async () => {
    const a = await createTicket(t, t.as('ivan'), { subject: 'Не работает почта на домене', department: 'technical' });
    const b = await createTicket(t, t.as('alice'), { subject: 'Disk is full', department: 'technical' });
    const tech = t.as('tech');
    assert.deepEqual(queueNumbers((await tech.get(`/?q=${a}`)).text), [a]);
    assert.deepEqual(queueNumbers((await tech.get('/?q=ALICE%40example.com')).text), [b]);
    assert.deepEqual(queueNumbers((await tech.get(`/?q=${encodeURIComponent('почта домене')}`)).text), [a]);
    assert.deepEqual(queueNumbers((await tech.get('/?q=%25')).text), [], 'a % typed by the user is literal');
    assert.deepEqual(queueNumbers((await tech.get('/?q=disk%20FULL')).text), [b], 'whatever the case');
    assert.deepEqual(queueNumbers((await tech.get(`/?q=${encodeURIComponent('ПОЧТА')}`)).text), [a], 'in Cyrillic too, on every database');

    const form = await replyForm(tech, a);
    await tech
      .post(`/${a}/assign?_csrf=${encodeURIComponent(form.token)}`)
      .type('form')
      .send({ assignee: 'me' });
    await tech
      .post(`/${b}/priority?_csrf=${encodeURIComponent(form.token)}`)
      .type('form')
      .send({ priority: 'high' });
    await tech
      .post(`/${a}/status?_csrf=${encodeURIComponent(form.token)}`)
      .type('form')
      .send({ open: '0' });
    assert.deepEqual(queueNumbers((await tech.get('/')).text), [b], 'closed tickets leave the open queue');
    assert.deepEqual(queueNumbers((await tech.get('/?status=closed')).text), [a]);
    assert.deepEqual(queueNumbers((await tech.get('/?status=all&assigned=me')).text), [a]);
    assert.deepEqual(queueNumbers((await tech.get('/?status=all&assigned=none')).text), [b]);
    assert.deepEqual(queueNumbers((await tech.get('/?status=all&priority=high')).text), [b]);

    // From a request, all of that customer's requests in reach, closed ones included.
    const link = /href="\/support\/requests(\/\?q=[^"]+)">(?:all their requests|все запросы клиента)</.exec(
      (await tech.get(`/${a}`)).text,
    )?.[1];
    assert.equal(link, '/?q=ivan%40example.ru&amp;status=all');
    assert.deepEqual(queueNumbers((await tech.get(link!.replace('&amp;', '&'))).text), [a]);
  });

  it('searches subject words literally: a % or _ typed means that character', async () => {
    const percent = await createTicket(t, t.as('alice'), { subject: 'CPU at 100% since 9:00', department: 'technical' });
    await createTicket(t, t.as('alice'), { subject: 'CPU at 1000 since 9:00', department: 'technical' });
    const tech = t.as('tech');
    assert.deepEqual(queueNumbers((await tech.get(`/?q=${encodeURIComponent('100%')}`)).text), [percent]);
    assert.deepEqual(queueNumbers((await tech.get('/?q=_')).text), []);
    assert.equal(queueNumbers((await tech.get('/?q=cpu')).text).length, 2);
  });

  it('pages through the queue without duplicates or gaps while new tickets arrive', async () => {
    const created: string[] = [];
    for (let i = 0; i < 30; i++)
      created.push(await createTicket(t, t.as(i % 2 ? 'ivan' : 'alice'), { subject: `Тикет ${i}`, department: 'technical' }));
    const tech = t.as('tech');
    const first = await tech.get('/');
    const page1 = queueNumbers(first.text);
    assert.equal(page1.length, 25);
    // Newcomers waited the least, so they belong after everything already listed.
    const arrived: string[] = [];
    for (let i = 0; i < 3; i++) arrived.push(await createTicket(t, t.as('ivan'), { subject: `Новый ${i}`, department: 'technical' }));
    const nextLink = /href="([^"]*after=[^"]+)"/.exec(first.text)?.[1]?.replace(/&amp;/g, '&') as string;
    const page2 = queueNumbers((await tech.get(nextLink.replace(/^.*\/support\/requests/, ''))).text);
    const seen = [...page1, ...page2];
    assert.equal(new Set(seen).size, seen.length, 'no duplicates');
    assert.deepEqual(seen, [...created, ...arrived], 'oldest first, nothing skipped, newcomers last');
  });

  it("puts a reply on the customer's page and in their inbox, in the thread; a note reaches neither", async () => {
    const ivan = t.as('ivan');
    const number = await createTicket(t, ivan, { subject: 'Не отвечает SSH', department: 'technical' });
    await sink.waitFor(1);
    const threadId = sink.received[0]?.parsed.messageId;
    const tech = t.as('tech');
    let form = await replyForm(tech, number);
    const noted = await tech
      .post(`/${number}/note?_csrf=${encodeURIComponent(form.token)}`)
      .field('note', 'СЕКРЕТ: клиент должен за прошлый месяц')
      .attach('files', log, 'internal.log');
    assert.equal(noted.status, 303);
    form = await replyForm(tech, number);
    const replied = await tech
      .post(`/${number}/reply?_csrf=${encodeURIComponent(form.token)}`)
      .field('lastSeenId', form.lastSeenId)
      .field('submissionKey', form.submissionKey)
      .field('message', 'Перезагрузили сервер, проверьте.')
      .attach('files', log, 'dmesg.log');
    assert.equal(replied.status, 303);

    const page = await ivan.get(`/${number}`);
    assert.match(page.text, /Перезагрузили сервер, проверьте\./);
    assert.match(page.text, /dmesg\.log/);
    assert.doesNotMatch(page.text, /СЕКРЕТ/);
    assert.doesNotMatch(page.text, /internal\.log/);
    assert.match(page.text, /status-answered/);
    // The note's file is out of the customer's reach even by its id.
    const noteFile = await t.knex(t.tables.attachments).where('original_name', 'internal.log').first('id');
    assert.equal((await ivan.get(`/${number}/files/${noteFile.id}`)).status, 404);
    assert.equal((await tech.get(`/${number}/files/${noteFile.id}`)).status, 200);

    await sink.waitFor(2);
    const answer = sink.to('ivan@example.ru');
    assert.equal(answer.length, 1);
    const mail = answer[0]!.parsed;
    assert.equal(mail.subject, `[#${number}] Ответ на ваш запрос: Не отвечает SSH`);
    assert.match(mail.text ?? '', /Перезагрузили сервер, проверьте\./);
    assert.ok((mail.text ?? '').includes(`https://panel.example/support/requests/${number}`));
    assert.equal(mail.inReplyTo, threadId);
    assert.deepEqual(
      mail.attachments.map((a) => a.filename),
      ['dmesg.log'],
    );
    await waitForIdleOutbox(t);
    for (const m of sink.received) {
      assert.doesNotMatch(`${m.parsed.text} ${m.parsed.html}`, /СЕКРЕТ/);
      assert.ok(!m.parsed.attachments.some((a) => a.filename === 'internal.log'));
    }
  });

  it('e-mails the customer once when staff close a request, in their language and thread; a reopen e-mails nothing', async () => {
    const number = await createTicket(t, t.as('ivan'), { subject: 'Не отвечает SSH', department: 'technical' });
    const english = await createTicket(t, t.as('alice'), { subject: 'SSH is down', department: 'technical' });
    await sink.waitFor(2);
    const threadOf = (n: string) => sink.received.find((m) => m.parsed.subject?.includes(n))?.parsed.messageId;
    const tech = t.as('tech');
    const form = await replyForm(tech, number);
    const setOpen = (n: string, open: string) =>
      tech
        .post(`/${n}/status?_csrf=${encodeURIComponent(form.token)}`)
        .type('form')
        .send({ open });
    // A double click, then a reopen and the English customer's request.
    const [one, two] = await Promise.all([setOpen(number, '0'), setOpen(number, '0')]);
    assert.deepEqual([one.status, two.status], [303, 303]);
    assert.equal((await setOpen(number, '1')).status, 303);
    assert.equal((await setOpen(english, '0')).status, 303);
    await waitUntil(() => sink.to('alice@example.com').length === 1, 5000, 'the English notice');
    await waitForIdleOutbox(t);

    const ru = sink.to('ivan@example.ru');
    assert.equal(ru.length, 1, 'one e-mail for one close');
    assert.equal(ru[0]!.parsed.subject, `[#${number}] Ваш запрос закрыт: Не отвечает SSH`);
    assert.match(ru[0]!.parsed.text ?? '', /Мы закрыли ваш запрос №\d{8} «Не отвечает SSH»: по нашим сведениям, вопрос решён\./);
    assert.ok((ru[0]!.parsed.text ?? '').includes(`https://panel.example/support/requests/${number}`));
    assert.equal(ru[0]!.parsed.inReplyTo, threadOf(number));
    const en = sink.to('alice@example.com')[0]!.parsed;
    assert.equal(en.subject, `[#${english}] Your request is closed: SSH is down`);
    assert.match(en.text ?? '', /We have closed your request #\d{8} “SSH is down”, as we believe the question is resolved\./);
    assert.match(String(en.html), /We have closed your request/);
  });

  it('holds a reply when someone wrote meanwhile, keeps the draft, and sends a double click once', async () => {
    const ivan = t.as('ivan');
    const number = await createTicket(t, ivan, { department: 'technical' });
    const tech = t.as('tech');
    const form = await replyForm(tech, number);
    // The customer writes while the staff member is typing.
    const token = await ivan.csrf();
    await ivan.post(`/${number}/reply?_csrf=${encodeURIComponent(token)}`).field('message', 'Уже не нужно, само заработало');

    const send = (extra: Record<string, string> = {}, key = form.submissionKey) => {
      let req = tech
        .post(`/${number}/reply?_csrf=${encodeURIComponent(form.token)}`)
        .field('lastSeenId', form.lastSeenId)
        .field('submissionKey', key);
      for (const [k, v] of Object.entries(extra)) req = req.field(k, v);
      return req.field('message', 'Черновик ответа');
    };
    const held = await send();
    assert.equal(held.status, 409);
    assert.match(held.text, /Черновик ответа/, 'the draft is kept');
    assert.match(held.text, /Уже не нужно/);
    assert.match(held.text, /name="confirmed" value="1"/);
    assert.equal(await staffMessages(t, number), 0);

    // Confirmed, and clicked twice.
    const [one, two] = await Promise.all([send({ confirmed: '1' }), send({ confirmed: '1' })]);
    assert.deepEqual([one.status, two.status], [303, 303]);
    assert.equal(await staffMessages(t, number), 1);
    await waitUntil(() => sink.to('ivan@example.ru').length === 1, 5000, 'the answer e-mail');
    await waitForIdleOutbox(t);
    assert.equal(sink.to('ivan@example.ru').length, 1, 'one e-mail for one answer');
  });

  it('transfers with a reason: the new department is e-mailed, the assignee cleared, the customer sees it, every action audited', async () => {
    const ivan = t.as('ivan');
    const number = await createTicket(t, ivan, { subject: 'Вопрос по оплате', department: 'technical', files: [[log, 'invoice.log']] });
    // A later reply without files: the transfer notice still carries the first message's file.
    await ivan
      .post(`/${number}/reply?_csrf=${encodeURIComponent(await ivan.csrf())}`)
      .field('message', 'Счёт приложен к первому сообщению.');
    await sink.waitFor(2);
    const tech = t.as('tech');
    const form = await replyForm(tech, number);
    const post = (path: string, body: Record<string, string>) =>
      tech
        .post(`/${number}/${path}?_csrf=${encodeURIComponent(form.token)}`)
        .type('form')
        .send(body);
    assert.equal((await post('assign', { assignee: 'me' })).status, 303);
    assert.equal((await post('priority', { priority: 'high' })).status, 303);

    const missing = await post('transfer', { departmentId: await departmentId(t, 'client_relations'), reason: ' ' });
    assert.equal(missing.status, 422);
    assert.match(missing.text, /Укажите, почему запрос передаётся\./);

    const moved = await post('transfer', { departmentId: await departmentId(t, 'client_relations'), reason: 'Клиент выбрал не тот отдел' });
    assert.equal(moved.status, 303);
    await sink.waitFor(3);
    const notice = sink.to('clients@panel.example');
    assert.equal(notice.length, 1);
    assert.match(notice[0]!.parsed.text ?? '', /Клиент выбрал не тот отдел/);
    assert.match(notice[0]!.parsed.subject ?? '', new RegExp(`\\[#${number}\\] Передан вам: Вопрос по оплате`));
    assert.deepEqual(
      notice[0]!.parsed.attachments.map((a) => a.filename),
      ['invoice.log'],
      "the customer's file comes along",
    );

    assert.equal((await tech.get(`/${number}`)).status, 404, 'Technical no longer reaches it');
    const olga = await t.as('olga').get(`/${number}`);
    assert.equal(olga.status, 200);
    assert.match(olga.text, /Клиент выбрал не тот отдел/);
    const customer = await ivan.get(`/${number}`);
    assert.match(customer.text, /Отдел по работе с клиентами/);

    const actions = (await t.knex(t.tables.events).orderBy('id').select('action', 'actor_id', 'detail')).map((e) => [e.action, e.actor_id]);
    assert.deepEqual(actions, [
      ['assignee', 's-tech'],
      ['priority', 's-tech'],
      ['department', 's-tech'],
      ['assignee', 's-tech'],
    ]);
    const row = await t.knex(t.tables.tickets).where('number', number).first('assignee_id');
    assert.equal(row.assignee_id, null);
  });

  it('leads the staff page with the subject and the number under it; statuses in the staff’s words, ru and en', async () => {
    const number = await createTicket(t, t.as('ivan'), { subject: 'Не работает почта', department: 'technical' });
    const words = {
      tech: { new: 'Новый', answered: 'Отвечен', waiting: 'Ждёт нашего ответа', closed: 'Закрыт' },
      admin: { new: 'New', answered: 'Answered', waiting: 'Awaiting our reply', closed: 'Closed' },
    };
    for (const [who, line] of [
      ['tech', `Запрос №${number}`],
      ['admin', `Request #${number}`],
    ] as const) {
      const agent = t.as(who);
      const page = await agent.get(`/${number}`);
      assert.match(page.text, /<title>Не работает почта<\/title>/);
      assert.ok(page.text.includes(`<p class="support-number">${line} · `), `${who} sees the number`);
      for (const [status, word] of Object.entries(words[who])) {
        await t.knex(t.tables.tickets).where('number', number).update({ status });
        const [shown, queue] = await Promise.all([agent.get(`/${number}`), agent.get('/?status=all')]);
        assert.ok(shown.text.includes(`<span class="badge status-${status}">${word}</span>`), `${who}: ${status}`);
        assert.ok(queue.text.includes(`<span class="badge status-${status}">${word}</span>`), `${who}'s queue: ${status}`);
      }
    }
  });

  it('shows the customer a transfer as a neutral line in its place in the thread, never its reason', async () => {
    const reason = 'Внутренняя причина: клиент путает отделы';
    for (const [who, line] of [
      ['ivan', 'Запрос передан в другой отдел: Отдел по работе с клиентами'],
      ['alice', 'The request was moved to Client relations'],
    ] as const) {
      const customer = t.as(who);
      const number = await createTicket(t, customer, { subject: 'Счёт не пришёл', department: 'technical' });
      clock.advance(60_000);
      const tech = t.as('tech');
      const form = await replyForm(tech, number);
      const answer = await tech
        .post(`/${number}/reply?_csrf=${encodeURIComponent(form.token)}`)
        .field('lastSeenId', form.lastSeenId)
        .field('submissionKey', form.submissionKey)
        .field('message', 'Передаём коллегам.');
      assert.equal(answer.status, 303);
      clock.advance(60_000);
      const moved = await tech
        .post(`/${number}/transfer?_csrf=${encodeURIComponent(form.token)}`)
        .type('form')
        .send({ departmentId: await departmentId(t, 'client_relations'), reason, submissionKey: `${who}-transfer` });
      assert.equal(moved.status, 303);
      clock.advance(60_000);
      const later = await customer
        .post(`/${number}/reply?_csrf=${encodeURIComponent(await customer.csrf())}`)
        .field('message', 'Спасибо, жду.');
      assert.equal(later.status, 303);

      const page = (await customer.get(`/${number}`)).text;
      const order = ['Передаём коллегам.', line, 'Спасибо, жду.'].map((text) => page.indexOf(text));
      assert.ok(
        order.every((at) => at >= 0),
        `${who}: every entry is shown (${order.join(', ')})`,
      );
      assert.deepEqual(
        [...order].sort((a, b) => a - b),
        order,
        `${who}: the transfer line is between the answer and the reply`,
      );
      assert.equal(page.match(/data-transfer/g)?.length, 1, `${who}: one transfer, one line`);
      assert.doesNotMatch(page, /Внутренняя причина/, `${who}: the reason stays internal`);
    }
    await waitForIdleOutbox(t);
    for (const mail of [...sink.to('ivan@example.ru'), ...sink.to('alice@example.com')]) {
      assert.doesNotMatch(
        `${mail.parsed.subject} ${mail.parsed.text} ${mail.parsed.html}`,
        /Внутренняя причина/,
        'no e-mail to a customer names the reason',
      );
    }
    assert.ok(sink.to('ivan@example.ru').length > 0, 'the customer was e-mailed the answer');
    assert.match(sink.to('clients@panel.example')[0]?.parsed.text ?? '', /Внутренняя причина/, 'the department reads the reason');
  });

  it('answers 404 to customers and to staff of other departments on every staff route', async () => {
    const number = await createTicket(t, t.as('ivan'), { department: 'technical', files: [[log, 'a.log']] });
    const file = await t.knex(t.tables.attachments).first('id');
    const gets = [`/${number}`, `/${number}/files/${file.id}`];
    const posts = ['reply', 'note', 'status', 'priority', 'assign', 'transfer'].map((p) => `/${number}/${p}`);
    const olga = t.as('olga');
    const olgaToken = await replyForm(olga, await createTicket(t, t.as('alice'), { department: 'client_relations' })).then((f) => f.token);
    for (const url of gets) assert.equal((await olga.get(url)).status, 404, `olga GET ${url}`);
    for (const url of posts) {
      const res = await olga
        .post(`${url}?_csrf=${encodeURIComponent(olgaToken)}`)
        .type('form')
        .send({ message: 'x', note: 'x', open: '0', priority: 'low', assignee: 'me', departmentId: '1', reason: 'x' });
      assert.equal(res.status, 404, `olga POST ${url}`);
    }
    // Another customer: not theirs, so 404 as well (and never a staff page).
    const alice = t.as('alice');
    const aliceToken = await alice.csrf();
    for (const url of gets) assert.equal((await alice.get(url)).status, 404, `alice GET ${url}`);
    for (const url of posts)
      assert.equal(
        (
          await alice
            .post(`${url}?_csrf=${encodeURIComponent(aliceToken)}`)
            .type('form')
            .send({ open: '0' })
        ).status,
        404,
        `alice POST ${url}`,
      );
    // The owner gets their customer page, never the staff controls.
    const own = await t.as('ivan').get(`/${number}`);
    assert.doesNotMatch(own.text, /lastSeenId|\/transfer\?/);
    // Without the token nothing changes, even for the right staff member.
    assert.equal((await t.as('tech').post(`/${number}/status`).type('form').send({ open: '0' })).status, 403);
    assert.equal((await t.knex(t.tables.tickets).where('number', number).first('status')).status, 'new');
    assert.equal(Number((await t.knex(t.tables.events).count({ n: '*' }))[0]?.n), 0);
  });
});

async function staffMessages(t: TestPlugin, number: string): Promise<number> {
  const ticket = await t.knex(t.tables.tickets).where('number', number).first('id');
  const [row] = await t.knex(t.tables.messages).where({ ticket_id: ticket.id, author_kind: 'staff' }).count({ n: '*' });
  return Number(row?.n);
}
