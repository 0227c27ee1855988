// The create form through HTTP on every database: files kept when the form comes back and
// attached by its next submit (only for their own customer), swept when the form is abandoned;
// service IDs and statuses in the customer's language; the emergency confirmation and the
// reassurance after it, on the page and in the e-mail; a department's usual response time.
import assert from 'node:assert/strict';
import { forEachDatabase } from '../support/databases';
import { filesUnder, startPlugin, TestClock, type TestAgent, type TestPlugin } from '../support/test-host';
import { departmentForm, keptFormOf, pendingCount, postForm } from '../support/forms';
import { departmentId } from '../support/tickets';
import { mailTemplates } from '../support/outbox';
import { waitForJob } from '../support/jobs';
import { mailRenderer } from '../../src/mail/render';
import type { MailEnvelope } from '../../src/model/mail';
import { log, png } from '../support/samples';

interface Form {
  fields?: Record<string, string>;
  files?: Array<[Buffer, string]>;
  kept?: ReturnType<typeof keptFormOf>;
  removed?: string[];
}

forEachDatabase('the create form', (db) => {
  let t: TestPlugin;
  const clock = new TestClock();
  const tokens = new Map<TestAgent, string>();

  before(async () => {
    t = await startPlugin(
      db,
      { limits: { newTicketsPerHour: 0 }, departments: { emergency: { emails: ['noc@panel.example'], responseMinutes: 30 } } },
      { now: clock.now },
    );
  });
  after(() => t.close());

  async function send(as: TestAgent, form: Form) {
    if (!tokens.has(as)) tokens.set(as, await as.csrf());
    let req = as.post(`/?_csrf=${encodeURIComponent(tokens.get(as) as string)}`);
    if (form.kept) req = req.field('submissionKey', form.kept.submissionKey);
    const fields = {
      subject: 'Сайт не открывается',
      serviceId: '',
      departmentId: await departmentId(t, 'technical'),
      message: 'С утра сайт на VPS отдаёт 502, логи во вложении.',
      ...form.fields,
    };
    for (const [name, value] of Object.entries(fields)) req = req.field(name, value);
    for (const token of form.kept?.pending ?? []) req = req.field('pending', token);
    for (const token of form.removed ?? []) req = req.field('removePending', token);
    for (const [content, name] of form.files ?? []) req = req.attach('files', content, name);
    return req;
  }

  const numberOf = (res: { headers: Record<string, unknown> }) => /\/(\d{8})\?created=1$/.exec(String(res.headers.location))?.[1];
  const ticketCount = async () => Number((await t.knex(t.tables.tickets).count({ n: '*' }))[0]?.n);

  it('keeps the files of a refused form, shows them with a remove box, and attaches them on the next submit', async () => {
    const ivan = t.as('ivan');
    const tickets = await ticketCount();
    const refused = await send(ivan, {
      fields: { message: '' },
      files: [
        [png, 'screen.png'],
        [log, 'nginx.log'],
      ],
    });
    assert.equal(refused.status, 422);
    assert.equal(await ticketCount(), tickets, 'no ticket rows');
    assert.match(refused.text, /Убрать «screen\.png»/);
    assert.match(refused.text, /Убрать «nginx\.log»/);
    assert.match(refused.text, /<label for="files">Добавить файлы<\/label>/, 'more files can be added, the label says so');
    const kept = keptFormOf(refused.text);
    assert.equal(kept.pending.length, 2);

    const logToken = /name="removePending" value="([^"]+)">\s*<label[^>]*>Убрать «nginx\.log»/.exec(refused.text)?.[1] as string;
    const created = await send(ivan, { kept, removed: [logToken] });
    assert.equal(created.status, 303, created.text.slice(0, 400));
    const ticket = await t.knex(t.tables.tickets).where('number', numberOf(created)).first('id');
    const names = (await t.knex(t.tables.attachments).where('ticket_id', ticket.id)).map((a) => a.original_name);
    assert.deepEqual(names, ['screen.png'], 'the kept file goes, the one ticked off does not');
    assert.equal(await pendingCount(t), 0, 'no pending rows after a successful submit');
    const onDisk = filesUnder(t.storageDir).length;
    assert.equal(onDisk, Number((await t.knex(t.tables.attachments).count({ n: '*' }))[0]?.n), 'the removed file is gone from disk');
  });

  it("another customer cannot use someone's kept file, even with the form's key and token", async () => {
    const refused = await send(t.as('ivan'), { fields: { message: '' }, files: [[png, 'passport.png']] });
    const kept = keptFormOf(refused.text);
    const alice = t.as('alice');
    const stolen = await send(alice, { kept });
    assert.equal(stolen.status, 303);
    const ticket = await t.knex(t.tables.tickets).where('number', numberOf(stolen)).first('id');
    assert.equal((await t.knex(t.tables.attachments).where('ticket_id', ticket.id)).length, 0);
    assert.equal(await pendingCount(t), 1, "ivan's file still waits for ivan's form");
    const again = await send(t.as('ivan'), { kept });
    assert.equal(again.status, 303);
    assert.equal(await pendingCount(t), 0);
  });

  it('sweeps the files of a form abandoned for a day, by the clock, and leaves the orphan sweep off them', async () => {
    const refused = await send(t.as('ivan'), { fields: { message: '' }, files: [[png, 'left.png']] });
    assert.equal(refused.status, 422);
    const before = filesUnder(t.storageDir).length;
    // An hour on: the orphan sweep runs and must not take a file a pending row points to.
    clock.advance(2 * 3_600_000);
    await waitForJob(t, clock, 'orphan-upload-sweep');
    assert.equal(filesUnder(t.storageDir).length, before, 'a kept file is not an orphan');
    assert.equal(await pendingCount(t), 1);
    clock.advance(86_400_000);
    await waitForJob(t, clock, 'pending-upload-sweep');
    assert.equal(await pendingCount(t), 0);
    assert.equal(filesUnder(t.storageDir).length, before - 1, 'its file went with it');
  });

  it('shows each service with its ID and its status in the customer’s language, and the ID on the request pages', async () => {
    const form = await t.as('ivan').get('/new');
    assert.match(form.text, /<option value="svc-101">VPS Cloud-2 \(Москва\) — ID svc-101, активна<\/option>/);
    const english = await t.as('alice').get('/new');
    assert.match(english.text, /<option value="svc-201">VPS Cloud-4 \(Amsterdam\) — ID svc-201, active<\/option>/);
    const created = await send(t.as('ivan'), { fields: { serviceId: 'svc-101' } });
    const number = numberOf(created);
    assert.match((await t.as('ivan').get(`/${number}`)).text, /<dd>VPS Cloud-2 \(Москва\) \(ID svc-101\)<\/dd>/);
    const staff = await t.as('tech').get(`/${number}`);
    assert.match(staff.text, /\(ID svc-101\)<\/span><br><span class="badge">активна<\/span>/, 'the status word in the page’s language');
  });

  it('an emergency without the confirmation comes back with what counts as one, the files kept and nothing created', async () => {
    const emergency = await departmentId(t, 'emergency');
    const tickets = await ticketCount();
    const asked = await send(t.as('ivan'), { fields: { departmentId: emergency }, files: [[png, 'down.png']] });
    assert.equal(asked.status, 422);
    assert.equal(await ticketCount(), tickets, 'nothing created');
    assert.match(asked.text, /role="alert">Подтвердите, что это авария/);
    assert.match(asked.text, /<div class="notice notice-warn support-emergency" id="emergency-confirm">/, 'shown, not hidden');
    assert.match(asked.text, /сервер или сайт не работает/);
    assert.match(asked.text, /пропали или повреждены данные/);
    assert.match(asked.text, /идёт атака/);
    assert.match(asked.text, /name="emergencyConfirmed" value="1">Да, это авария — отправить<\/button>/);
    assert.match(asked.text, /Убрать «down\.png»/, 'the file is kept');
    assert.doesNotMatch(asked.text, /Исправьте, пожалуйста/, 'a question, not an error');

    const confirmed = await send(t.as('ivan'), {
      fields: { departmentId: emergency, emergencyConfirmed: '1' },
      kept: keptFormOf(asked.text),
    });
    assert.equal(confirmed.status, 303);
    const number = numberOf(confirmed) as string;
    const page = await t.as('ivan').get(`/${number}?created=1`);
    assert.match(page.text, /Запрос №\d+ создан\. .*Дежурный инженер уже получил оповещение\. Обычно отвечаем в течение 30 минут\./);
    const ticket = await t.knex(t.tables.tickets).where('number', number).first('id', 'priority');
    assert.equal(ticket.priority, 'urgent');
    assert.equal((await t.knex(t.tables.attachments).where('ticket_id', ticket.id)).length, 1);

    const mail = await confirmationOf(t, ticket.id);
    assert.match(mail.text, /Дежурный инженер уже получил оповещение\. Обычно отвечаем в течение 30 минут\./);
    assert.match(mail.html, /Дежурный инженер уже получил оповещение\./);
  });

  it('a non-urgent department with a response time says it on the form, the page and in the e-mail, in either language', async () => {
    const admin = t.as('admin');
    const id = await departmentId(t, 'client_relations');
    const token = await admin.csrf(`/admin/departments/${id}`);
    // The usual response time is the regulation's first-response target: one number, not two.
    const save = (firstResponse: string, more: Record<string, string> = {}) =>
      postForm(
        admin,
        `/admin/departments/${id}`,
        token,
        departmentForm({ code: 'client_relations', emails: 'billing@panel.example', firstResponse, ...more }),
      );
    const refused = await save('0');
    assert.equal(refused.status, 422);
    assert.match(refused.text, /id="firstResponse-error" role="alert">Enter a whole number of minutes from 1 to 43200/);
    assert.match(refused.text, /id="firstResponse" name="firstResponse" inputmode="numeric" value="0"/, 'kept as typed');
    const saved = await save('120');
    assert.equal(saved.status, 303);
    const stored = (await t.knex(t.tables.departments).where('id', id).first('regulation')).regulation as string;
    assert.equal(JSON.parse(stored).targets.firstResponse, 120);
    assert.match((await admin.get(`/admin/departments/${id}`)).text, /name="firstResponse" inputmode="numeric" value="120"/);

    assert.match((await t.as('ivan').get('/new')).text, /Обычно отвечаем в течение 2 часов\./);
    const created = await send(t.as('alice'), {
      fields: { departmentId: id, subject: 'Card payment failed', message: 'Paid 10 EUR at 09:40.' },
    });
    assert.equal(created.status, 303, created.text.slice(0, 300));
    const page = await t.as('alice').get(`/${numberOf(created)}?created=1`);
    assert.match(page.text, /has been created\. .*We usually answer within 2 hours\./);
    assert.doesNotMatch(page.text, /on-call/, 'no on-call engineer for a department that is not urgent');
    const ticket = await t.knex(t.tables.tickets).where('number', numberOf(created)).first('id');
    assert.match((await confirmationOf(t, ticket.id)).text, /\nWe usually answer within 2 hours\.\n/);

    // On a working schedule the promise says working hours; a schedule typed wrong comes back as typed.
    const wrong = await save('240', { scheduled: '1', timeZone: 'Europe/Nowhere', week1: '9-18', week2: '09:00-18:00' });
    assert.equal(wrong.status, 422);
    assert.match(wrong.text, /id="timeZone-error" role="alert">No such time zone/);
    assert.match(wrong.text, /id="week1-error" role="alert">Could not read “9-18”/);
    assert.match(wrong.text, /name="week2" value="09:00-18:00"/, 'kept as typed');
    assert.equal((await save('240', { scheduled: '1', timeZone: 'Europe/Moscow', week1: '09:00-18:00' })).status, 303);
    assert.match((await t.as('ivan').get('/new')).text, /Обычно отвечаем в течение 4 рабочих часов\./);
  });
});

/** The customer's confirmation e-mail of a request, rendered as it is sent. */
async function confirmationOf(t: TestPlugin, ticketId: number): Promise<{ text: string; html: string }> {
  const row = await t.knex(t.tables.outbox).where({ ticket_id: ticketId, kind: 'customer-confirmation' }).first('envelope');
  const envelope = JSON.parse(row.envelope) as MailEnvelope;
  return mailRenderer(mailTemplates)({ ...envelope.content, locale: envelope.locale });
}
