// The ticket page: the thread with files, replies that reopen, closing, escaping, pagination.
import assert from 'node:assert/strict';
import { forEachDatabase } from '../support/databases';
import { filesUnder, startPlugin, type TestPlugin } from '../support/test-host';
import { createTicket } from '../support/tickets';
import { gz, pdf } from '../support/samples';

forEachDatabase('the ticket thread', (db) => {
  let t: TestPlugin;
  before(async () => {
    t = await startPlugin(db);
  });
  after(() => t.close());

  it('adds a reply with a file to the thread', async () => {
    const ivan = t.as('ivan');
    const number = await createTicket(t, ivan);
    const token = await ivan.csrf();
    const res = await ivan
      .post(`/${number}/reply?_csrf=${encodeURIComponent(token)}`)
      .field('message', 'Дополнение: вот конфиг.')
      .attach('files', gz, 'nginx.conf.gz');
    assert.equal(res.status, 303);
    const page = await ivan.get(`/${number}`);
    assert.match(page.text, /Дополнение: вот конфиг\./);
    assert.match(page.text, /nginx\.conf\.gz/);
    const attachment = await t.knex(t.tables.attachments).orderBy('id', 'desc').first();
    assert.equal(attachment.content_type, 'application/gzip');
  });

  it("closes a ticket after asking, and a reply reopens it; staff History shows both as the customer's", async () => {
    const ivan = t.as('ivan');
    const number = await createTicket(t, ivan);
    const token = encodeURIComponent(await ivan.csrf());
    await t.knex(t.tables.tickets).where('number', number).update({ status: 'answered' });

    // The ticket page's Close leads to a question, not straight to a close.
    const page = (await ivan.get(`/${number}`)).text;
    assert.match(page, new RegExp(`<a class="btn" href="/support/requests/${number}/close">Закрыть запрос</a>`));
    assert.doesNotMatch(page, /method="post" action="[^"]*\/close/);
    const question = await ivan.get(`/${number}/close`);
    assert.equal(question.status, 200);
    assert.match(question.text, new RegExp(`Закрыть запрос №${number}\\? Чтобы открыть его снова, просто ответьте в нём\\.`));
    assert.match(question.text, new RegExp(`<form method="post" action="/support/requests/${number}/close\\?_csrf=[^"]+"`));
    assert.equal((await t.knex(t.tables.tickets).where('number', number).first()).status, 'answered', 'asking closes nothing');
    assert.equal((await ivan.post(`/${number}/close`)).status, 403, 'the confirmation needs its CSRF token');
    assert.equal((await t.knex(t.tables.tickets).where('number', number).first()).status, 'answered');

    assert.equal((await ivan.post(`/${number}/close?_csrf=${token}`)).status, 303);
    const again = await ivan.get(`/${number}/close`);
    assert.equal(again.status, 303, 'a closed request is not asked about again');
    assert.equal(again.headers.location, `/support/requests/${number}`);
    const closed = await ivan.get(`/${number}`);
    assert.match(closed.text, /Запрос закрыт/);
    assert.equal((await t.knex(t.tables.tickets).where('number', number).first()).status, 'closed');

    assert.equal((await ivan.post(`/${number}/reply?_csrf=${token}`).field('message', 'Проблема вернулась')).status, 303);
    const row = await t.knex(t.tables.tickets).where('number', number).first();
    assert.equal(row.status, 'waiting');
    assert.equal(row.closed_at, null);
    assert.doesNotMatch((await ivan.get(`/${number}`)).text, /Запрос закрыт/);

    const history = /<ol class="support-audit">([\s\S]*?)<\/ol>/.exec((await t.as('tech').get(`/${number}`)).text)?.[1] ?? '';
    const lines = [...history.matchAll(/<li data-action="(\w+)">.*?<\/span> (.*?)<\/li>/g)].map((m) => [m[1], m[2]]);
    assert.deepEqual(lines, [
      ['customerClose', 'Клиент закрыл запрос (Иван Петров)'],
      ['customerReopen', 'Запрос снова открыт ответом клиента (Иван Петров)'],
    ]);
  });

  it('keeps the draft and its file, and says why, when a reply is refused', async () => {
    const ivan = t.as('ivan');
    const number = await createTicket(t, ivan);
    const token = encodeURIComponent(await ivan.csrf());
    const before = filesUnder(t.storageDir).length;
    const res = await ivan.post(`/${number}/reply?_csrf=${token}`).field('message', '  ').attach('files', pdf, 'invoice.pdf');
    assert.equal(res.status, 422);
    assert.match(res.text, /id="message-error" role="alert">Напишите сообщение/);
    // The file waits for the form's next submit (test/web/reply-files.test.ts), shown with a remove box.
    assert.equal(filesUnder(t.storageDir).length, before + 1, 'the refused reply kept its file');
    assert.match(res.text, /Убрать «invoice\.pdf»/);
  });

  it('leads with the subject, shows the number under it and each status in the customer’s words, ru and en', async () => {
    const words = {
      ivan: { new: 'Новый', answered: 'Есть ответ', waiting: 'Ждёт ответа поддержки', closed: 'Закрыт' },
      alice: { new: 'New', answered: 'Answered', waiting: 'Awaiting a reply from support', closed: 'Closed' },
    };
    for (const [who, number] of [
      ['ivan', 'Запрос №'],
      ['alice', 'Request #'],
    ] as const) {
      const agent = t.as(who);
      const ticket = await createTicket(t, agent, { subject: `Сайт не открывается (${who})` });
      const page = await agent.get(`/${ticket}`);
      // The panel shows the title as the page's H1 (the test host as <title>): the subject, not the number.
      assert.match(page.text, new RegExp(`<title>Сайт не открывается \\(${who}\\)</title>`));
      assert.match(page.text, new RegExp(`<p class="support-number">${number.replace('#', '\\#')}${ticket}</p>`));
      for (const [status, word] of Object.entries(words[who])) {
        await t.knex(t.tables.tickets).where('number', ticket).update({ status });
        const [shown, list] = await Promise.all([agent.get(`/${ticket}`), agent.get('/')]);
        assert.match(shown.text, new RegExp(`<span class="badge status-${status}">${word}</span>`), `${who}: ${status}`);
        assert.match(list.text, new RegExp(`<span class="badge status-${status}">${word}</span>`), `${who}'s list: ${status}`);
      }
    }
  });

  it('escapes everything a customer typed', async () => {
    const ivan = t.as('ivan');
    const number = await createTicket(t, ivan, { subject: '<script>alert(1)</script>', message: '<img src=x onerror=alert(2)>' });
    const page = await ivan.get(`/${number}`);
    assert.doesNotMatch(page.text, /<script>alert|<img src=x/);
    assert.match(page.text, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    assert.match(page.text, /&lt;img src=x onerror=alert\(2\)&gt;/);
    assert.doesNotMatch((await ivan.get('/')).text, /<script>alert/);
  });
});

