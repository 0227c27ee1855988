// Working-hours arithmetic on fixed instants: the due time of a target and the working time
// between two moments, across weekends, holidays, a worked Saturday, midnight in a zone other
// than UTC and daylight-saving changes.
import assert from 'node:assert/strict';
import { DateTime } from 'luxon';
import type { WorkingHours, WorkingSpan } from '../../src/model/types';
import { addWorkingMinutes, isWorkingAt, minutesOf, roundTheClock, workingTimeBetween } from '../../src/domain/working-hours';

const nineToSix: WorkingSpan[] = [['09:00', '18:00']];
/** Monday to Friday, 09:00–18:00 in Moscow (UTC+3 all year). */
const moscowOffice: WorkingHours = {
  timeZone: 'Europe/Moscow',
  week: { 1: nineToSix, 2: nineToSix, 3: nineToSix, 4: nineToSix, 5: nineToSix },
  holidays: [],
  workingDays: [],
};

/** An instant given as a wall-clock time in a zone. */
function at(local: string, zone: string): number {
  const time = DateTime.fromISO(local, { zone });
  assert.ok(time.isValid, local);
  return time.toMillis();
}

/** An instant as a wall-clock time in a zone, for readable failures. */
function wall(ms: number | null, zone: string): string | null {
  return ms === null ? null : (DateTime.fromMillis(ms, { zone }).toISO({ suppressMilliseconds: true, includeOffset: true }) as string);
}

const HOUR = 3_600_000;

