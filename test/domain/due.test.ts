// A request's due time across everything that moves it, on the memory store with a fixed clock:
// opening, the customer's reply, the staff answer (a pause), a priority change, a transfer (the
// new department's hours), closing and reopening, and a start outside working hours.
import assert from 'node:assert/strict';
import type { Department, DepartmentRegulation, Ticket } from '../../src/model/types';
import type { QueueQuery } from '../../src/domain/staff-queue';
import { responsePromise } from '../../src/domain/due';
import { admin, domainWorld, ivan, petr } from '../support/domain-world';
import { departmentAdmin } from '../../src/domain/department-admin';
import { regulationInput } from '../../src/domain/regulation-rules';
import type { DepartmentInput } from '../../src/domain/department-rules';

/** A department's form as it stands, as the admin page fills it. */
function departmentInputOf(d: Department): DepartmentInput {
  return {
    code: d.code,
    nameRu: d.name.ru,
    nameEn: d.name.en,
    guidanceRu: '',
    guidanceEn: '',
    keywordsRu: '',
    keywordsEn: '',
    emails: d.emails.join('\n'),
    onCall: '',
    mailLocale: '',
    order: String(d.order),
    regulation: regulationInput(d.regulation, 'UTC'),
    urgent: d.urgent,
    active: d.active,
  };
}

const MINUTE = 60_000;
const at = (iso: string) => Date.parse(iso);

/** Technical works Monday to Friday, 09:00–18:00 in Moscow (06:00–15:00 UTC). */
const TECHNICAL: DepartmentRegulation = {
  targets: { firstResponse: 120, nextResponse: 60, resolution: null },
  byPriority: { urgent: { nextResponse: 15 } },
  hours: {
    timeZone: 'Europe/Moscow',
    week: { 1: [['09:00', '18:00']], 2: [['09:00', '18:00']], 3: [['09:00', '18:00']], 4: [['09:00', '18:00']], 5: [['09:00', '18:00']] },
    holidays: [],
    workingDays: [],
  },
  warnPercent: 80,
};
/** Client relations answers round the clock. */
const ROUND_THE_CLOCK: DepartmentRegulation = {
  targets: { firstResponse: 240, nextResponse: 30, resolution: null },
  byPriority: {},
  hours: null,
  warnPercent: 80,
};

async function world() {
  const w = await domainWorld();
  for (const [code, regulation] of [
    ['technical', TECHNICAL],
    ['client_relations', ROUND_THE_CLOCK],
  ] as const) {
    const { id, code: _code, editedAt: _at, ...fields } = w.departments[code]!;
    await w.store.departments.update(id, { ...fields, regulation }, w.clock.now());
  }
  const stored = async (number: string) => (await w.store.tickets.findByNumber(number)) as Ticket;
  let keys = 0;
  const answer = async (number: string) => {
    const { lastMessageId } = await w.staff.view(petr, number);
    await w.staff.reply(petr, number, {
      body: 'Готово.',
      files: [],
      lastSeenId: lastMessageId,
      confirmed: false,
      submissionKey: `s-${++keys}`,
    });
  };
  const reply = (number: string) => w.customer.reply(ivan, number, 'Не помогло.', [], `c-${++keys}`);
  return { w, stored, answer, reply, key: () => `k-${++keys}` };
}

