// The arithmetic of reports, with no storage: a day's facts summed into rows, rows summed over a
// period, and medians and 90th percentiles read from counts per time band.
//
// A day keeps its times as counts in a fixed set of bands (BAND_EDGES), so a row is a few dozen
// numbers however many requests it counts, and a period of any length sums arrays of the same
// short length. A percentile is read as the upper edge of its band ("at most 1 h 30 min"): the
// bands are a minute wide at first and widen as times grow, at the precision a support manager
// reads them at.
import type { BandCounts, RatingTally, ReportDay, ReportFact, TimeTally } from '../model/reports';

/**
 * The bands' upper edges, in working minutes: a time is in the first band whose edge it does not
 * pass; a time beyond the last edge (a year) counts in the last band.
 */
export const BAND_EDGES: readonly number[] = [
  1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30, 40, 50, 60, 75, 90, 105, 120, 150, 180, 210, 240, 300, 360, 420, 480, 600, 720, 900, 1080,
  1440, 1800, 2160, 2880, 3600, 4320, 5760, 7200, 8640, 10_080, 14_400, 20_160, 30_240, 43_200, 86_400, 129_600, 259_200, 525_600,
];

/** The band a time of `minutes` falls in. */
export function bandOf(minutes: number): number {
  let low = 0;
  let high = BAND_EDGES.length - 1;
  // The first edge at or above the time (binary search); past the last, the last band.
  while (low < high) {
    const mid = (low + high) >> 1;
    if (minutes <= BAND_EDGES[mid]!) high = mid;
    else low = mid + 1;
  }
  return low;
}

const emptyTally = (): TimeTally => ({ count: 0, targeted: 0, met: 0, bands: [] });

function addBands(into: BandCounts, from: BandCounts): void {
  for (let i = 0; i < from.length; i++) into[i] = (into[i] ?? 0) + (from[i] ?? 0);
}

/** Adds one tally to another (in place). */
function addTally(into: TimeTally, from: TimeTally): void {
  into.count += from.count;
  into.targeted += from.targeted;
  into.met += from.met;
  addBands(into.bands, from.bands);
}

/** Adds one timed fact to a tally (in place). */
function countFact(into: TimeTally, fact: ReportFact): void {
  into.count++;
  if (fact.met !== null) into.targeted++;
  if (fact.met === true) into.met++;
  const band = bandOf(fact.minutes ?? 0);
  for (let i = into.bands.length; i < band; i++) into.bands[i] = 0;
  into.bands[band] = (into.bands[band] ?? 0) + 1;
}

/**
 * The value at percentile `p` (0..1) by the nearest rank: the upper edge of the band that holds
 * the request at that rank, i.e. at least p of the requests took no longer. Null without any.
 */
export function percentile(bands: BandCounts, p: number): number | null {
  let total = 0;
  for (const count of bands) total += count ?? 0;
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(p * total));
  let seen = 0;
  for (let i = 0; i < bands.length; i++) {
    seen += bands[i] ?? 0;
    if (seen >= rank) return BAND_EDGES[i]!;
  }
  return BAND_EDGES[BAND_EDGES.length - 1]!;
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
    median: percentile(tally.bands, 0.5),
    p90: percentile(tally.bands, 0.9),
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

/** Rows summed into a new row with these keys, named as the last named row (a staff member's latest name). */
export function sumRows(rows: ReportDay[], day = '', departmentId = 0, staffId = ''): ReportDay {
  const total = emptyDayRow(day, departmentId, staffId);
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
