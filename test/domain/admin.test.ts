// An admin's rules on the memory store: departments and their members (refusals of the store's
// unique and foreign keys become the form's messages), canned replies, the mail queue, auto-close.
import { regulationInput } from '../../src/domain/regulation-rules';
import { NO_REGULATION } from '../../src/model/regulation';
import assert from 'node:assert/strict';
import { NotFoundError } from '../../src/model/errors';
import { departmentAdmin } from '../../src/domain/department-admin';
import type { DepartmentInput } from '../../src/domain/department-rules';
import { cannedReplies } from '../../src/domain/canned-replies';
import { mailAdmin } from '../../src/domain/mail-admin';
import { closeSilentTickets } from '../../src/domain/auto-close';
import { domainWorld, ivan, petr, problemsOf } from '../support/domain-world';

const DAY = 86_400_000;

const form = (code: string): DepartmentInput => ({
  code,
  nameRu: 'Продажи',
  nameEn: 'Sales',
  guidanceRu: '',
  guidanceEn: '',
  keywordsRu: '',
  keywordsEn: '',
  emails: 'sales@panel.example',
  onCall: '',
  mailLocale: '',
  order: '5',
  regulation: regulationInput(NO_REGULATION, 'UTC'),
  urgent: false,
  active: true,
});

describe('domain: department admin', () => {
  it("lists each department's staff: the host's (staffOf) and the page's own list, once each", async () => {
    const w = await domainWorld();
    const placed = {
      technical: [
        { id: 's-petr', role: 'staff' as const, name: 'Пётр Иванов', email: 'petr@panel.example' },
        { id: 's-vera', role: 'staff' as const, name: 'Вера', email: 'vera@panel.example' },
      ],
    };
    const withHost = departmentAdmin({ store: w.store, hostStaffOf: async (code) => placed[code as 'technical'] ?? [] });
    const staffOf = async (admin: typeof withHost, code: string) =>
      (await admin.overview()).find((o) => o.department.code === code)?.staff.map((m) => [m.name, m.fromHost]);
    assert.deepEqual(await staffOf(withHost, 'technical'), [
      ['Вера', true],
      ['Коля', false],
      ['Пётр Иванов', true],
    ]);
    assert.deepEqual(await staffOf(withHost, 'emergency'), []);
    // A host without staffOf: the page's own list only.
    assert.deepEqual(await staffOf(departmentAdmin({ store: w.store }), 'technical'), [
      ['Коля', false],
      ['Пётр', false],
    ]);
  });

  it('a code that is taken is refused, whether seen first or refused by the store', async () => {
    const w = await domainWorld();
    const admin = departmentAdmin({ store: w.store, now: w.clock.now });
    assert.deepEqual(await problemsOf(admin.create(form('technical'))), { code: 'errors.department.codeTaken' });
    // Created by another admin between the check and the insert: the store's ConflictError.
    const restore = w.store.replace('departments', 'findByCode', async () => null);
    assert.deepEqual(await problemsOf(admin.create(form('technical'))), { code: 'errors.department.codeTaken' });
    restore();
    const id = await admin.create(form('sales'));
    assert.equal((await admin.get(id)).department.code, 'sales');
  });

  it('a department with requests cannot be deleted, even when one arrives after the check', async () => {
    const w = await domainWorld();
    const admin = departmentAdmin({ store: w.store, now: w.clock.now });
    const technical = w.departments.technical!.id;
    await w.open(ivan, 'technical');
    assert.deepEqual(await problemsOf(admin.remove(technical)), { form: 'errors.department.hasTickets' });
    // The check ran before the request was filed: the store's StillReferencedError answers the same.
    w.store.replace('departments', 'hasTickets', async () => false);
    assert.deepEqual(await problemsOf(admin.remove(technical)), { form: 'errors.department.hasTickets' });
    assert.ok(await w.store.departments.find(technical));
    const sales = await admin.create(form('sales'));
    await admin.remove(sales);
    await assert.rejects(admin.get(sales), NotFoundError);
  });

  it('a member twice is refused by the store and told as "already a member"', async () => {
    const w = await domainWorld();
    const admin = departmentAdmin({ store: w.store, now: w.clock.now });
    const technical = w.departments.technical!.id;
    assert.deepEqual(await problemsOf(admin.addMember(technical, { userId: petr.id, name: 'Пётр', email: 'petr@panel.example' })), {
      userId: 'errors.member.exists',
    });
    await admin.addMember(technical, { userId: 's-new', name: 'Новый', email: 'new@panel.example' });
    assert.equal((await admin.get(technical)).members.length, 3);
    await assert.rejects(admin.removeMember(technical, 999_999), NotFoundError);
  });

  it('settings apply to departments an admin has not saved; for saved ones a differing setting is reported', async () => {
    const w = await domainWorld();
    const admin = departmentAdmin({ store: w.store, now: w.clock.now });
    for (const d of w.store.data.departments) d.editedAt = null;
    await admin.update(w.departments.client_relations!.id, {
      ...form(''),
      nameRu: 'Клиенты',
      nameEn: 'Clients',
      emails: 'crm@panel.example',
    });
    const ignored = await admin.applySettings({
      technical: { emails: ['ops@panel.example'], onCall: ['duty@panel.example'], locale: 'en', urgent: true },
      client_relations: { emails: ['other@panel.example'], onCall: [] },
      emergency: { emails: ['emergency@panel.example'], onCall: [] },
    });
    assert.deepEqual(ignored, ['client_relations']);
    const technical = await w.store.departments.findByCode('technical');
    assert.deepEqual(
      [technical?.emails, technical?.onCall, technical?.mailLocale, technical?.urgent],
      [['ops@panel.example'], ['duty@panel.example'], 'en', true],
    );
    assert.deepEqual((await w.store.departments.findByCode('client_relations'))?.emails, ['crm@panel.example']);
  });
});