describe('domain: due time of a request', () => {
  it('follows the request: opened, the customer writes again, answered, replied to, priority, transfer, closed, reopened', async () => {
    const { w, stored, answer, reply, key } = await world();
    // Monday 12 January 2026, 09:00 UTC: 12:00 in Moscow, two working hours to go.
    const opened = await w.open(ivan);
    let ticket = await stored(opened.number);
    assert.equal(ticket.dueKind, 'firstResponse');
    assert.equal(ticket.dueAt, at('2026-01-12T11:00:00Z'));

    w.clock.advance(30 * MINUTE);
    await reply(opened.number);
    assert.equal((await stored(opened.number)).dueAt, at('2026-01-12T11:00:00Z'), 'still unanswered: the first answer is due as before');

    w.clock.advance(30 * MINUTE);
    await answer(opened.number);
    ticket = await stored(opened.number);
    assert.deepEqual([ticket.dueAt, ticket.dueKind, ticket.pausedSince], [null, null, w.clock.now()], 'answered: nothing due, paused');

    // The customer replies at 14:30 in Moscow (11:30 UTC): an hour of working time, to 15:30.
    w.clock.advance(90 * MINUTE);
    await reply(opened.number);
    ticket = await stored(opened.number);
    assert.deepEqual([ticket.dueKind, ticket.dueAt, ticket.pausedSince], ['nextResponse', at('2026-01-12T12:30:00Z'), null]);
    assert.equal(ticket.pausedMs, 90 * MINUTE, 'the working time it waited for the customer');

    await w.staff.setPriority(petr, opened.number, 'urgent');
    assert.equal((await stored(opened.number)).dueAt, at('2026-01-12T11:45:00Z'), "urgent's own target, from the same reply");
    await w.staff.setPriority(petr, opened.number, 'normal');

    // To a department that works round the clock: its 30 minutes from the same reply.
    await w.staff.transfer(petr, opened.number, w.departments.client_relations!.id, 'Вопрос об оплате', key());
    assert.equal((await stored(opened.number)).dueAt, at('2026-01-12T12:00:00Z'));

    await w.staff.setOpen(admin, opened.number, false);
    assert.equal((await stored(opened.number)).dueAt, null, 'closed: nothing due');
    w.clock.advance(10 * MINUTE);
    await w.staff.setOpen(admin, opened.number, true);
    ticket = await stored(opened.number);
    assert.deepEqual([ticket.dueKind, ticket.dueAt], ['nextResponse', w.clock.now() + 30 * MINUTE], 'reopened: a new wait for staff');
  });

  it('a request opened after hours on Friday is due on Monday; the queue shows the overdue first within a priority', async () => {
    const { w, stored } = await world();
    const monday = await w.open(ivan);
    // Friday 16 January, 19:00 in Moscow: past the working day.
    w.clock.advance(at('2026-01-16T16:00:00Z') - w.clock.now());
    const friday = await w.open(ivan);
    assert.equal((await stored(friday.number)).dueAt, at('2026-01-19T08:00:00Z'), 'Monday 11:00 in Moscow');

    const all: QueueQuery = {
      departmentId: null,
      status: 'open',
      priority: null,
      serviceKind: null,
      assignee: null,
      search: '',
      due: null,
    };
    const queue = async (due: QueueQuery['due']) => (await w.staff.queue(admin, { ...all, due }, null)).items.map((t) => t.number);
    assert.deepEqual(await queue(null), [monday.number, friday.number], 'the soonest due first');
    assert.deepEqual(await queue('overdue'), [monday.number], 'Monday’s is overdue by now');
    assert.deepEqual(await queue('soon'), [monday.number]);
    w.clock.advance(at('2026-01-19T07:30:00Z') - w.clock.now());
    assert.deepEqual(await queue('soon'), [monday.number, friday.number], 'due within the hour');
  });

  it("an admin's new regulation moves the open requests' due times, from the same start", async () => {
    const { w, stored } = await world();
    const opened = await w.open(ivan);
    const closed = await w.open(ivan);
    await w.staff.setOpen(admin, closed.number, false);
    const technical = w.departments.technical!;
    const input = {
      ...departmentInputOf(technical),
      regulation: { ...regulationInput(TECHNICAL, 'UTC'), firstResponse: '30' },
    };
    await departmentAdmin({ store: w.store, now: w.clock.now }).update(technical.id, input);
    assert.equal((await stored(opened.number)).dueAt, at('2026-01-12T09:30:00Z'), 'thirty working minutes from the opening');
    assert.equal((await stored(closed.number)).dueAt, null, 'a closed one stays as it is');
  });

  it('the customer is promised the target while staff owe an answer, and nothing once it is late or answered', async () => {
    const { w, stored, answer } = await world();
    const opened = await w.open(ivan);
    const view = async () => (await w.customer.view(ivan, opened.number)).promise;
    assert.deepEqual(await view(), { minutes: 120, working: true });
    w.clock.advance(3 * 60 * MINUTE);
    assert.equal(await view(), null, 'late: no time at all rather than a negative one');
    const ticket = await stored(opened.number);
    assert.equal(responsePromise(ticket, w.departments.technical!, ticket.dueAt! + 1), null);
    await answer(opened.number);
    assert.equal(await view(), null, 'waiting for the customer: no promise');
  });
});
