// Days as the calendar has them (YYYY-MM-DD) in a time zone: what a report's period, a day's sums,
// a holiday and a worked day off are written in. Luxon does the calendar: a day that does not exist
// (2027-02-30) is refused, and a day is 23 or 25 hours long across a daylight-saving change.
import { DateTime } from 'luxon';

const DAY_FORMAT = /^\d{4}-\d{2}-\d{2}$/;

/** The day (YYYY-MM-DD) an instant falls on in a time zone. */
export function dayOf(at: number, timeZone: string): string {
  return DateTime.fromMillis(at, { zone: timeZone }).toISODate() as string;
}

/** A YYYY-MM-DD day that exists in the calendar; null for anything else. */
export function validDay(text: string, timeZone: string): string | null {
  if (!DAY_FORMAT.test(text)) return null;
  const day = DateTime.fromISO(text, { zone: timeZone });
  return day.isValid ? (day.toISODate() as string) : null;
}

/** The day `count` days after `day` (before, when negative). */
export function shiftDay(day: string, count: number): string {
  return DateTime.fromISO(day, { zone: 'UTC' }).plus({ days: count }).toISODate() as string;
}

/** Days from `from` to `to`, both included. */
export function daysFrom(from: string, to: string): string[] {
  const days: string[] = [];
  for (let day = from; day <= to; day = shiftDay(day, 1)) days.push(day);
  return days;
}

/** How many days [from, to] holds, both included. */
export function dayCount(from: string, to: string): number {
  return DateTime.fromISO(to, { zone: 'UTC' }).diff(DateTime.fromISO(from, { zone: 'UTC' }), 'days').days + 1;
}

/** Days [from, to] as instants [start, end) in a time zone. */
export function periodBounds(from: string, to: string, timeZone: string): { start: number; end: number } {
  return { start: dayRange(from, timeZone).start, end: dayRange(to, timeZone).end };
}

/** The last day (YYYY-MM-DD) of a month (YYYY-MM). */
export function lastDayOf(month: string): string {
  return DateTime.fromISO(`${month}-01`, { zone: 'UTC' }).endOf('month').toISODate() as string;
}

/** The first and last month (YYYY-MM) wholly inside [from, to]; null when none is. */
export function wholeMonths(from: string, to: string): { first: string; last: string } | null {
  const first = from.endsWith('-01') ? from.slice(0, 7) : shiftDay(lastDayOf(from.slice(0, 7)), 1).slice(0, 7);
  const last = lastDayOf(to.slice(0, 7)) === to ? to.slice(0, 7) : shiftDay(`${to.slice(0, 7)}-01`, -1).slice(0, 7);
  return first <= last ? { first, last } : null;
}

/** A day as instants [start, end) in a time zone (23 or 25 hours on a daylight-saving change). */
export function dayRange(day: string, timeZone: string): { start: number; end: number } {
  const start = DateTime.fromISO(day, { zone: timeZone }).startOf('day');
  return { start: start.toMillis(), end: start.plus({ days: 1 }).toMillis() };
}
