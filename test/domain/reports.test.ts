// Reports on the memory store, against figures worked out by hand from a seeded week: first
// answers and resolutions in working time, medians and 90th percentiles by the nearest rank, the
// share within the regulation, ratings, transfers counted for the department left, the open
// backlog by age, per department and per staff member; days summed by the job, on demand, again.
import assert from 'node:assert/strict';
import type { HostUser } from '../../src/host';
import type { DepartmentRegulation, Ticket } from '../../src/model/types';
import { reports, type Report } from '../../src/domain/reports';
import { admin, anna, domainWorld, ivan, olga, petr } from '../support/domain-world';

const kolya: HostUser = { id: 's-kolya', role: 'staff', name: 'Коля', email: 'kolya@panel.example' };
const MINUTE = 60_000;

/** Technical: answer within an hour, resolve within 4, round the clock. */
const TECHNICAL: DepartmentRegulation = {
  targets: { firstResponse: 60, nextResponse: 60, resolution: 240 },
  byPriority: {},
  hours: null,
  warnPercent: 80,
};
/** Client relations: answer within 2 working hours, Monday to Friday 09:00–18:00 UTC. */
const CLIENT_RELATIONS: DepartmentRegulation = {
  targets: { firstResponse: 120, nextResponse: null, resolution: null },
  byPriority: {},
  hours: {
    timeZone: 'UTC',
    week: { 1: [['09:00', '18:00']], 2: [['09:00', '18:00']], 3: [['09:00', '18:00']], 4: [['09:00', '18:00']], 5: [['09:00', '18:00']] },
    holidays: [],
    workingDays: [],
  },
  warnPercent: 80,
};

/**
 * The seeded week (the world's clock starts on Monday 2026-01-12 09:00 UTC):
 * Monday: T1, T2, T3, T5 opened in Technical and C1 in Client relations at 09:00; C1 transferred
 * to Technical at 09:05; first answers T1 by Пётр at 09:10 (10 min), C1 by Пётр at 10:00 (60,
 * by Technical's clock), T2 by Коля at 09:30 (30), T3 by Пётр at 10:30 (90, late); T1 assigned to
 * Пётр and closed at 11:00 (10 working minutes: 110 were the customer's turn); T1 rated good
 * (Пётр), T2 bad (Коля). T5 is never answered.
 * Tuesday: T4 opened in Client relations at 17:00. Wednesday: Anna answers it at 10:00 (120
 * working minutes: 17:00–18:00 and 09:00–10:00), exactly on time.
 */
async function seededWeek() {
  const w = await domainWorld();
  for (const [code, regulation] of [
    ['technical', TECHNICAL],
    ['client_relations', CLIENT_RELATIONS],
  ] as const) {
    const { id, code: _code, editedAt: _at, ...fields } = w.departments[code]!;
    await w.store.departments.update(id, { ...fields, regulation }, w.clock.now());
  }
  let keys = 0;
  const key = () => `k-${++keys}`;
  const answer = async (who: HostUser, ticket: Ticket) => {
    const { lastMessageId } = await w.staff.view(admin, ticket.number);
    await w.staff.reply(who, ticket.number, {
      body: 'Готово.',
      files: [],
      lastSeenId: lastMessageId,
      confirmed: true,
      submissionKey: key(),
    });
  };
  const at = (iso: string) => w.clock.advance(Date.parse(iso) - w.clock.now());

  const [t1, t2, t3, t5] = [await w.open(ivan), await w.open(ivan), await w.open(olga), await w.open(olga)];
  const c1 = await w.open(ivan, 'client_relations');
  at('2026-01-12T09:05:00Z');
  await w.staff.transfer(admin, c1.number, w.departments.technical!.id, 'Это технический вопрос.', key());
  at('2026-01-12T09:10:00Z');
  await answer(petr, t1!);
  at('2026-01-12T09:30:00Z');
  await answer(kolya, t2!);
  at('2026-01-12T10:00:00Z');
  await answer(petr, c1);
  at('2026-01-12T10:30:00Z');
  await answer(petr, t3!);
  at('2026-01-12T11:00:00Z');
  await w.staff.assign(admin, t1!.number, petr.id);
  await w.staff.setOpen(admin, t1!.number, false);
  at('2026-01-12T11:30:00Z');
  await w.ratings.rate(ivan, t1!.number, { rating: 'good', comment: '' });
  await w.ratings.rate(ivan, t2!.number, { rating: 'bad', comment: 'Долго.' });

  at('2026-01-13T17:00:00Z');
  const t4 = await w.open(olga, 'client_relations');
  at('2026-01-14T10:00:00Z');
  await answer(anna, t4);
  at('2026-01-14T12:00:00Z');

  const report = reports({ store: w.store, timeZone: 'UTC', now: w.clock.now });
  return { w, report, tickets: { t1: t1!, t2: t2!, t3: t3!, t4, t5: t5!, c1 }, at };
}

