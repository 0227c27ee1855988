// Canned replies: admins write them per department (CSRF, validation, escaping); staff pull one
// into the reply box of a ticket of that department, without JavaScript, and edit it before
// sending. A reply of another department cannot be pulled in by its id.
import assert from 'node:assert/strict';
import { forEachDatabase } from '../support/databases';
import { startPlugin, type TestPlugin } from '../support/test-host';
import { createTicket, departmentId } from '../support/tickets';
import { postForm, rowCount } from '../support/forms';

async function cannedRow(t: TestPlugin, title: string) {
  return t.knex(t.tables.cannedReplies).where('title', title).first();
}

forEachDatabase('canned replies', (db) => {
  let t: TestPlugin;
  let token: string;
  beforeEach(async () => {
    t = await startPlugin(db);
    token = await t.as('admin').csrf('/admin/canned/new');
  });
  afterEach(() => t.close());

  const create = async (department: string, title: string, body: string, locale = '') =>
    postForm(t.as('admin'), '/admin/canned', token, { departmentId: await departmentId(t, department), title, body, locale });

  it('answers 404 to customers and staff on every route, and 403 to an admin without the token, changing nothing', async () => {
    assert.equal((await create('technical', 'Перезагрузка', 'Перезагрузите сервер.')).status, 303);
    const id = (await cannedRow(t, 'Перезагрузка')).id;
    const gets = ['/admin/canned', '/admin/canned/new', `/admin/canned/${id}`];
    const posts = ['/admin/canned', `/admin/canned/${id}`, `/admin/canned/${id}/delete`];
    const number = await createTicket(t, t.as('ivan'), { department: 'technical' });
    const tokens: Record<string, string> = { ivan: await t.as('ivan').csrf(), tech: await t.as('tech').csrf(`/${number}`) };
    const body = { departmentId: await departmentId(t, 'technical'), title: 'Взлом', body: 'Взлом' };
    for (const who of ['ivan', 'tech']) {
      for (const url of gets) assert.equal((await t.as(who).get(url)).status, 404, `${who} GET ${url}`);
      for (const url of posts)
        assert.equal((await postForm(t.as(who), url, tokens[who] as string, body)).status, 404, `${who} POST ${url}`);
    }
    for (const url of gets) assert.equal((await t.as('admin').get(url)).status, 200, `admin GET ${url}`);
    for (const url of posts)
      assert.equal((await postForm(t.as('admin'), url, null, body)).status, 403, `admin POST ${url} without the token`);
    const rows = await t.knex(t.tables.cannedReplies).select('title', 'body');
    assert.deepEqual(
      rows.map((r) => [r.title, r.body]),
      [['Перезагрузка', 'Перезагрузите сервер.']],
    );
  });

  it('checks every field with what was typed kept, then creates, changes and deletes, escaping what admins wrote', async () => {
    const admin = t.as('admin');
    const empty = await postForm(admin, '/admin/canned', token, { departmentId: '', title: ' ', body: '', locale: 'de' });
    assert.equal(empty.status, 422);
    for (const error of ['Choose a department.', 'Enter a title.', 'Write the text of the reply.', 'Choose a language from the list.'])
      assert.ok(empty.text.includes(error), error);
    const long = await postForm(admin, '/admin/canned', token, {
      departmentId: '99999',
      title: 'T'.repeat(121),
      body: 'Текст, который нельзя терять',
      locale: 'ru',
    });
    assert.equal(long.status, 422);
    assert.match(long.text, /Choose a department\./);
    assert.match(long.text, /The title must be at most 120 characters\./);
    assert.ok(long.text.includes('>Текст, который нельзя терять</textarea>'), 'the body is kept');
    assert.equal(await rowCount(t, t.tables.cannedReplies), 0);

    const created = await create('technical', '<img src=x onerror=alert(1)>', 'Hello <script>alert(1)</script>', 'en');
    assert.equal(created.status, 303);
    const tech = await departmentId(t, 'technical');
    assert.equal(created.headers.location, `/support/requests/admin/canned?department=${tech}&saved=1`);
    const list = await admin.get(`/admin/canned?department=${tech}`);
    assert.ok(list.text.includes('&lt;img src=x onerror=alert(1)&gt;'));
    assert.ok(list.text.includes('Hello &lt;script&gt;alert(1)&lt;/script&gt;'));
    assert.ok(!list.text.includes('<script>alert(1)'));
    assert.ok(!list.text.includes('<img src=x'));

    const id = (await cannedRow(t, '<img src=x onerror=alert(1)>')).id;
    const refused = await postForm(admin, `/admin/canned/${id}`, token, {
      departmentId: tech,
      title: 'Новый заголовок',
      body: ' ',
      locale: '',
    });
    assert.equal(refused.status, 422);
    assert.ok(refused.text.includes('value="Новый заголовок"'));
    const changed = await postForm(admin, `/admin/canned/${id}`, token, {
      departmentId: await departmentId(t, 'client_relations'),
      title: 'Оплата',
      body: 'Оплатите счёт.',
      locale: 'ru',
    });
    assert.equal(changed.status, 303);
    const row = await cannedRow(t, 'Оплата');
    assert.deepEqual(
      [row.id, row.body, row.locale, String(row.department_id)],
      [id, 'Оплатите счёт.', 'ru', await departmentId(t, 'client_relations')],
    );
    assert.ok(Number(row.updated_at) >= Number(row.created_at));

    assert.equal((await postForm(admin, `/admin/canned/${id}/delete`, token)).status, 303);
    assert.equal(await rowCount(t, t.tables.cannedReplies), 0);
    assert.equal((await postForm(admin, `/admin/canned/${id}/delete`, token)).status, 404);
    assert.equal((await admin.get(`/admin/canned/${id}`)).status, 404);
    assert.equal((await admin.get('/admin/canned/abc')).status, 404);
  });

  it("offers the ticket's department's replies on the staff page and puts the chosen one in the reply box, without JavaScript", async () => {
    await create('technical', 'Перезагрузка', 'Здравствуйте!\nПерезагрузите сервер <b>из панели</b> & проверьте снова.', 'ru');
    await create('client_relations', 'Оплата', 'Оплатите счёт.');
    const ownId = String((await cannedRow(t, 'Перезагрузка')).id);
    const otherId = String((await cannedRow(t, 'Оплата')).id);
    const number = await createTicket(t, t.as('ivan'), { department: 'technical' });
    const tech = t.as('tech');

    const page = await tech.get(`/${number}`);
    assert.match(page.text, new RegExp(`<option value="${ownId}" data-locale="ru" selected>Перезагрузка \\(RU\\)</option>`));
    assert.doesNotMatch(page.text, /Оплата/, "another department's replies are not offered");
    assert.match(page.text, new RegExp(`<form method="get" action="/support/requests/${number}#reply"`));

    const picked = await tech.get(`/${number}?canned=${ownId}`);
    assert.equal(picked.status, 200);
    assert.ok(
      picked.text.includes(
        '<textarea id="message" name="message" rows="8" maxlength="20000" aria-describedby="message-audience">Здравствуйте!\nПерезагрузите сервер &lt;b&gt;из панели&lt;/b&gt; &amp; проверьте снова.</textarea>',
      ),
    );

    // Not by id from another department, for staff or for an admin; nor anything that is not an id.
    for (const who of ['tech', 'admin']) assert.equal((await t.as(who).get(`/${number}?canned=${otherId}`)).status, 404, who);
    assert.equal((await tech.get(`/${number}?canned=x`)).status, 404);
    assert.equal((await t.as('olga').get(`/${number}?canned=${ownId}`)).status, 404, 'nor through a ticket out of reach');
    assert.doesNotMatch((await t.as('ivan').get(`/${number}?canned=${ownId}`)).text, /Перезагрузите/, 'customers never see them');

    // The staff member edits it and sends it: the customer gets the edited text.
    const form = (re: RegExp) => (re.exec(picked.text)?.[1] ?? '').replace(/&#34;|&quot;/g, '"');
    const sent = await tech
      .post(`/${number}/reply?_csrf=${encodeURIComponent(decodeURIComponent(form(/reply\?_csrf=([^"&]+)/)))}`)
      .field('lastSeenId', form(/name="lastSeenId" value="(\d+)"/))
      .field('submissionKey', form(/name="submissionKey" value="([^"]+)"/))
      .field('message', 'Здравствуйте, Иван!\nПерезагрузите сервер из панели.');
    assert.equal(sent.status, 303);
    assert.match((await t.as('ivan').get(`/${number}`)).text, /Здравствуйте, Иван!/);
  });

  it('fills {customer_name}, {number} and {service} on insert, and leaves {service} with a note when the request names none', async () => {
    await create('technical', 'Шаблон', 'Здравствуйте, {customer_name}! Запрос №{number}, услуга «{service}». {other}', 'ru');
    const id = String((await cannedRow(t, 'Шаблон')).id);
    const withService = await createTicket(t, t.as('ivan'), { department: 'technical', serviceId: 'svc-101' });
    const filled = await t.as('tech').get(`/${withService}?canned=${id}`);
    const service = (await t.knex(t.tables.tickets).where('number', withService).first('service_label')).service_label as string;
    assert.ok(service, 'the ticket names a service');
    assert.ok(
      filled.text.includes(`>Здравствуйте, Иван Петров! Запрос №${withService}, услуга «${service}». {other}</textarea>`),
      'every placeholder filled, other braces left alone',
    );
    assert.doesNotMatch(filled.text, /data-canned-unfilled/);

    const without = await createTicket(t, t.as('ivan'), { department: 'technical' });
    const left = await t.as('tech').get(`/${without}?canned=${id}`);
    assert.ok(left.text.includes(`>Здравствуйте, Иван Петров! Запрос №${without}, услуга «{service}». {other}</textarea>`));
    assert.match(left.text, /data-canned-unfilled>В запросе нет значения для \{service\}/);
  });

  it("lists the customer's language first and preselected, and warns when a reply in another language is inserted", async () => {
    await create('technical', 'A: по-русски', 'Здравствуйте!', 'ru');
    await create('technical', 'B: in English', 'Hello!', 'en');
    await create('technical', 'C: any', 'OK', '');
    const ids = Object.fromEntries(
      await Promise.all(['A: по-русски', 'B: in English', 'C: any'].map(async (title) => [title, String((await cannedRow(t, title)).id)])),
    );
    const tech = t.as('tech');
    const order = (html: string) => [...html.matchAll(/<option value="(\d+)" data-locale/g)].map((m) => m[1]);

    // Alice writes in English: her replies first and chosen, then any language, then Russian.
    const english = await createTicket(t, t.as('alice'), { department: 'technical' });
    const page = await tech.get(`/${english}`);
    assert.deepEqual(order(page.text), [ids['B: in English'], ids['C: any'], ids['A: по-русски']]);
    assert.match(page.text, new RegExp(`<option value="${ids['B: in English']}" data-locale="en" selected>`));
    assert.match(page.text, /<optgroup label="На языке клиента \(English\)">/);
    assert.match(page.text, /data-customer-language>English</);
    assert.doesNotMatch(page.text, /data-canned-language/);

    // A Russian reply into her request: inserted, with a warning (the insert is a GET, so this is the no-JavaScript path).
    const russian = await tech.get(`/${english}?canned=${ids['A: по-русски']}`);
    assert.ok(russian.text.includes('>Здравствуйте!</textarea>'));
    assert.match(russian.text, /data-canned-language>Шаблон написан на языке «Русский», а клиент пишет на языке «English»\./);
    // Her own language, or a reply for any language: no warning.
    for (const title of ['B: in English', 'C: any'])
      assert.doesNotMatch((await tech.get(`/${english}?canned=${ids[title]}`)).text, /data-canned-language/, title);

    // Ivan writes in Russian: the Russian reply leads.
    const ru = await createTicket(t, t.as('ivan'), { department: 'technical' });
    assert.deepEqual(order((await tech.get(`/${ru}`)).text), [ids['A: по-русски'], ids['C: any'], ids['B: in English']]);
  });
});