describe('working hours', () => {
  it('counts within a day and carries the rest over a weekend', () => {
    const z = moscowOffice.timeZone;
    assert.equal(wall(addWorkingMinutes(at('2026-11-24T10:00', z), 60, moscowOffice), z), '2026-11-24T11:00:00+03:00');
    // Friday 17:00 + 2 h: one hour on Friday, one on Monday.
    assert.equal(wall(addWorkingMinutes(at('2026-11-27T17:00', z), 120, moscowOffice), z), '2026-11-30T10:00:00+03:00');
  });

  it('starts a target set outside working hours at the next working moment', () => {
    const z = moscowOffice.timeZone;
    // Sunday afternoon and Tuesday night both count from the next morning's 09:00.
    assert.equal(wall(addWorkingMinutes(at('2026-11-29T15:00', z), 60, moscowOffice), z), '2026-11-30T10:00:00+03:00');
    assert.equal(wall(addWorkingMinutes(at('2026-11-24T23:59', z), 30, moscowOffice), z), '2026-11-25T09:30:00+03:00');
    // Exactly at closing time nothing is left of the day.
    assert.equal(wall(addWorkingMinutes(at('2026-11-24T18:00', z), 1, moscowOffice), z), '2026-11-25T09:01:00+03:00');
  });

  it('skips a holiday and works a Saturday that makes up for it', () => {
    const z = moscowOffice.timeZone;
    const hours: WorkingHours = {
      ...moscowOffice,
      holidays: ['2026-12-31', '2027-01-01'],
      workingDays: [{ date: '2027-01-02', spans: [['10:00', '14:00']] }],
    };
    // Wednesday 17:30 + 1 h: half an hour on Wednesday; Thursday and Friday are holidays; Saturday works from 10:00.
    assert.equal(wall(addWorkingMinutes(at('2026-12-30T17:30', z), 60, hours), z), '2027-01-02T10:30:00+03:00');
    // A worked day that is also listed as a holiday is worked: the exception wins.
    const both: WorkingHours = { ...hours, holidays: [...hours.holidays, '2027-01-02'] };
    assert.equal(wall(addWorkingMinutes(at('2026-12-30T17:30', z), 60, both), z), '2027-01-02T10:30:00+03:00');
    assert.equal(isWorkingAt(at('2027-01-01T12:00', z), hours), false);
    assert.equal(isWorkingAt(at('2027-01-02T12:00', z), hours), true);
  });

  it('crosses midnight in a zone other than UTC, where the UTC date changes at another hour', () => {
    const z = 'Asia/Yekaterinburg'; // UTC+5: local midnight is 19:00 UTC
    const night: WorkingSpan[] = [
      ['00:00', '06:00'],
      ['22:00', '24:00'],
    ];
    const hours: WorkingHours = { timeZone: z, week: { 1: night, 2: night, 3: night, 4: night, 5: night }, holidays: [], workingDays: [] };
    // Tuesday 23:00 + 2 h: an hour before midnight, an hour after.
    const due = addWorkingMinutes(at('2026-11-24T23:00', z), 120, hours);
    assert.equal(wall(due, z), '2026-11-25T01:00:00+05:00');
    assert.equal(new Date(due as number).toISOString(), '2026-11-24T20:00:00.000Z');
    // Friday 23:00 + 2 h: Saturday is a day off, so the second hour is Monday's first.
    assert.equal(wall(addWorkingMinutes(at('2026-11-27T23:00', z), 120, hours), z), '2026-11-30T01:00:00+05:00');
  });

  it('keeps wall-clock hours across the spring daylight-saving change (Europe/Berlin)', () => {
    const z = 'Europe/Berlin';
    const always = roundTheClock(z);
    // 29 March 2026 has 23 hours: 24 working hours from Saturday noon end at Sunday 13:00 local.
    assert.equal(wall(addWorkingMinutes(at('2026-03-28T12:00', z), 24 * 60, always), z), '2026-03-29T13:00:00+02:00');
    assert.equal(workingTimeBetween(at('2026-03-29T00:00', z), at('2026-03-30T00:00', z), always), 23 * HOUR);
    // An office day that springs forward still opens at 09:00 on the wall and has 9 hours.
    const office: WorkingHours = { timeZone: z, week: { 7: nineToSix, 1: nineToSix }, holidays: [], workingDays: [] };
    assert.equal(wall(addWorkingMinutes(at('2026-03-29T00:30', z), 60, office), z), '2026-03-29T10:00:00+02:00');
    assert.equal(workingTimeBetween(at('2026-03-29T00:00', z), at('2026-03-30T00:00', z), office), 9 * HOUR);
  });

  it('counts the extra hour of the autumn change (Europe/Berlin)', () => {
    const z = 'Europe/Berlin';
    const always = roundTheClock(z);
    // 25 October 2026 has 25 hours.
    assert.equal(workingTimeBetween(at('2026-10-25T00:00', z), at('2026-10-26T00:00', z), always), 25 * HOUR);
    assert.equal(wall(addWorkingMinutes(at('2026-10-24T12:00', z), 24 * 60, always), z), '2026-10-25T11:00:00+01:00');
  });

  it('measures working time between two moments, and nothing backwards', () => {
    const z = moscowOffice.timeZone;
    // Friday 17:00 to Monday 10:00: one hour each side of the weekend.
    assert.equal(workingTimeBetween(at('2026-11-27T17:00', z), at('2026-11-30T10:00', z), moscowOffice), 2 * HOUR);
    assert.equal(workingTimeBetween(at('2026-11-30T10:00', z), at('2026-11-27T17:00', z), moscowOffice), 0);
    // The two functions agree: the due time of N minutes is N working minutes away.
    const from = at('2026-11-26T16:20', z);
    const due = addWorkingMinutes(from, 7 * 60, moscowOffice) as number;
    assert.equal(workingTimeBetween(from, due, moscowOffice), 7 * HOUR);
  });

  it('gives no due time for a schedule without working time, and reads clock times strictly', () => {
    const never: WorkingHours = { timeZone: 'UTC', week: {}, holidays: [], workingDays: [] };
    assert.equal(addWorkingMinutes(Date.UTC(2026, 10, 26), 60, never), null);
    assert.equal(minutesOf('09:30'), 570);
    assert.equal(minutesOf('24:00'), 1440);
    for (const bad of ['9:30', '24:01', '25:00', '12:60', '']) assert.equal(minutesOf(bad), null, bad);
  });
});