const staffRow = (r: Report, id: string) => r.staff.find((s) => s.staffId === id);

describe('domain: reports', () => {
  it('the whole period: openings, first answers, resolutions, ratings and transfers match the hand count', async () => {
    const { report, w } = await seededWeek();
    const r = await report.report({ from: '2026-01-12', to: '2026-01-14', departmentId: null });

    assert.equal(r.total.opened, 6);
    assert.equal(r.total.transfers, 1);
    // First answers: 10, 30, 60, 90, 120 → the median is the 3rd, the 90th percentile the 5th.
    assert.deepEqual({ ...r.total.firstResponse }, { count: 5, median: 60, p90: 120, withinShare: 4 / 5, met: 4, targeted: 5 });
    assert.deepEqual({ ...r.total.resolution }, { count: 1, median: 10, p90: 10, withinShare: 1, met: 1, targeted: 1 });
    assert.deepEqual([r.total.good, r.total.bad, r.total.goodShare], [1, 1, 0.5]);

    // Per day: what happened that day, not on the day the request was opened.
    assert.deepEqual(
      r.days.map((d) => [d.day, d.opened, d.firstResponse.count, d.resolution.count]),
      [
        ['2026-01-12', 5, 4, 1],
        ['2026-01-13', 1, 0, 0],
        ['2026-01-14', 0, 1, 0],
      ],
    );
    // C1 was opened in Client relations and left it: the transfer is that department's.
    const byCode = new Map(r.departments.map((d) => [d.department?.code, d]));
    assert.deepEqual([byCode.get('technical')?.opened, byCode.get('technical')?.transfers], [4, 0]);
    assert.deepEqual([byCode.get('client_relations')?.opened, byCode.get('client_relations')?.transfers], [2, 1]);
    assert.equal(byCode.get('client_relations')?.firstResponse.count, 1, 'only T4 was answered there');
    assert.equal(byCode.get('technical')?.firstResponse.median, 30, '10, 30, 60, 90: the 2nd');

    // Per staff member: Пётр's answers 10, 60, 90; the resolution assigned to him; his good rating.
    const peter = staffRow(r, petr.id)!;
    assert.deepEqual(
      [peter.staffName, peter.firstResponse.count, peter.firstResponse.median, peter.firstResponse.p90, peter.firstResponse.met],
      [petr.name, 3, 60, 90, 2],
    );
    assert.deepEqual([peter.resolution.count, peter.good, peter.bad], [1, 1, 0]);
    assert.deepEqual([staffRow(r, kolya.id)?.firstResponse.median, staffRow(r, kolya.id)?.bad], [30, 1]);
    assert.deepEqual([staffRow(r, anna.id)?.firstResponse.median, staffRow(r, anna.id)?.firstResponse.withinShare], [120, 1]);
    assert.deepEqual(
      r.staff.map((s) => s.staffId),
      [anna.id, kolya.id, petr.id].sort((a, b) => staffRow(r, a)!.staffName.localeCompare(staffRow(r, b)!.staffName)),
    );

    // Open now: T2, T3, C1 (answered) and T5 (never answered: overdue), 51 hours old; T4 (answered), 19.
    assert.deepEqual(
      r.backlog.bands.map((b) => [b.fromHours, b.toHours, b.open, b.overdue]),
      [
        [0, 4, 0, 0],
        [4, 24, 1, 0],
        [24, 72, 4, 1],
        [72, 168, 0, 0],
        [168, 720, 0, 0],
        [720, null, 0, 0],
      ],
    );
    assert.equal(w.store.data.reportFacts.filter((f) => f.kind === 'firstResponse').length, 5, 'one first answer per request');
  });

  it('a period with whole months reads them as months, with the same figures as its days', async () => {
    const { report } = await seededWeek();
    const days = await report.report({ from: '2026-01-12', to: '2026-01-14', departmentId: null });
    // December's second half and February's start are days; January is read as a month.
    const months = await report.report({ from: '2025-12-15', to: '2026-02-10', departmentId: null });
    const figures = (r: Report) => ({ total: r.total, departments: r.departments, staff: r.staff });
    assert.deepEqual(figures(months), figures(days));
    assert.equal(months.days.length, 58);
    assert.deepEqual(
      months.days.filter((d) => d.opened > 0).map((d) => [d.day, d.opened]),
      [
        ['2026-01-12', 5],
        ['2026-01-13', 1],
      ],
    );
    // A later change to a January day reaches January's month once that day is summed again.
    const { w, tickets } = await seededWeek();
    const again = reports({ store: w.store, timeZone: 'UTC', now: w.clock.now });
    await again.report({ from: '2026-01-01', to: '2026-01-31', departmentId: null });
    await w.ratings.rate(olga, tickets.t4.number, { rating: 'bad', comment: '' });
    await again.refresh();
    const january = await again.report({ from: '2026-01-01', to: '2026-01-31', departmentId: null });
    assert.deepEqual([january.total.good, january.total.bad], [1, 2]);
  });

  it('one department: its own figures, backlog and staff only', async () => {
    const { report, w } = await seededWeek();
    const r = await report.report({ from: '2026-01-12', to: '2026-01-14', departmentId: w.departments.technical!.id });
    assert.equal(r.total.opened, 4);
    assert.equal(r.total.transfers, 0);
    assert.deepEqual(
      [r.total.firstResponse.count, r.total.firstResponse.median, r.total.firstResponse.p90, r.total.firstResponse.met],
      [4, 30, 90, 3],
    );
    assert.deepEqual(r.departments, [], 'no per-department table for one department');
    assert.deepEqual(r.staff.map((s) => s.staffId).sort(), [kolya.id, petr.id].sort());
    assert.equal(r.backlog.open, 4, 'T2, T3, C1 and T5 are in Technical now');
  });

  it('working hours: an answer the next working morning counts the evening hour and the morning hour', async () => {
    const { report } = await seededWeek();
    const r = await report.report({ from: '2026-01-14', to: '2026-01-14', departmentId: null });
    assert.deepEqual([r.total.firstResponse.count, r.total.firstResponse.median, r.total.firstResponse.met], [1, 120, 1]);
    assert.equal(r.total.opened, 0);
  });

  it('days are summed once and read back; a later rating shows after the job or a recount', async () => {
    const { report, w, tickets, at } = await seededWeek();
    await report.refresh();
    // The job sums today and yesterday, and fills in older days back to the first request.
    assert.deepEqual(w.store.data.reportBuilt.map((b) => b.day).sort(), ['2026-01-12', '2026-01-13', '2026-01-14']);
    // A rating changed on Thursday: Thursday's figures once the job runs that day.
    at('2026-01-15T09:00:00Z');
    await w.ratings.rate(olga, tickets.t4.number, { rating: 'good', comment: '' });
    let r = await report.report({ from: '2026-01-15', to: '2026-01-15', departmentId: null });
    assert.equal(r.total.good, 1, 'a day never summed is summed when asked for');
    w.clock.advance(MINUTE);
    await w.ratings.rate(olga, tickets.t4.number, { rating: 'bad', comment: 'Передумала.' });
    r = await report.report({ from: '2026-01-15', to: '2026-01-15', departmentId: null });
    assert.deepEqual([r.total.good, r.total.bad], [1, 0], 'the summed day stands until it is summed again');
    await report.refresh();
    r = await report.report({ from: '2026-01-15', to: '2026-01-15', departmentId: null });
    assert.deepEqual([r.total.good, r.total.bad], [0, 1]);
    await report.recount('2026-01-12', '2026-01-15');
    r = await report.report({ from: '2026-01-12', to: '2026-01-15', departmentId: null });
    assert.deepEqual([r.total.good, r.total.bad, r.total.opened], [1, 2, 6]);
  });

  it('a request closed, reopened and closed again is resolved once; a second transfer is not counted again', async () => {
    const { report, w, tickets } = await seededWeek();
    await w.staff.setOpen(admin, tickets.t1.number, true);
    await w.staff.setOpen(admin, tickets.t1.number, false);
    await w.staff.transfer(admin, tickets.c1.number, w.departments.client_relations!.id, 'Обратно.', 'again');
    const r = await report.report({ from: '2026-01-12', to: '2026-01-14', departmentId: null });
    assert.equal(r.total.resolution.count, 1);
    assert.equal(r.total.transfers, 1);
  });
});
