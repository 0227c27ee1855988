// Time that counts toward a response target: only a department's working hours. A day's spans are
// wall-clock times in the department's zone, turned into instants one local day at a time, so a
// daylight-saving change, a holiday or midnight in another zone falls where the calendar puts it.
import { DateTime } from 'luxon';
import type { WorkingHours, WorkingSpan, Weekday } from '../model/types';

const MINUTE = 60_000;
/** How far ahead a target is looked for: a schedule with no working time in a year is broken. */
const MAX_DAYS = 400;

/** Every day, all day: what an emergency department that never sleeps works. */
export function roundTheClock(timeZone = 'UTC'): WorkingHours {
  const allDay: WorkingSpan[] = [['00:00', '24:00']];
  return {
    timeZone,
    week: { 1: allDay, 2: allDay, 3: allDay, 4: allDay, 5: allDay, 6: allDay, 7: allDay },
    holidays: [],
    workingDays: [],
  };
}

/** "09:30" → minutes after midnight; null when it is not a time of day ("24:00" is the day's end). */
export function minutesOf(clock: string): number | null {
  const match = /^([01]\d|2[0-4]):([0-5]\d)$/.exec(clock);
  if (!match) return null;
  const minutes = Number(match[1]) * 60 + Number(match[2]);
  return minutes <= 24 * 60 ? minutes : null;
}

/** The spans that apply on a local date: a worked day's own, nothing on a holiday, else the week's. */
function spansOn(day: DateTime, hours: WorkingHours): WorkingSpan[] {
  const date = day.toISODate() as string;
  const worked = hours.workingDays.find((d) => d.date === date);
  if (worked) return worked.spans;
  if (hours.holidays.includes(date)) return [];
  return hours.week[day.weekday as Weekday] ?? [];
}

/** A local date's working spans as instants, in order. */
function intervalsOn(day: DateTime, hours: WorkingHours): Array<[number, number]> {
  // By the wall clock from the local midnight, not by elapsed minutes: on the day clocks spring
  // forward, "09:00" is still 09:00 (a time inside the skipped hour moves past it).
  const instant = (clock: string) => {
    const m = minutesOf(clock) ?? 0;
    return m === 24 * 60 ? day.plus({ days: 1 }).toMillis() : day.set({ hour: Math.floor(m / 60), minute: m % 60 }).toMillis();
  };
  return spansOn(day, hours)
    .map(([from, to]): [number, number] => [instant(from), instant(to)])
    .filter(([start, end]) => end > start)
    .sort((a, b) => a[0] - b[0]);
}

/** The working intervals from the local day of `from` on, one day at a time. */
function* intervalsFrom(from: number, hours: WorkingHours): Generator<[number, number]> {
  let day = DateTime.fromMillis(from, { zone: hours.timeZone }).startOf('day');
  for (let i = 0; i < MAX_DAYS; i++) {
    yield* intervalsOn(day, hours);
    day = day.plus({ days: 1 }).startOf('day');
  }
}

/** Whether the department is at work at this instant. */
export function isWorkingAt(at: number, hours: WorkingHours): boolean {
  return intervalsOn(DateTime.fromMillis(at, { zone: hours.timeZone }).startOf('day'), hours).some(([s, e]) => at >= s && at < e);
}

/**
 * The instant when `minutes` of working time have passed since `from`: a target's due time. A
 * start outside working hours counts from the next working moment. Null when the schedule has no
 * working time within a year.
 */
export function addWorkingMinutes(from: number, minutes: number, hours: WorkingHours): number | null {
  let left = minutes * MINUTE;
  for (const [start, end] of intervalsFrom(from, hours)) {
    if (end <= from) continue;
    const begin = Math.max(start, from);
    if (left <= end - begin) return begin + left;
    left -= end - begin;
  }
  return null;
}

/** Working time between two instants, in milliseconds: how long a request waited by the regulation's clock. */
export function workingTimeBetween(from: number, to: number, hours: WorkingHours): number {
  if (to <= from) return 0;
  let total = 0;
  for (const [start, end] of intervalsFrom(from, hours)) {
    if (start >= to) break;
    if (end <= from) continue;
    total += Math.min(end, to) - Math.max(start, from);
  }
  return total;
}
