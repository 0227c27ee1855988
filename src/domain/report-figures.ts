// The arithmetic of reports, with no storage: a day's facts summed into rows, rows summed over a
// period, and medians and 90th percentiles read from minute counts.
//
// A day keeps its times as counts per minute value, so a period of any length sums a few numbers
// per day instead of reading every request. Times are kept to the minute under an hour, to 5
// minutes under 4 hours, to 15 under a day, to the hour under a week and to the day beyond: the
// precision a support manager reads them at, and few enough values to keep a day small.
import type { MinuteCounts, RatingTally, ReportDay, ReportFact, TimeTally } from '../model/reports';

/** [below this many minutes, round to this many]; beyond the last, to a day. */
const PRECISION: ReadonlyArray<[number, number]> = [
  [60, 1],
  [240, 5],
  [1440, 15],
  [10_080, 60],
];

/** Working minutes at the precision a report keeps them. */
export function keptMinutes(minutes: number): number {
  const step = PRECISION.find(([below]) => minutes < below)?.[1] ?? 1440;
  return Math.round(minutes / step) * step;
}

const emptyTally = (): TimeTally => ({ count: 0, targeted: 0, met: 0, minutes: {} });

function addMinutes(into: MinuteCounts, from: MinuteCounts): void {
  for (const [minutes, count] of Object.entries(from)) into[minutes] = (into[minutes] ?? 0) + count;
}

/** Adds one tally to another (in place). */
function addTally(into: TimeTally, from: TimeTally): void {
  into.count += from.count;
  into.targeted += from.targeted;
  into.met += from.met;
  addMinutes(into.minutes, from.minutes);
}

/** Adds one timed fact to a tally (in place). */
function countFact(into: TimeTally, fact: ReportFact): void {
  into.count++;
  if (fact.met !== null) into.targeted++;
  if (fact.met === true) into.met++;
  const key = String(keptMinutes(fact.minutes ?? 0));
  into.minutes[key] = (into.minutes[key] ?? 0) + 1;
}

/**
 * The value at percentile `p` (0..1) by the nearest rank: the smallest time that at least p of
 * the requests took no longer than. Null without any.
 */
export function percentile(counts: MinuteCounts, p: number): number | null {
  const values = Object.entries(counts)
    .map(([minutes, count]) => [Number(minutes), count] as const)
    .sort((a, b) => a[0] - b[0]);
  const total = values.reduce((sum, [, count]) => sum + count, 0);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(p * total));
  let seen = 0;
  for (const [minutes, count] of values) {
    seen += count;
    if (seen >= rank) return minutes;
  }
  return values[values.length - 1]![0];
}

/** A time figure as a report shows it. */
export interface TimeFigures {
  count: number;
  median: number | null;
  p90: number | null;
  /** Of those with a target, the share that kept it, 0..1; null when none had one. */
  withinShare: number | null;
  met: number;
  targeted: number;
}

export function timeFigures(tally: TimeTally): TimeFigures {
  return {
    count: tally.count,
    median: percentile(tally.minutes, 0.5),
    p90: percentile(tally.minutes, 0.9),
    withinShare: tally.targeted > 0 ? tally.met / tally.targeted : null,
    met: tally.met,
    targeted: tally.targeted,
  };
}

const emptyDayRow = (day: string, departmentId: number, staffId = '', staffName = ''): ReportDay => ({
  day,
  departmentId,
  staffId,
  staffName,
  opened: 0,
  transfers: 0,
  firstResponse: emptyTally(),
  resolution: emptyTally(),
  good: 0,
  bad: 0,
});

/** What happened on one day, as the store gives it. */
export interface DayInput {
  facts: ReportFact[];
  opened: Array<{ departmentId: number; opened: number }>;
  ratings: RatingTally[];
}

/**
 * A day's rows: one per department with anything on the day (staffId ''), and one per staff
 * member per department for the answers, resolutions and ratings that were theirs.
 */
export function dayRows(day: string, input: DayInput): ReportDay[] {
  const rows = new Map<string, ReportDay>();
  const row = (departmentId: number, staffId = '', staffName = '') => {
    const key = `${departmentId}|${staffId}`;
    const found = rows.get(key) ?? emptyDayRow(day, departmentId, staffId, staffName);
    // The latest name seen for the staff member that day.
    if (staffName) found.staffName = staffName;
    rows.set(key, found);
    return found;
  };
  for (const { departmentId, opened } of input.opened) row(departmentId).opened += opened;
  for (const fact of input.facts) {
    const staff = fact.staffId ? row(fact.departmentId, fact.staffId, fact.staffName ?? '') : null;
    if (fact.kind === 'transfer') row(fact.departmentId).transfers++;
    const tally = fact.kind === 'firstResponse' ? 'firstResponse' : fact.kind === 'resolution' ? 'resolution' : null;
    if (!tally) continue;
    countFact(row(fact.departmentId)[tally], fact);
    if (staff) countFact(staff[tally], fact);
  }
  for (const rating of input.ratings) {
    const targets = [row(rating.departmentId)];
    if (rating.staffId) targets.push(row(rating.departmentId, rating.staffId, rating.staffName ?? ''));
    for (const target of targets) {
      target.good += rating.good;
      target.bad += rating.bad;
    }
  }
  return [...rows.values()];
}

/** Rows summed into one (in place into a new row carrying the first row's keys). */
export function sumRows(rows: ReportDay[], day = '', departmentId = 0, staffId = '', staffName = ''): ReportDay {
  const total = emptyDayRow(day, departmentId, staffId, staffName);
  for (const r of rows) {
    total.opened += r.opened;
    total.transfers += r.transfers;
    addTally(total.firstResponse, r.firstResponse);
    addTally(total.resolution, r.resolution);
    total.good += r.good;
    total.bad += r.bad;
    if (r.staffName) total.staffName = r.staffName;
  }
  return total;
}
