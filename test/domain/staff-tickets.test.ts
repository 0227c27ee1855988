// Staff rules on the memory store: who reaches which ticket, what a reply, a status, a priority,
// an assignment and a transfer change, and what each records and e-mails.
import assert from 'node:assert/strict';
import { NotFoundError } from '../../src/model/errors';
import type { QueueQuery } from '../../src/domain/staff-queue';
import { admin, anna, domainWorld, ivan, petr, problemsOf, storedFile } from '../support/domain-world';

const ALL: QueueQuery = { departmentId: null, status: 'open', priority: null, serviceKind: null, assignee: null, search: '', due: null };

describe('domain: staff tickets', () => {
  it("staff reach their own departments' tickets only; admins reach all", async () => {
    const w = await domainWorld();
    const technical = await w.open(ivan, 'technical');
    const billing = await w.open(ivan, 'client_relations');
    const numbers = async (user: typeof petr) => (await w.staff.queue(user, ALL, null)).items.map((t) => t.number).sort();
    assert.deepEqual(await numbers(petr), [technical.number], 'by the membership table');
    assert.deepEqual(await numbers(anna), [billing.number], "by the host's department codes");
    assert.deepEqual(await numbers(admin), [technical.number, billing.number].sort());
    await assert.rejects(w.staff.view(petr, billing.number), NotFoundError);
    await assert.rejects(w.staff.setOpen(anna, technical.number, false), NotFoundError);
    assert.deepEqual(
      await w.staff.queue(petr, { ...ALL, departmentId: w.departments.client_relations!.id }, null),
      { items: [], next: null, ratedBad: new Set() },
      'a department out of reach shows nothing',
    );
  });

  it('the queue puts urgent first, then the longest waiting, a page at a time', async () => {
    const w = await domainWorld();
    const older = await w.open(ivan);
    w.clock.advance(1000);
    const newer = await w.open(ivan);
    w.clock.advance(1000);
    const urgent = await w.open(ivan, 'emergency');
    const order: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await w.staff.queue(admin, ALL, cursor);
      order.push(...page.items.map((t) => t.number));
      cursor = page.next;
    } while (cursor);
    assert.deepEqual(order, [urgent.number, older.number, newer.number]);
    assert.equal(await w.staff.waitingCount(petr), 2);
  });

  it('a reply answers the ticket, records it, and e-mails the customer', async () => {
    const w = await domainWorld();
    const ticket = await w.open(ivan);
    const { lastMessageId } = await w.staff.view(petr, ticket.number);
    const outcome = await w.staff.reply(petr, ticket.number, {
      body: 'Перезагрузили сервер.',
      files: [],
      lastSeenId: lastMessageId,
      confirmed: false,
      submissionKey: 's-1',
    });
    assert.deepEqual(outcome, { sent: true });
    const after = await w.store.tickets.findByNumber(ticket.number);
    assert.equal(after?.status, 'answered');
    assert.equal(after?.lastReplyAt, w.clock.now());
    assert.deepEqual(
      (await w.store.events.forTicket(ticket.id)).map((e) => e.action),
      ['reply', 'status'],
    );
    assert.ok(w.mail.calls.includes(`customer-reply #${ticket.number}`));
  });

  it('a reply written before a newer message is held until the author confirms', async () => {
    const w = await domainWorld();
    const ticket = await w.open(ivan);
    const { lastMessageId } = await w.staff.view(petr, ticket.number);
    await w.customer.reply(ivan, ticket.number, 'И ещё: диск заполнен.', [], 'c-1');
    const file = storedFile('log.txt', 'text/plain');
    const held = await w.staff.reply(petr, ticket.number, {
      body: 'Ответ',
      files: [file],
      lastSeenId: lastMessageId,
      confirmed: false,
      submissionKey: 's-1',
    });
    assert.equal(held.sent, false);
    assert.deepEqual(held.sent ? [] : held.newer.map((m) => m.body), ['И ещё: диск заполнен.']);
    assert.deepEqual(w.discarded, [file.storageKey], 'sent again with the confirmation');
    assert.deepEqual(
      await w.staff.reply(petr, ticket.number, {
        body: 'Ответ',
        files: [],
        lastSeenId: lastMessageId,
        confirmed: true,
        submissionKey: 's-2',
      }),
      { sent: true },
    );
  });

  it('the same reply sent twice is one message and one e-mail', async () => {
    const w = await domainWorld();
    const ticket = await w.open(ivan);
    const reply = { body: 'Готово.', files: [], lastSeenId: 0, confirmed: true, submissionKey: 's-1' };
    await w.staff.reply(petr, ticket.number, reply);
    await w.staff.reply(petr, ticket.number, reply);
    assert.equal((await w.store.messages.thread(ticket.id, 'staff')).length, 2);
    assert.equal(w.mail.calls.filter((c) => c.startsWith('customer-reply')).length, 1);
  });

  it('a note stays internal: not in the customer thread, no e-mail, one note per submission', async () => {
    const w = await domainWorld();
    const ticket = await w.open(ivan);
    await w.staff.note(petr, ticket.number, 'Клиент на старом тарифе.', [], 'n-1');
    await w.staff.note(petr, ticket.number, 'Клиент на старом тарифе.', [], 'n-1');
    assert.equal((await w.store.messages.thread(ticket.id, 'staff')).length, 2);
    assert.equal((await w.store.messages.thread(ticket.id, 'customer')).length, 1);
    assert.deepEqual(w.mail.calls, [`department-new #${ticket.number}`]);
  });

  it('a message that breaks a rule is refused before anything is written, and its files go', async () => {
    const w = await domainWorld();
    const ticket = await w.open(ivan);
    const file = storedFile('run.exe', 'application/x-msdownload');
    assert.deepEqual(await problemsOf(w.staff.note(petr, ticket.number, '   ', [file], 'n-1')), {
      note: 'errors.message.required',
      files: 'errors.files.type',
    });
    assert.deepEqual(w.discarded, [file.storageKey]);
    assert.equal((await w.store.messages.thread(ticket.id, 'staff')).length, 1);
  });

  it('status and priority: a change is recorded, no change records nothing, an unknown priority is refused', async () => {
    const w = await domainWorld();
    const ticket = await w.open(ivan);
    await w.staff.setOpen(petr, ticket.number, false);
    await w.staff.setOpen(petr, ticket.number, false);
    await w.staff.setPriority(petr, ticket.number, 'high');
    await w.staff.setPriority(petr, ticket.number, 'high');
    // Refused before the ticket is looked up: it throws at once.
    assert.deepEqual(await problemsOf((async () => w.staff.setPriority(petr, ticket.number, 'critical'))()), {
      priority: 'errors.priority.invalid',
    });
    const events = await w.store.events.forTicket(ticket.id);
    assert.deepEqual(
      events.map((e) => [e.action, e.detail.to]),
      [
        ['status', 'closed'],
        ['priority', 'high'],
      ],
    );
    const after = await w.store.tickets.findByNumber(ticket.number);
    assert.equal(after?.status, 'closed');
    assert.equal(after?.closedAt, w.clock.now());
  });

  it('a close by staff e-mails the customer once; a repeat or a reopen e-mails nothing', async () => {
    const w = await domainWorld();
    const ticket = await w.open(ivan);
    const nudged = w.nudges();
    await w.staff.setOpen(petr, ticket.number, false);
    assert.equal(w.nudges(), nudged + 1, 'the queued e-mail goes out at once');
    await w.staff.setOpen(petr, ticket.number, false);
    await w.staff.setOpen(petr, ticket.number, true);
    assert.deepEqual(
      w.mail.calls.filter((c) => c.startsWith('customer-')),
      [`customer-closed-by-staff #${ticket.number}`],
    );
    const queued = await w.store.outbox.counts();
    assert.equal(queued.pending, 2, "the department's notice of the new request and the customer's notice of the close");
  });

  it("assigns to oneself or a colleague of the ticket's department, never to a stranger", async () => {
    const w = await domainWorld();
    const ticket = await w.open(ivan);
    assert.deepEqual(await problemsOf(w.staff.assign(petr, ticket.number, 's-anna')), { assignee: 'errors.assignee.unknown' });
    await w.staff.assign(petr, ticket.number, 's-kolya');
    assert.equal((await w.store.tickets.findByNumber(ticket.number))?.assigneeName, 'Коля');
    await w.staff.assign(petr, ticket.number, petr.id);
    assert.equal((await w.store.tickets.findByNumber(ticket.number))?.assigneeId, petr.id);
    await w.staff.assign(petr, ticket.number, null);
    assert.equal((await w.store.tickets.findByNumber(ticket.number))?.assigneeId, null);
  });

  it('a transfer needs an active other department and a reason', async () => {
    const w = await domainWorld();
    const ticket = await w.open(ivan);
    const d = w.departments;
    assert.deepEqual(await problemsOf(w.staff.transfer(petr, ticket.number, d.technical!.id, 'x', 't-1')), {
      departmentId: 'errors.transfer.department',
    });
    assert.deepEqual(await problemsOf(w.staff.transfer(petr, ticket.number, d.archive!.id, 'x', 't-1')), {
      departmentId: 'errors.transfer.department',
    });
    assert.deepEqual(await problemsOf(w.staff.transfer(petr, ticket.number, null, '  ', 't-1')), {
      departmentId: 'errors.transfer.department',
      reason: 'errors.transfer.reasonRequired',
    });
    assert.deepEqual(await problemsOf(w.staff.transfer(petr, ticket.number, d.client_relations!.id, 'x'.repeat(501), 't-1')), {
      reason: 'errors.transfer.reasonTooLong',
    });
    assert.equal((await w.store.tickets.findByNumber(ticket.number))?.departmentId, d.technical!.id);
  });

  it('a transfer moves the ticket, clears its assignee, takes the urgency of its new department, and e-mails it once', async () => {
    const w = await domainWorld();
    const ticket = await w.open(ivan);
    await w.staff.assign(petr, ticket.number, petr.id);
    await w.staff.transfer(petr, ticket.number, w.departments.emergency!.id, 'Авария на узле', 't-1');
    // A double click: the ticket is now out of the member's reach, and the repeat answers as done.
    await w.staff.transfer(petr, ticket.number, w.departments.emergency!.id, 'Авария на узле', 't-1');
    const moved = await w.store.tickets.findByNumber(ticket.number);
    assert.equal(moved?.departmentId, w.departments.emergency!.id);
    assert.equal(moved?.assigneeId, null);
    assert.equal(moved?.priority, 'urgent');
    assert.equal(w.mail.calls.filter((c) => c.startsWith('department-transfer')).length, 1);
    assert.deepEqual(
      (await w.store.events.forTicket(ticket.id)).map((e) => e.action),
      ['assignee', 'department', 'assignee'],
    );
    await assert.rejects(w.staff.view(petr, ticket.number), NotFoundError);
  });

  it("the ticket view offers only its own department's canned replies and colleagues", async () => {
    const w = await domainWorld();
    const ticket = await w.open(ivan);
    const technical = w.departments.technical!.id;
    await w.store.canned.create({ departmentId: technical, title: 'Перезагрузка', body: 'Перезагрузите сервер.', locale: 'ru' }, 0);
    await w.store.canned.create(
      { departmentId: w.departments.client_relations!.id, title: 'Счёт', body: 'Счёт отправлен.', locale: null },
      0,
    );
    const view = await w.staff.view(petr, ticket.number);
    assert.deepEqual(
      view.canned.map((c) => c.title),
      ['Перезагрузка'],
    );
    assert.deepEqual(view.members.map((m) => m.userId).sort(), ['s-kolya', 's-petr']);
  });

  it("a transfer counts on the receiving department's badge, even answered, until someone there opens it", async () => {
    const w = await domainWorld();
    const ticket = await w.open(ivan);
    const { lastMessageId } = await w.staff.view(petr, ticket.number);
    await w.staff.reply(petr, ticket.number, {
      body: 'Ответили.',
      files: [],
      lastSeenId: lastMessageId,
      confirmed: false,
      submissionKey: 'r-1',
    });
    assert.equal(await w.staff.waitingCount(anna), 0, 'nothing of client relations waits yet');
    await w.staff.transfer(petr, ticket.number, w.departments.client_relations!.id, 'Вопрос об оплате', 't-1');
    assert.equal((await w.store.tickets.findByNumber(ticket.number))?.status, 'answered');
    assert.equal(await w.staff.waitingCount(anna), 1, 'the transfer counts though it is answered');
    await w.staff.view(admin, ticket.number);
    assert.equal(await w.staff.waitingCount(anna), 1, 'an admin looking in is not the department');
    await w.staff.view(anna, ticket.number);
    assert.equal(await w.staff.waitingCount(anna), 0, 'opened by the department: no longer counted');
    await w.staff.transfer(anna, ticket.number, w.departments.technical!.id, 'Обратно', 't-2');
    await w.staff.setOpen(petr, ticket.number, false);
    assert.equal(await w.staff.waitingCount(petr), 0, 'a closed request never counts');
  });

  it('staff the host places in a department (staffOf) can be assigned its requests; others cannot', async () => {
    const w = await domainWorld({
      hostStaffOf: async (code) =>
        code === 'technical'
          ? [{ id: 's-host', role: 'staff', name: 'Хост Сотрудник', email: 'host@panel.example', departments: ['technical'] }]
          : [],
    });
    const ticket = await w.open(ivan);
    const view = await w.staff.view(petr, ticket.number);
    assert.deepEqual(
      view.members.map((m) => [m.userId, m.fromHost]),
      [
        ['s-kolya', false],
        ['s-petr', false],
        ['s-host', true],
      ],
    );
    await w.staff.assign(petr, ticket.number, 's-host');
    assert.equal((await w.store.tickets.findByNumber(ticket.number))?.assigneeName, 'Хост Сотрудник');
    assert.deepEqual(await problemsOf(w.staff.assign(petr, ticket.number, 's-anna')), { assignee: 'errors.assignee.unknown' });
  });

  it("the ticket view lists canned replies in the customer's language first, then any language, then others", async () => {
    const w = await domainWorld();
    const technical = w.departments.technical!.id;
    for (const [title, locale] of [
      ['A English', 'en'],
      ['B any', null],
      ['C русский', 'ru'],
      ['D русский', 'ru'],
    ] as const)
      await w.store.canned.create({ departmentId: technical, title, body: title, locale }, 0);
    const ticket = await w.open(ivan); // opened in Russian
    assert.deepEqual(
      (await w.staff.view(petr, ticket.number)).canned.map((c) => c.title),
      ['C русский', 'D русский', 'B any', 'A English'],
    );
  });
});
