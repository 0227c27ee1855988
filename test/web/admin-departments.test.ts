// The admin's Departments page: only admins reach it, every change needs the CSRF token and is
// validated with what was typed kept, a department with requests is deactivated rather than
// deleted, admin edits outlive the settings, and the membership table stands in for hosts that
// do not say which departments a staff member works in.
import assert from 'node:assert/strict';
import { forEachDatabase } from '../support/databases';
import { startPlugin, type TestPlugin } from '../support/test-host';
import { createTicket, departmentId } from '../support/tickets';
import { departmentForm, postForm, rowCount } from '../support/forms';
import { keywordsText } from '../../src/domain/department-keywords';

const settings = {
  departments: { technical: { emails: ['tech@panel.example'] }, client_relations: { emails: ['clients@panel.example'] } },
};

async function departmentRow(t: TestPlugin, code: string) {
  return t.knex(t.tables.departments).where('code', code).first();
}

/** The form of an existing department, as its edit page would send it back. */
async function formOf(t: TestPlugin, code: string, changes: Record<string, string | undefined>): Promise<Record<string, string>> {
  const row = await departmentRow(t, code);
  const form: Record<string, string | undefined> = {
    nameRu: row.name_ru,
    nameEn: row.name_en,
    guidanceRu: row.guidance_ru,
    guidanceEn: row.guidance_en,
    keywordsRu: keywordsText(JSON.parse(row.keywords).ru),
    keywordsEn: keywordsText(JSON.parse(row.keywords).en),
    emails: JSON.parse(row.emails).join('\n'),
    onCall: JSON.parse(row.on_call_emails).join('\n'),
    mailLocale: row.mail_locale ?? '',
    order: String(row.sort_order),
    active: row.is_active ? '1' : undefined,
    urgent: row.is_urgent ? '1' : undefined,
    ...changes,
  };
  return Object.fromEntries(Object.entries(form).filter(([, v]) => v !== undefined)) as Record<string, string>;
}

