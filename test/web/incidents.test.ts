// Incidents over HTTP on every database: the banner for affected customers only, requests linked
// as they are made and by hand, an update reaching every linked request as a staff answer in
// its customer's language, the resolution, and who may touch which incident on every new route.
import assert from 'node:assert/strict';
import { forEachDatabase } from '../support/databases';
import { startPlugin, type TestAgent, type TestPlugin } from '../support/test-host';
import { createTicket, departmentId } from '../support/tickets';
import { postForm, rowCount } from '../support/forms';

const TEXTS = {
  titleRu: 'Недоступны VPS в Москве',
  titleEn: 'VPS in Moscow are down',
  bodyRu: 'Отказал коммутатор в стойке, инженеры уже на месте.',
  bodyEn: 'A rack switch failed; engineers are on site.',
};

forEachDatabase('incidents', (db) => {
  let t: TestPlugin;
  let tech: TestAgent;
  let techToken: string;
  let incidentPath: string;
  let technical: string;
  /** ivan's VPS request (linked as it is made), his domain request (linked by hand), alice's VPS request to client relations (linked too). */
  const numbers = { ivanVps: '', ivanDomain: '', aliceVps: '' };

  before(async () => {
    t = await startPlugin(db);
    tech = t.as('tech');
    techToken = await tech.csrf('/incidents/new');
    technical = await departmentId(t, 'technical');
  });
  after(() => t.close());

  const ticketId = async (number: string) => Number((await t.knex(t.tables.tickets).where('number', number).first('id')).id);
  const linkCount = () => rowCount(t, t.tables.incidentLinks);

  it('staff declare an incident for VPS in their department; a double click declares one', async () => {
    const form = { departmentId: technical, ...TEXTS, affects: 'kinds', kinds: 'vps', services: '', submissionKey: 'declare-1' };
    const first = await postForm(tech, '/incidents', techToken, form);
    assert.equal(first.status, 303, first.text.slice(0, 400));
    const again = await postForm(tech, '/incidents', techToken, form);
    assert.equal(again.headers.location, first.headers.location);
    assert.equal(await rowCount(t, t.tables.incidents), 1);
    incidentPath = String(first.headers.location).replace(t.plugin.mountPath, '').replace(/\?.*$/, '');
    assert.match(incidentPath, /^\/incidents\/\d+$/);
  });

  it('refuses a declaration with its problems next to the fields, keeping what was typed', async () => {
    const res = await postForm(tech, '/incidents', techToken, {
      departmentId: technical,
      titleRu: 'Только по-русски',
      titleEn: '',
      bodyRu: '',
      bodyEn: 'text',
      affects: 'kinds',
      kinds: '',
      services: '',
    });
    assert.equal(res.status, 422);
    assert.match(res.text, /id="titleEn-error"/);
    assert.match(res.text, /id="bodyRu-error"/);
    assert.match(res.text, /id="kinds-error"/);
    assert.match(res.text, /value="Только по-русски"/);
    assert.equal(await rowCount(t, t.tables.incidents), 1);
  });

  it('shows the banner to affected customers only, in their language, on the list and the create form', async () => {
    for (const page of ['/', '/new']) {
      const ivan = await t.as('ivan').get(page);
      assert.match(ivan.text, /role="status"[^>]*aria-labelledby="incidents-title"/);
      assert.ok(ivan.text.includes(TEXTS.titleRu) && ivan.text.includes('Известная проблема'), `ivan ${page}`);
      const alice = await t.as('alice').get(page);
      assert.ok(alice.text.includes(TEXTS.titleEn) && alice.text.includes('Known issue'), `alice ${page}`);
      // No VPS: no banner.
      const other = await t.as('nolocale').get(page);
      assert.equal(other.status, 200);
      assert.ok(!other.text.includes(TEXTS.titleEn) && !other.text.includes(TEXTS.titleRu), `nolocale ${page}`);
    }
  });

  it('links a new request about an affected service as it is made, in any department; not one about another service', async () => {
    numbers.ivanVps = await createTicket(t, t.as('ivan'), { serviceId: 'svc-101' });
    numbers.ivanDomain = await createTicket(t, t.as('ivan'), { serviceId: 'svc-102', subject: 'Домен не продлился' });
    numbers.aliceVps = await createTicket(t, t.as('alice'), { serviceId: 'svc-201', department: 'client_relations', subject: 'Refund' });
    const linked = (await t.knex(t.tables.incidentLinks).select('ticket_id')).map((r) => Number(r.ticket_id)).sort();
    assert.deepEqual(linked, [await ticketId(numbers.ivanVps), await ticketId(numbers.aliceVps)].sort());
    const page = await tech.get(`/${numbers.ivanVps}`);
    assert.match(page.text, /Привязан к инциденту:/);
    assert.ok(page.text.includes(`href="${t.plugin.mountPath}${incidentPath}"`));
    const unlinked = await tech.get(`/${numbers.ivanDomain}`);
    assert.doesNotMatch(unlinked.text, /Привязан к инциденту:/);
  });

  it('staff link a request of their department by number; one out of their reach is refused next to the field', async () => {
    const res = await postForm(tech, `${incidentPath}/links`, techToken, { number: numbers.ivanDomain });
    assert.equal(res.status, 303, res.text.slice(0, 300));
    assert.equal(await linkCount(), 3);
    const twice = await postForm(tech, `${incidentPath}/links`, techToken, { number: numbers.ivanDomain });
    assert.equal(twice.status, 303);
    assert.equal(await linkCount(), 3);
    // A fresh request of client relations, not linked: tech may not reach it.
    const other = await createTicket(t, t.as('nolocale'), { department: 'client_relations', subject: 'Счёт' });
    const refused = await postForm(tech, `${incidentPath}/links`, techToken, { number: other });
    assert.equal(refused.status, 422);
    assert.match(refused.text, /id="number-error"/);
    assert.match(refused.text, new RegExp(`value="${other}"`));
    assert.equal(await linkCount(), 3);
  });

  it("sends an update to every linked request as a staff answer in its customer's language, once per submission", async () => {
    const messagesBefore = await rowCount(t, t.tables.messages);
    const form = { updateRu: 'Коммутатор заменён, поднимаем серверы.', updateEn: 'The switch is replaced; bringing servers up.' };
    const sent = await postForm(tech, `${incidentPath}/updates`, techToken, { ...form, submissionKey: 'update-1' });
    assert.equal(sent.status, 303, sent.text.slice(0, 300));
    const again = await postForm(tech, `${incidentPath}/updates`, techToken, { ...form, submissionKey: 'update-1' });
    assert.equal(again.status, 303);
    assert.equal(await rowCount(t, t.tables.messages), messagesBefore + 3);
    for (const [number, text] of [
      [numbers.ivanVps, form.updateRu],
      [numbers.ivanDomain, form.updateRu],
      [numbers.aliceVps, form.updateEn],
    ] as const) {
      const id = await ticketId(number);
      const last = await t.knex(t.tables.messages).where('ticket_id', id).orderBy('id', 'desc').first();
      assert.equal(last.body, text, number);
      assert.equal(last.author_kind, 'staff');
      assert.equal((await t.knex(t.tables.tickets).where('id', id).first('status')).status, 'answered');
      const mail = await t.knex(t.tables.outbox).where({ ticket_id: id, kind: 'customer-reply' }).select('envelope');
      assert.equal(mail.length, 1, `one e-mail to the customer of #${number}`);
      assert.equal(JSON.parse(mail[0].envelope).locale, number === numbers.aliceVps ? 'en' : 'ru');
    }
    // The customer sees it as an answer on the request's page.
    const page = await t.as('alice').get(`/${numbers.aliceVps}`);
    assert.ok(page.text.includes(form.updateEn));
    const incident = await tech.get(incidentPath);
    assert.match(incident.text, /получили: 3/);
  });

  it('refuses an update without a language next to that field, keeping the other', async () => {
    const res = await postForm(tech, `${incidentPath}/updates`, techToken, { updateRu: 'Только русский', updateEn: ' ' });
    assert.equal(res.status, 422);
    assert.match(res.text, /id="updateEn-error"/);
    assert.match(res.text, /Только русский<\/textarea>/);
  });

  // Who may touch it: every incident route for a customer, staff of another department and an admin.
  const route = (method: 'get' | 'post', path: string, fields: Record<string, string> = {}) => ({ method, path, fields });
  const incidentRoutes = () => [
    route('get', incidentPath),
    route('post', `${incidentPath}/links`, { number: numbers.ivanDomain }),
    route('post', `${incidentPath}/links/1/delete`),
    route('post', `${incidentPath}/updates`, { updateRu: 'чужое', updateEn: 'foreign' }),
    route('post', `${incidentPath}/updates/1/resume`),
    route('post', `${incidentPath}/resolve`, { finalRu: 'чужое', finalEn: 'foreign' }),
  ];
  const send = (agent: TestAgent, token: string, r: ReturnType<typeof route>) =>
    r.method === 'get' ? agent.get(r.path) : postForm(agent, r.path, token, r.fields);

  it('a customer gets 404 on every incident route and nothing changes', async () => {
    const ivan = t.as('ivan');
    const token = await ivan.csrf();
    const before = [await rowCount(t, t.tables.incidentUpdates), await linkCount(), await rowCount(t, t.tables.incidents)];
    const all = [
      route('get', '/incidents'),
      route('get', '/incidents/new'),
      route('post', '/incidents', { departmentId: technical, ...TEXTS, affects: 'everyone' }),
      ...incidentRoutes(),
    ];
    for (const r of all) assert.equal((await send(ivan, token, r)).status, 404, `${r.method} ${r.path}`);
    assert.deepEqual([await rowCount(t, t.tables.incidentUpdates), await linkCount(), await rowCount(t, t.tables.incidents)], before);
  });

  it("staff of another department do not see it: 404 on its routes, not in their list, and cannot declare in tech's department", async () => {
    const olga = t.as('olga');
    const token = await olga.csrf('/incidents/new');
    const before = [await rowCount(t, t.tables.incidentUpdates), await linkCount()];
    for (const r of incidentRoutes()) assert.equal((await send(olga, token, r)).status, 404, `${r.method} ${r.path}`);
    assert.deepEqual([await rowCount(t, t.tables.incidentUpdates), await linkCount()], before);
    const list = await olga.get('/incidents');
    assert.equal(list.status, 200);
    assert.ok(!list.text.includes(TEXTS.titleRu));
    const declare = await postForm(olga, '/incidents', token, { departmentId: technical, ...TEXTS, affects: 'everyone' });
    assert.equal(declare.status, 422);
    assert.match(declare.text, /id="departmentId-error"/);
    assert.equal(await rowCount(t, t.tables.incidents), 1);
  });

  it('an admin reaches every incident route', async () => {
    const admin = t.as('admin');
    const token = await admin.csrf('/incidents/new');
    assert.equal((await admin.get('/incidents')).status, 200);
    assert.ok((await admin.get('/incidents')).text.includes(TEXTS.titleEn));
    assert.equal((await admin.get('/incidents/new')).status, 200);
    assert.equal((await admin.get(incidentPath)).status, 200);
    const unlink = await postForm(admin, `${incidentPath}/links/${await ticketId(numbers.ivanDomain)}/delete`, token);
    assert.equal(unlink.status, 303);
    assert.equal(await linkCount(), 2);
    const link = await postForm(admin, `${incidentPath}/links`, token, { number: numbers.ivanDomain });
    assert.equal(link.status, 303);
    const update = (await t.knex(t.tables.incidentUpdates).first('id')).id;
    assert.equal((await postForm(admin, `${incidentPath}/updates/${update}/resume`, token)).status, 303);
    // Resuming a finished update sends nothing again.
    assert.equal(await rowCount(t, t.tables.incidentDeliveries), 3);
  });

  it('resolving sends the final message and closes the linked requests with no second e-mail; the banner goes, new requests are not linked', async () => {
    // alice's request is closed by its customer first: it gets no final message.
    const alice = t.as('alice');
    assert.equal((await alice.post(`/${numbers.aliceVps}/close?_csrf=${encodeURIComponent(await alice.csrf())}`)).status, 303);
    const messagesBefore = await rowCount(t, t.tables.messages);
    const res = await postForm(tech, `${incidentPath}/resolve`, techToken, {
      finalRu: 'Всё работает, приносим извинения.',
      finalEn: 'Everything works again; sorry.',
      closeLinked: '1',
      submissionKey: 'resolve-1',
    });
    assert.equal(res.status, 303, res.text.slice(0, 300));
    assert.equal(await rowCount(t, t.tables.messages), messagesBefore + 2);
    for (const number of [numbers.ivanVps, numbers.ivanDomain]) {
      const id = await ticketId(number);
      assert.equal((await t.knex(t.tables.tickets).where('id', id).first('status')).status, 'closed');
      assert.equal(await t.knex(t.tables.outbox).where({ ticket_id: id, kind: 'customer-closed-by-staff' }).first(), undefined);
      assert.equal((await t.knex(t.tables.outbox).where({ ticket_id: id, kind: 'customer-reply' }).select('id')).length, 2);
    }
    const aliceLast = await t
      .knex(t.tables.messages)
      .where('ticket_id', await ticketId(numbers.aliceVps))
      .orderBy('id', 'desc')
      .first();
    assert.notEqual(aliceLast.body, 'Everything works again; sorry.');
    assert.ok(!(await t.as('ivan').get('/new')).text.includes(TEXTS.titleRu));
    const later = await createTicket(t, t.as('ivan'), { serviceId: 'svc-101' });
    assert.equal(
      await t
        .knex(t.tables.incidentLinks)
        .where('ticket_id', await ticketId(later))
        .first(),
      undefined,
    );
    // Resolved: no more updates.
    const update = await postForm(tech, `${incidentPath}/updates`, techToken, { updateRu: 'ещё', updateEn: 'more' });
    assert.equal(update.status, 422);
  });
});