forEachDatabase('the ticket list', (db) => {
  let t: TestPlugin;
  before(async () => {
    t = await startPlugin(db, { limits: { newTicketsPerHour: 0 } });
  });
  after(() => t.close());

  it('shows a friendly empty state with the Create button and the contact channels', async () => {
    const res = await t.as('alice').get('/');
    assert.equal(res.status, 200);
    assert.match(res.text, /You have no requests yet/);
    assert.match(res.text, /href="\/support\/requests\/new"/);
    assert.match(res.text, /Where to ask/);
    assert.match(res.text, /For any question — choosing a service, paying, your account or your services — create a request/);
  });

  it('pages newest activity first, with no duplicates or gaps', async () => {
    const alice = t.as('alice');
    const token = await alice.csrf();
    const numbers: string[] = [];
    for (let i = 0; i < 45; i += 1) numbers.push(await createTicket(t, alice, { subject: `Вопрос ${i}`, serviceId: 'svc-201' }, token));
    // Two tickets share an update time: the id breaks the tie.
    await t.knex(t.tables.tickets).whereIn('number', numbers.slice(0, 2)).update({ updated_at: 1_700_000_000_000 });
    const seen: string[] = [];
    let url = '/';
    for (let page = 0; page < 5 && url; page += 1) {
      const res = await alice.get(url);
      seen.push(...[...res.text.matchAll(/<td[^>]*><a href="\/support\/requests\/(\d{8})">[#№]/g)].map((m) => m[1] as string));
      url = (/href="\/support\/requests(\/\?after=[^"]+)"/.exec(res.text)?.[1] ?? '').replace(/&amp;/g, '&');
    }
    assert.equal(seen.length, 45);
    assert.equal(new Set(seen).size, 45);
    assert.deepEqual(seen.slice(0, 43), numbers.slice(2).reverse(), 'newest first');
    assert.deepEqual(new Set(seen.slice(43)), new Set(numbers.slice(0, 2)));
  });

  it('shows the configured contact channels', async () => {
    const other = await startPlugin(db, { contacts: { communityUrl: 'https://vk.com/example', chatUrl: 'https://example.ru/chat' } });
    try {
      const res = await other.as('ivan').get('/');
      assert.match(res.text, /href="https:\/\/vk.com\/example"/);
      assert.match(res.text, /href="https:\/\/example.ru\/chat"/);
      // As the how-to page has it: the consultants for a quick question, a request for the account and its services.
      assert.match(res.text, /Быстрый вопрос о выборе услуги или оплате можно задать консультантам/);
      assert.match(res.text, /Всё, что касается вашего аккаунта и ваших услуг, — это запрос/);
      assert.doesNotMatch(res.text, /технических вопросов/, 'requests are not only for technical questions');
    } finally {
      await other.close();
    }
  });
});