describe('domain: canned replies', () => {
  it('every problem of the form is told by field', async () => {
    const w = await domainWorld();
    const canned = cannedReplies({ store: w.store, now: w.clock.now });
    assert.deepEqual(await problemsOf(canned.create({ departmentId: '999', title: ' ', body: '', locale: 'de' })), {
      departmentId: 'errors.canned.department',
      title: 'errors.canned.titleRequired',
      body: 'errors.canned.bodyRequired',
      locale: 'errors.language.invalid',
    });
    assert.deepEqual(await problemsOf(canned.create({ departmentId: '1.5', title: 'x'.repeat(121), body: 'ok', locale: '' })), {
      departmentId: 'errors.canned.department',
      title: 'errors.canned.titleTooLong',
    });
  });

  it('is created, changed and removed; a reply that is gone is NotFound', async () => {
    const w = await domainWorld();
    const canned = cannedReplies({ store: w.store, now: w.clock.now });
    const departmentId = String(w.departments.technical!.id);
    const reply = await canned.create({ departmentId, title: ' Перезагрузка ', body: 'Перезагрузите сервер.\n', locale: 'ru' });
    assert.deepEqual([reply.title, reply.body, reply.locale], ['Перезагрузка', 'Перезагрузите сервер.\n', 'ru']);
    w.clock.advance(1000);
    const changed = await canned.update(reply.id, { departmentId, title: 'Reboot', body: 'Reboot the server.', locale: 'en' });
    assert.equal(changed.updatedAt, reply.updatedAt + 1000);
    await canned.remove(reply.id);
    await assert.rejects(canned.get(reply.id), NotFoundError);
    await assert.rejects(canned.update(reply.id, { departmentId, title: 'x', body: 'y', locale: '' }), NotFoundError);
    await assert.rejects(canned.remove(reply.id), NotFoundError);
  });
});

