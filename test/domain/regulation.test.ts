// A regulation's promise for a request as it moves: opened, answered, the customer's reply, a
// priority change, a transfer to a department with other hours, and the resolution target's pause.
import assert from 'node:assert/strict';
import { DateTime } from 'luxon';
import type { Regulation, WorkingSpan } from '../../src/model/types';
import { resolutionDue, responseDue, standing, targetsFor, type WaitState } from '../../src/domain/regulation';
import { roundTheClock } from '../../src/domain/working-hours';

const Z = 'Europe/Moscow';
const nineToSix: WorkingSpan[] = [['09:00', '18:00']];
const technical: Regulation = {
  targets: { firstResponse: 240, nextResponse: 120, resolution: 16 * 60 },
  byPriority: { urgent: { firstResponse: 30, nextResponse: 30 }, low: { firstResponse: null } },
  hours: { timeZone: Z, week: { 1: nineToSix, 2: nineToSix, 3: nineToSix, 4: nineToSix, 5: nineToSix }, holidays: [], workingDays: [] },
};
const emergency: Regulation = {
  targets: { firstResponse: 15, nextResponse: 15, resolution: null },
  byPriority: {},
  hours: roundTheClock(Z),
};

const at = (local: string) => DateTime.fromISO(local, { zone: Z }).toMillis();
const wall = (ms: number | null | undefined) => (ms == null ? null : DateTime.fromMillis(ms, { zone: Z }).toFormat('ccc yyyy-MM-dd HH:mm'));

const opened: WaitState = {
  status: 'new',
  priority: 'normal',
  createdAt: at('2026-11-27T16:00'),
  waitingSince: at('2026-11-27T16:00'),
  pausedMs: 0,
};

describe('response regulation', () => {
  it('promises the first answer of a new request within the first-response target, in working hours', () => {
    const due = responseDue(opened, technical);
    assert.deepEqual({ ...due, at: wall(due?.at) }, { kind: 'firstResponse', at: 'Mon 2026-11-30 11:00', minutes: 240 });
  });

  it('stops the clock while the request waits for the customer, and restarts it at their reply with the next-response target', () => {
    assert.equal(responseDue({ ...opened, status: 'answered' }, technical), null);
    assert.equal(responseDue({ ...opened, status: 'closed' }, technical), null);
    const replied = { ...opened, status: 'waiting' as const, waitingSince: at('2026-11-30T17:30') };
    const due = responseDue(replied, technical);
    assert.deepEqual({ ...due, at: wall(due?.at) }, { kind: 'nextResponse', at: 'Tue 2026-12-01 10:30', minutes: 120 });
  });

  it("takes a priority's own target over the department's, and none where the priority promises none", () => {
    assert.equal(targetsFor(technical, 'urgent').firstResponse, 30);
    assert.equal(targetsFor(technical, 'urgent').resolution, 16 * 60, 'what the priority does not set stays the department’s');
    assert.equal(wall(responseDue({ ...opened, priority: 'urgent' }, technical)?.at), 'Fri 2026-11-27 16:30');
    assert.equal(responseDue({ ...opened, priority: 'low' }, technical), null);
  });

  it("applies the new department's targets and hours after a transfer", () => {
    // Friday 17:50: the technical department would owe it on Monday; a round-the-clock one in 15 minutes.
    const late = { ...opened, createdAt: at('2026-11-27T17:50'), waitingSince: at('2026-11-27T17:50') };
    assert.equal(wall(responseDue(late, technical)?.at), 'Mon 2026-11-30 12:50');
    assert.equal(wall(responseDue(late, emergency)?.at), 'Fri 2026-11-27 18:05');
  });

  it('adds the time spent waiting for the customer to the resolution target', () => {
    // 16 working hours from Friday 16:00: Friday's 2, Monday's 9, Tuesday's 5 → Tuesday 14:00.
    assert.equal(wall(resolutionDue(opened, technical)), 'Tue 2026-12-01 14:00');
    assert.equal(wall(resolutionDue({ ...opened, pausedMs: 3 * 3_600_000 }, technical)), 'Tue 2026-12-01 17:00');
    assert.equal(resolutionDue({ ...opened, status: 'closed' }, technical), null);
    assert.equal(resolutionDue(opened, emergency), null);
  });

  it('reads a due time as time left or time overdue, never as a negative span', () => {
    assert.deepEqual(standing(1_000, 400), { overdue: false, ms: 600 });
    assert.deepEqual(standing(1_000, 1_900), { overdue: true, ms: 900 });
  });
});