forEachDatabase('admin: departments', (db) => {
  let t: TestPlugin;
  beforeEach(async () => {
    t = await startPlugin(db, settings);
  });
  afterEach(() => t.close());

  it('answers 404 to customers and staff on every route, and 403 to an admin without the token, changing nothing', async () => {
    const tech = await departmentId(t, 'technical');
    await postForm(t.as('admin'), `/admin/departments/${tech}/members`, await t.as('admin').csrf('/admin/departments/new'), {
      userId: 's-max',
      memberName: 'Max',
      memberEmail: 'max@panel.example',
    });
    const member = await t.knex(t.tables.departmentStaff).first('id');
    const gets = ['/admin/departments', '/admin/departments/new', `/admin/departments/${tech}`];
    const posts = [
      '/admin/departments',
      `/admin/departments/${tech}`,
      `/admin/departments/${tech}/delete`,
      `/admin/departments/${tech}/members`,
      `/admin/departments/${tech}/members/${member.id}/delete`,
    ];
    const number = await createTicket(t, t.as('ivan'), { department: 'technical' });
    const tokens: Record<string, string> = { ivan: await t.as('ivan').csrf(), tech: await t.as('tech').csrf(`/${number}`) };
    const before = await departmentRow(t, 'technical');
    const body = departmentForm({ code: 'x', nameEn: 'Hacked', userId: 's-evil', memberName: 'Evil', memberEmail: 'evil@example.com' });
    for (const who of ['ivan', 'tech', 'max']) {
      for (const url of gets) assert.equal((await t.as(who).get(url)).status, 404, `${who} GET ${url}`);
      for (const url of posts) assert.equal((await postForm(t.as(who), url, tokens[who] ?? null, body)).status, 404, `${who} POST ${url}`);
    }
    const admin = t.as('admin');
    for (const url of gets) assert.equal((await admin.get(url)).status, 200, `admin GET ${url}`);
    for (const url of posts) assert.equal((await postForm(admin, url, null, body)).status, 403, `admin POST ${url} without the token`);
    assert.deepEqual(await departmentRow(t, 'technical'), before);
    assert.equal(await rowCount(t, t.tables.departments), 3);
    assert.equal(await rowCount(t, t.tables.departmentStaff), 1);
  });

  it('lists every department with names and guidance in ru and en, addresses and where they come from; the queue links to it for admins only', async () => {
    const page = await t.as('admin').get('/admin/departments');
    assert.equal(page.status, 200);
    for (const text of [
      'Отдел по работе с клиентами',
      'Client relations',
      'Технический отдел',
      'Аварийная служба',
      'Emergency',
      'реферальная программа',
      'the referral programme',
      'tech@panel.example',
    ]) {
      assert.ok(page.text.includes(text), text);
    }
    assert.match(page.text, /from the plugin settings/);
    assert.match((await t.as('admin').get('/')).text, /href="\/support\/requests\/admin\/departments"/);
    assert.match((await t.as('admin').get('/')).text, /href="\/support\/requests\/admin\/canned"/);
    assert.doesNotMatch((await t.as('tech').get('/')).text, /admin\/departments/);
  });

  it('creates a department customers are offered; every field is checked, with what was typed kept and names escaped', async () => {
    const admin = t.as('admin');
    const token = await admin.csrf('/admin/departments/new');
    const wrong = await postForm(
      admin,
      '/admin/departments',
      token,
      departmentForm({
        code: 'Bad Code',
        nameRu: ' ',
        nameEn: 'N'.repeat(101),
        emails: 'ok@panel.example\nnot-an-address',
        onCall: 'a@b',
        order: 'first',
        mailLocale: 'de',
      }),
    );
    assert.equal(wrong.status, 422);
    for (const error of [
      'Use lowercase latin letters',
      'Enter the name.',
      'at most 100 characters',
      '“not-an-address” is not an e-mail address.',
      '“a@b” is not an e-mail address.',
      'whole number from 0 to 9999',
      'Choose a language from the list.',
    ]) {
      assert.ok(wrong.text.includes(error), error);
    }
    assert.ok(wrong.text.includes('value="Bad Code"'), 'the code is kept');
    assert.ok(wrong.text.includes('ok@panel.example\nnot-an-address</textarea>'), 'the addresses are kept');
    assert.ok(wrong.text.includes('value="first"'), 'the order is kept');
    assert.equal(await rowCount(t, t.tables.departments), 3);

    const taken = await postForm(admin, '/admin/departments', token, departmentForm({ code: 'technical' }));
    assert.equal(taken.status, 422);
    assert.match(taken.text, /A department with this code already exists\./);

    const created = await postForm(
      admin,
      '/admin/departments',
      token,
      departmentForm({ nameEn: '<b>VIP</b> & co', emails: 'vip@panel.example, VIP@panel.example;boss@panel.example', urgent: '1' }),
    );
    assert.equal(created.status, 303);
    const row = await departmentRow(t, 'vip');
    assert.deepEqual(JSON.parse(row.emails), ['vip@panel.example', 'boss@panel.example'], 'one address once, any case');
    assert.ok(row.edited_at, 'made on the page, so the page decides it');
    assert.equal(created.headers.location, `/support/requests/admin/departments/${row.id}?saved=1`);

    const list = await admin.get('/admin/departments');
    assert.ok(list.text.includes('&lt;b&gt;VIP&lt;/b&gt; &amp; co'));
    assert.ok(!list.text.includes('<b>VIP</b>'));
    const form = await t.as('alice').get('/new');
    assert.ok(form.text.includes(`value="${row.id}"`), 'offered to customers');
    assert.ok(form.text.includes('&lt;b&gt;VIP&lt;/b&gt; &amp; co'));
    assert.ok(form.text.includes('For customers with a personal manager.'));
  });

  it('keeps what was typed when an edit is refused, and saves a valid one', async () => {
    const admin = t.as('admin');
    const id = await departmentId(t, 'technical');
    const token = await admin.csrf(`/admin/departments/${id}`);
    const refused = await postForm(
      admin,
      `/admin/departments/${id}`,
      token,
      await formOf(t, 'technical', {
        nameEn: '',
        guidanceEn: 'G'.repeat(1001),
        guidanceRu: 'Новое описание',
        emails: Array.from({ length: 21 }, (_, i) => `a${i}@panel.example`).join('\n'),
      }),
    );
    assert.equal(refused.status, 422);
    assert.match(refused.text, /Enter the name\./);
    assert.match(refused.text, /The guidance must be at most 1000 characters\./);
    assert.match(refused.text, /At most 20 addresses\./);
    assert.ok(refused.text.includes('>Новое описание</textarea>'));
    assert.equal(
      (await departmentRow(t, 'technical')).guidance_ru,
      'Работа оборудования и сети, консультации и другие технические вопросы.',
    );

    const saved = await postForm(
      admin,
      `/admin/departments/${id}`,
      token,
      await formOf(t, 'technical', { nameEn: 'Technical support', order: '5', mailLocale: 'en', onCall: 'duty@panel.example' }),
    );
    assert.equal(saved.status, 303);
    const row = await departmentRow(t, 'technical');
    assert.deepEqual(
      [row.name_en, Number(row.sort_order), row.mail_locale, JSON.parse(row.on_call_emails)],
      ['Technical support', 5, 'en', ['duty@panel.example']],
    );
    assert.equal(row.code, 'technical', 'the code is fixed');
    // Order 5 puts it first on the customer's form.
    const form = await t.as('alice').get('/new');
    assert.ok(form.text.indexOf('<strong>Technical support</strong>') < form.text.indexOf('<strong>Client relations</strong>'));
  });

  it('edits the keywords per language: shown as lines, checked with what was typed kept, saved as groups', async () => {
    const admin = t.as('admin');
    const id = await departmentId(t, 'client_relations');
    const page = await admin.get(`/admin/departments/${id}`);
    assert.match(page.text, /<textarea id="keywordsRu" name="keywordsRu" lang="ru"[^>]*>об оплате: оплат, платёж, /);
    assert.match(page.text, /<textarea id="keywordsEn" name="keywordsEn" lang="en"[^>]*>about payment: pay, paid, /);
    const token = await admin.csrf(`/admin/departments/${id}`);
    const typedRu = 'об оплате: оплат, платёж\nо бонусах: б, бонус';
    const refused = await postForm(
      admin,
      `/admin/departments/${id}`,
      token,
      await formOf(t, 'client_relations', { keywordsRu: typedRu, keywordsEn: 'about <b>bonuses</b>:' }),
    );
    assert.equal(refused.status, 422);
    assert.match(refused.text, /“б” is too short: almost any word starts with one letter\./);
    assert.match(refused.text, /The topic “about &lt;b&gt;bonuses&lt;\/b&gt;” has no words\./);
    assert.ok(refused.text.includes(`>${typedRu}</textarea>`), 'the Russian keywords are kept');
    assert.match(JSON.parse((await departmentRow(t, 'client_relations')).keywords).ru[0].words.join(), /^оплат,платёж,/, 'nothing saved');

    const saved = await postForm(
      admin,
      `/admin/departments/${id}`,
      token,
      await formOf(t, 'client_relations', {
        keywordsRu: 'о бонусах: бонус, кешбэк\nлояльност',
        keywordsEn: 'about bonuses: bonus, cashback',
      }),
    );
    assert.equal(saved.status, 303);
    assert.deepEqual(JSON.parse((await departmentRow(t, 'client_relations')).keywords), {
      ru: [
        { topic: 'о бонусах', words: ['бонус', 'кешбэк'] },
        { topic: '', words: ['лояльност'] },
      ],
      en: [{ topic: 'about bonuses', words: ['bonus', 'cashback'] }],
    });
    assert.match((await admin.get(`/admin/departments/${id}`)).text, />о бонусах: бонус, кешбэк\nлояльност<\/textarea>/);
    // The create form suggests by them from now on.
    assert.match((await t.as('ivan').get('/new')).text, /data-suggest="[^"]*кешбэк/);
  });

  it('hides a deactivated department from the create form but keeps its requests where they were', async () => {
    const number = await createTicket(t, t.as('ivan'), { subject: 'Старый запрос', department: 'technical' });
    const admin = t.as('admin');
    const id = await departmentId(t, 'technical');
    const token = await admin.csrf(`/admin/departments/${id}`);
    assert.equal(
      (await postForm(admin, `/admin/departments/${id}`, token, await formOf(t, 'technical', { active: undefined }))).status,
      303,
    );

    assert.ok(!(await t.as('ivan').get('/new')).text.includes(`value="${id}"`), 'not offered');
    const refused = await t
      .as('ivan')
      .post(`/?_csrf=${encodeURIComponent(await t.as('ivan').csrf())}`)
      .field('subject', 'Новый')
      .field('serviceId', '')
      .field('departmentId', id)
      .field('message', 'Текст запроса');
    assert.equal(refused.status, 422, 'nor accepted when posted anyway');
    const own = await t.as('ivan').get(`/${number}`);
    assert.equal(own.status, 200);
    assert.match(own.text, /Технический отдел/);
    assert.match((await t.as('ivan').get('/')).text, /Старый запрос/);
    assert.equal((await t.as('tech').get(`/${number}`)).status, 200, 'staff still answer it');
    const rows = (await admin.get('/admin/departments')).text.split('<tr ').slice(1);
    assert.match(
      rows.find((r) => r.startsWith('data-code="technical"')) ?? '',
      /^data-code="technical" class="inactive">[\s\S]*<span class="badge">Inactive<\/span>/,
    );
    assert.match(rows.find((r) => r.startsWith('data-code="client_relations"')) ?? '', /<span class="badge">Active<\/span>/);
  });

  it('refuses to delete a department with requests; deletes one without, with its staff and canned replies', async () => {
    await createTicket(t, t.as('ivan'), { department: 'technical' });
    const admin = t.as('admin');
    const tech = await departmentId(t, 'technical');
    const token = await admin.csrf(`/admin/departments/${tech}`);
    assert.match((await admin.get(`/admin/departments/${tech}`)).text, /cannot be deleted/);
    const refused = await postForm(admin, `/admin/departments/${tech}/delete`, token);
    assert.equal(refused.status, 422);
    assert.match(refused.text, /has requests, so it cannot be deleted\. Deactivate it instead/);
    assert.ok(await departmentRow(t, 'technical'));

    const created = await postForm(admin, '/admin/departments', token, departmentForm());
    const vip = (await departmentRow(t, 'vip')).id;
    assert.equal(created.status, 303);
    await postForm(admin, `/admin/departments/${vip}/members`, token, {
      userId: 's-max',
      memberName: 'Max',
      memberEmail: 'max@panel.example',
    });
    await postForm(admin, '/admin/canned', token, { departmentId: String(vip), title: 'Привет', body: 'Здравствуйте!', locale: 'ru' });
    assert.deepEqual([await rowCount(t, t.tables.departmentStaff), await rowCount(t, t.tables.cannedReplies)], [1, 1]);
    const deleted = await postForm(admin, `/admin/departments/${vip}/delete`, token);
    assert.equal(deleted.status, 303);
    assert.equal(await departmentRow(t, 'vip'), undefined);
    assert.deepEqual([await rowCount(t, t.tables.departmentStaff), await rowCount(t, t.tables.cannedReplies)], [0, 0]);
    assert.equal((await admin.get(`/admin/departments/${vip}`)).status, 404);
  });

  it('lets settings seed a department until an admin saves it; then the page wins over the settings at every start', async () => {
    const admin = t.as('admin');
    const id = await departmentId(t, 'technical');
    assert.match((await admin.get(`/admin/departments/${id}`)).text, /come from the plugin settings/);
    const token = await admin.csrf(`/admin/departments/${id}`);
    await postForm(admin, `/admin/departments/${id}`, token, await formOf(t, 'technical', { emails: 'night-shift@panel.example' }));

    // The panel restarts with the same settings, plus an address for client relations.
    const log: string[] = [];
    const restarted = await startPlugin(
      db,
      { departments: { ...settings.departments, client_relations: { emails: ['billing@panel.example'] } } },
      { instanceOf: t, log },
    );
    try {
      assert.deepEqual(JSON.parse((await departmentRow(t, 'technical')).emails), ['night-shift@panel.example'], 'the admin edit stays');
      assert.deepEqual(
        JSON.parse((await departmentRow(t, 'client_relations')).emails),
        ['billing@panel.example'],
        'settings still seed departments nobody edited',
      );
      assert.deepEqual(
        log
          .filter((l) => l.includes('settings.departments'))
          .map((l) => /^warn .*settings\.departments\.(\w+) is not applied/.exec(l)?.[1]),
        ['technical'],
      );
    } finally {
      await restarted.close();
    }
    assert.match((await admin.get('/admin/departments')).text, /set on this page/);
  });

  it("decides a staff member's departments by the membership table when the host gives none", async () => {
    const techTicket = await createTicket(t, t.as('ivan'), { subject: 'Технический вопрос', department: 'technical' });
    const billingTicket = await createTicket(t, t.as('alice'), { subject: 'Invoice', department: 'client_relations' });
    const max = t.as('max');
    assert.equal((await max.get(`/${techTicket}`)).status, 404);
    assert.doesNotMatch((await max.get('/')).text, /Технический вопрос/);

    const admin = t.as('admin');
    const tech = await departmentId(t, 'technical');
    const token = await admin.csrf(`/admin/departments/${tech}`);
    const wrong = await postForm(admin, `/admin/departments/${tech}/members`, token, {
      userId: ' ',
      memberName: 'Max <Member>',
      memberEmail: 'max at panel',
    });
    assert.equal(wrong.status, 422);
    assert.match(wrong.text, /Enter the user&#39;s ID in the panel\./);
    assert.match(wrong.text, /“max at panel” is not an e-mail address\./);
    assert.ok(wrong.text.includes('value="Max &lt;Member&gt;"'), 'typed name kept, escaped');
    assert.equal(
      (
        await postForm(admin, `/admin/departments/${tech}/members`, token, {
          userId: 's-max',
          memberName: 'Max Member',
          memberEmail: 'max@panel.example',
        })
      ).status,
      303,
    );
    const twice = await postForm(admin, `/admin/departments/${tech}/members`, token, {
      userId: 's-max',
      memberName: 'Max again',
      memberEmail: 'max@panel.example',
    });
    assert.equal(twice.status, 422);
    assert.match(twice.text, /already listed/);
    assert.match((await admin.get(`/admin/departments/${tech}`)).text, /Max Member/);

    assert.equal((await max.get(`/${techTicket}`)).status, 200);
    assert.match((await max.get('/')).text, /Технический вопрос/);
    assert.equal((await max.get(`/${billingTicket}`)).status, 404, 'only the listed department');

    // A host that gives departments is not widened by the table.
    const billing = await departmentId(t, 'client_relations');
    await postForm(admin, `/admin/departments/${billing}/members`, token, {
      userId: 's-tech',
      memberName: 'Tech Sergey',
      memberEmail: 'sergey@panel.example',
    });
    assert.equal((await t.as('tech').get(`/${billingTicket}`)).status, 404);

    // Colleagues listed in the ticket's department can be assigned; anyone else cannot.
    const techToken = await t.as('tech').csrf(`/${techTicket}`);
    assert.match((await t.as('tech').get(`/${techTicket}`)).text, /<option value="s-max">Max Member<\/option>/);
    assert.equal((await postForm(t.as('tech'), `/${techTicket}/assign`, techToken, { assignee: 's-olga' })).status, 422);
    assert.equal((await postForm(t.as('tech'), `/${techTicket}/assign`, techToken, { assignee: 's-max' })).status, 303);
    const assigned = await t.knex(t.tables.tickets).where('number', techTicket).first('assignee_id', 'assignee_name');
    assert.deepEqual([assigned.assignee_id, assigned.assignee_name], ['s-max', 'Max Member']);

    const memberId = (await t.knex(t.tables.departmentStaff).where({ user_id: 's-max' }).first('id')).id;
    assert.equal((await postForm(admin, `/admin/departments/${tech}/members/${memberId}/delete`, token)).status, 303);
    assert.equal((await max.get(`/${techTicket}`)).status, 404, 'removed, so out of reach again');
  });
});