describe('domain: mail admin and auto-close', () => {
  it('a failed e-mail is queued again once; anything else is NotFound', async () => {
    const w = await domainWorld();
    await w.open(ivan);
    const [item] = w.store.data.outbox;
    let nudged = 0;
    const health = { status: { state: 'none' as const }, activity: { lastSentAt: null, lastFailure: null, notAnsweringSince: null } };
    const mail = mailAdmin({
      outbox: w.store.outbox,
      health,
      transportSource: 'test',
      fromAddress: 'support@panel.example',
      mailQueued: () => void nudged++,
      now: w.clock.now,
    });
    await assert.rejects(mail.retry(item!.id, 'retry-1'), NotFoundError, 'a pending e-mail is not retried');
    const [claimed] = await w.store.outbox.claim(w.clock.now(), 60_000, 10);
    await w.store.outbox.markFailed(claimed!, '550 mailbox unavailable');
    assert.equal((await mail.overview()).failed[0]?.lastError, '550 mailbox unavailable');
    await mail.retry(item!.id, 'retry-1');
    await mail.retry(item!.id, 'retry-1');
    assert.equal(nudged, 2, 'the same submission again is done already');
    await assert.rejects(mail.retry(item!.id, 'retry-2'), NotFoundError);
    assert.deepEqual((await mail.overview()).counts, {
      pending: 1,
      sending: 0,
      sent: 0,
      failed: 0,
      sentWithMissingFiles: 0,
      bounced: 0,
      oldestPendingAt: w.clock.now(),
    });
  });

  it('auto-close closes answered tickets silent for the set days, and tells their customers', async () => {
    const w = await domainWorld();
    const silent = await w.open(ivan);
    const recent = await w.open(ivan);
    const unanswered = await w.open(ivan);
    await w.staff.reply(petr, silent.number, { body: 'Готово.', files: [], lastSeenId: 0, confirmed: true, submissionKey: 'a' });
    w.clock.advance(2 * DAY);
    await w.staff.reply(petr, recent.number, { body: 'Готово.', files: [], lastSeenId: 0, confirmed: true, submissionKey: 'b' });
    w.clock.advance(DAY + 1);
    assert.equal(await closeSilentTickets({ store: w.store, mail: w.mail, afterDays: 3, now: w.clock.now }), 1);
    const statusOf = async (number: string) => (await w.store.tickets.findByNumber(number))?.status;
    assert.deepEqual(
      [await statusOf(silent.number), await statusOf(recent.number), await statusOf(unanswered.number)],
      ['closed', 'answered', 'new'],
    );
    assert.ok(w.mail.calls.includes(`customer-closed #${silent.number}`));
    assert.equal(await closeSilentTickets({ store: w.store, mail: w.mail, afterDays: 3, now: w.clock.now }), 0);
  });

  it('a ticket that changed since it was listed is left open', async () => {
    const w = await domainWorld();
    const repliedTo = await w.open(ivan);
    const answeredAgain = await w.open(ivan);
    for (const [ticket, key] of [
      [repliedTo, 'a'],
      [answeredAgain, 'b'],
    ] as const) {
      await w.staff.reply(petr, ticket.number, { body: 'Готово.', files: [], lastSeenId: 0, confirmed: true, submissionKey: key });
    }
    w.clock.advance(4 * DAY);
    const listed = await w.store.tickets.answeredBefore(w.clock.now() - 3 * DAY, 10);
    // Between the list and the lock: the customer writes back, and staff answer the other one again.
    await w.customer.reply(ivan, repliedTo.number, 'Нет, не работает.', [], 'c');
    await w.staff.reply(petr, answeredAgain.number, { body: 'Ещё раз.', files: [], lastSeenId: 0, confirmed: true, submissionKey: 'd' });
    w.store.replace('tickets', 'answeredBefore', async () => listed);
    assert.equal(listed.length, 2);
    assert.equal(await closeSilentTickets({ store: w.store, mail: w.mail, afterDays: 3, now: w.clock.now }), 0);
    assert.ok(!w.mail.calls.some((c) => c.startsWith('customer-closed')));
  });
});
