// The admin's reports: for a period and a department (or all), the requests opened per day, the
// first-response and resolution times (median and 90th percentile, in working hours), the share
// kept within the regulation, ratings, transfers and the open backlog by age, in total and per
// staff member. A report reads days and months summed in advance (model/reports.ts): the
// background job sums today and yesterday (and their months) every few minutes and fills in older
// days; a day nobody summed yet is summed when a report asks for it, and an admin may have a
// period summed again. A period's whole months are read as months, the days at its edges as
// days. The open backlog is counted with the days, and kept: a report reads a few rows however
// many requests are open.
import type { Job } from '../model/jobs';
import type { BacklogCount, ReportDay } from '../model/reports';
import type { Store } from '../model/store';
import { ConflictError } from '../model/errors';
import type { Clock, Department } from '../model/types';
import { dayRows, sumRows, timeFigures, type TimeFigures } from './report-figures';
import { dayCount, dayOf, dayRange, daysFrom, lastDayOf, shiftDay, wholeMonths } from './calendar-days';

/** The longest period a report covers: a year, a leap one too. */
export const MAX_REPORT_DAYS = 366;
/** Older days the background job sums per run when it finds them missing. */
const BACKFILL_PER_RUN = 31;
/** How often the background job sums today again: how old a report's today may be. */
const REPORT_REFRESH_MS = 5 * 60_000;
/** The backlog's age bands: opened less than this many hours ago; the last band is older than them all. */
const BACKLOG_BAND_HOURS = [4, 24, 72, 168, 720] as const;

/**
 * A sum saved while another instance (the job, a page, Count again) saved the same one: its rows
 * were made from the same requests a moment apart, and they stand.
 */
async function oneSumStands(saving: Promise<void>): Promise<void> {
  try {
    await saving;
  } catch (err) {
    if (!(err instanceof ConflictError)) throw err;
  }
}

/** Items by a key of each, in their order. */
function groupBy<T, K>(items: T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}

/** A set of figures as the report shows them. */
export interface Summary {
  opened: number;
  /** Requests that left for another department first. */
  transfers: number;
  firstResponse: TimeFigures;
  resolution: TimeFigures;
  good: number;
  bad: number;
  /** Good of all ratings, 0..1; null without any. */
  goodShare: number | null;
}

function summaryOf(row: ReportDay): Summary {
  const rated = row.good + row.bad;
  return {
    opened: row.opened,
    transfers: row.transfers,
    firstResponse: timeFigures(row.firstResponse),
    resolution: timeFigures(row.resolution),
    good: row.good,
    bad: row.bad,
    goodShare: rated > 0 ? row.good / rated : null,
  };
}

interface BacklogBand {
  /** Hours since the opening: at least `fromHours`, less than `toHours` (null: no limit). */
  fromHours: number;
  toHours: number | null;
  open: number;
  overdue: number;
}

export interface Report {
  from: string;
  to: string;
  /** The department asked for; null for all. */
  departmentId: number | null;
  /** When the period's latest day was summed: the figures are as of then. */
  countedAt: number | null;
  total: Summary;
  /** Every day of the period, those without anything too. */
  days: Array<Summary & { day: string }>;
  /** Per department, when the report covers all of them. */
  departments: Array<Summary & { departmentId: number; department: Department | null }>;
  /** Per staff member: their first answers, the resolutions assigned to them, their ratings. */
  staff: Array<Summary & { staffId: string; staffName: string }>;
  backlog: { bands: BacklogBand[]; open: number; overdue: number };
}

export interface ReportQuery {
  from: string;
  to: string;
  departmentId: number | null;
}

export interface ReportDeps {
  store: Store;
  /** settings.timeZone: where the report's days begin and end. */
  timeZone: string;
  now?: Clock;
}

export function reports(deps: ReportDeps) {
  const { store, timeZone } = deps;
  const now = deps.now ?? Date.now;

  /** Sums one day from its facts, openings and ratings, and keeps it. */
  async function sumDay(day: string): Promise<void> {
    const { start, end } = dayRange(day, timeZone);
    const [facts, opened, ratings] = await Promise.all([
      store.reports.factsBetween(start, end),
      store.reports.openedBetween(start, end),
      store.reports.ratingsBetween(start, end),
    ]);
    const rows = dayRows(day, { facts, opened, ratings });
    await oneSumStands(store.transaction((tx) => tx.reports.saveDay(day, timeZone, rows, now())));
  }

  /** Sums a month (YYYY-MM) from its days' rows, per department and staff member. */
  async function sumMonth(month: string): Promise<void> {
    const rows = await store.reports.days(`${month}-01`, `${month}-31`, null, true);
    const sums = [...groupBy(rows, (r) => `${r.departmentId}|${r.staffId}`).values()].map((list) =>
      sumRows(list, month, list[0]!.departmentId, list[0]!.staffId),
    );
    await oneSumStands(store.transaction((tx) => tx.reports.saveMonth(month, sums)));
  }

  /** Sums these days, then each month they are in once (those summed before a stop too). */
  async function sumDays(days: string[], signal?: AbortSignal): Promise<void> {
    const months = new Set<string>();
    for (const day of days) {
      if (signal?.aborted) break;
      await sumDay(day);
      months.add(day.slice(0, 7));
    }
    for (const month of months) await sumMonth(month);
  }

  /** A period's last day, or today if it ends later: days to come have nothing to sum. */
  const upToToday = (to: string): string => [to, dayOf(now(), timeZone)].sort()[0]!;

  /** Sums the days of [from, to] up to today that nobody has summed (for this time zone); returns when each was summed. */
  async function sumMissing(from: string, to: string): Promise<Map<string, number>> {
    const last = upToToday(to);
    if (from > last) return new Map();
    const summed = await store.reports.builtDays(from, last, timeZone);
    if (summed.size === dayCount(from, last)) return summed;
    // Days before the first request have nothing to sum.
    const first = await store.reports.firstOpenedAt();
    if (first === null) return summed;
    const start = [from, dayOf(first, timeZone)].sort()[1]!;
    const missing = daysFrom(start, last).filter((day) => !summed.has(day));
    await sumDays(missing);
    for (const day of missing) summed.set(day, now());
    return summed;
  }

  /** Counts the open backlog by age now, and keeps the count for the reports until the next one. */
  async function countBacklog(): Promise<BacklogCount[]> {
    const at = now();
    const counts = await store.reports.countBacklog(
      BACKLOG_BAND_HOURS.map((hours) => at - hours * 3_600_000),
      at,
    );
    await oneSumStands(store.transaction((tx) => tx.reports.saveBacklog(counts, at)));
    return counts;
  }

  /** The backlog of these departments as last counted (counted now if it never was). */
  async function backlog(departmentIds: number[] | null): Promise<Report['backlog']> {
    const all = (await store.reports.keptBacklog()) ?? (await countBacklog());
    const counts = departmentIds ? all.filter((c) => departmentIds.includes(c.departmentId)) : all;
    const bands: BacklogBand[] = [0, ...BACKLOG_BAND_HOURS].map((fromHours, i) => ({
      fromHours,
      toHours: BACKLOG_BAND_HOURS[i] ?? null,
      open: 0,
      overdue: 0,
    }));
    for (const count of counts) {
      bands[count.band]!.open += count.open;
      bands[count.band]!.overdue += count.overdue;
    }
    return { bands, open: bands.reduce((s, b) => s + b.open, 0), overdue: bands.reduce((s, b) => s + b.overdue, 0) };
  }

  return {
    /** The departments a report may be asked for: every one, inactive ones too (their past counts). */
    departments: () => store.departments.list({ activeOnly: false }),

    /**
     * The background job's run: today and yesterday again (a day's figures change until it ends,
     * and a run may have missed midnight), then up to BACKFILL_PER_RUN older days never summed,
     * newest first, back to the first request's day.
     */
    async refresh(signal?: AbortSignal): Promise<void> {
      const today = dayOf(now(), timeZone);
      const yesterday = shiftDay(today, -1);
      await sumDays([yesterday, today], signal);
      await countBacklog();
      const first = await store.reports.firstOpenedAt();
      if (first === null || signal?.aborted) return;
      const oldest = dayOf(first, timeZone);
      const newest = shiftDay(yesterday, -1);
      if (oldest > newest) return;
      const summed = await store.reports.builtDays(oldest, newest, timeZone);
      const missing = daysFrom(oldest, newest).filter((day) => !summed.has(day));
      await sumDays(missing.reverse().slice(0, BACKFILL_PER_RUN), signal);
    },

    /** Sums every day of the period again (up to today) and counts the backlog: the admin's "Count again". */
    async recount(from: string, to: string): Promise<void> {
      const last = upToToday(to);
      await sumDays(from <= last ? daysFrom(from, last) : []);
      await countBacklog();
    },

    /** The report of a period (at most MAX_REPORT_DAYS, checked by the caller) for one department or all. */
    async report(query: ReportQuery): Promise<Report> {
      const { from, to, departmentId } = query;
      const summed = await sumMissing(from, to);
      const departmentIds = departmentId === null ? null : [departmentId];
      // The period's whole months are read as months; the days at its edges as days.
      const months = wholeMonths(from, to);
      const edges: Array<[string, string]> = months
        ? (
            [
              [from, shiftDay(`${months.first}-01`, -1)],
              [shiftDay(lastDayOf(months.last), 1), to],
            ] as Array<[string, string]>
          ).filter(([a, b]) => a <= b)
        : [[from, to]];
      const [monthRows, edgeRows, monthDays, departments, open] = await Promise.all([
        months ? store.reports.months(months.first, months.last, departmentIds) : [],
        Promise.all(edges.map(([a, b]) => store.reports.days(a, b, departmentIds, true))).then((lists) => lists.flat()),
        // The daily charts: the departments' rows of the days inside whole months too.
        months ? store.reports.days(`${months.first}-01`, lastDayOf(months.last), departmentIds, false) : [],
        store.departments.list({ activeOnly: false }),
        backlog(departmentIds),
      ]);
      const rows = [...monthRows, ...edgeRows];
      const daily = [...edgeRows.filter((r) => r.staffId === ''), ...monthDays];
      const departmentRows = rows.filter((r) => r.staffId === '');
      const byDay = groupBy(daily, (r) => r.day);
      const byDepartment = groupBy(departmentRows, (r) => r.departmentId);
      const byStaff = groupBy(
        rows.filter((r) => r.staffId !== ''),
        (r) => r.staffId,
      );
      const order = new Map(departments.map((d) => [d.id, d]));
      const lastSummed = [...summed.keys()].sort().at(-1);
      return {
        from,
        to,
        departmentId,
        countedAt: lastSummed ? summed.get(lastSummed)! : null,
        total: summaryOf(sumRows(departmentRows)),
        days: daysFrom(from, to).map((day) => ({ day, ...summaryOf(sumRows(byDay.get(day) ?? [])) })),
        departments:
          departmentId !== null
            ? []
            : [...byDepartment]
                .map(([id, list]) => ({ departmentId: id, department: order.get(id) ?? null, ...summaryOf(sumRows(list)) }))
                .sort((a, b) => (a.department?.order ?? Infinity) - (b.department?.order ?? Infinity) || a.departmentId - b.departmentId),
        staff: [...byStaff]
          .map(([staffId, list]) => {
            const total = sumRows(list);
            return { staffId, staffName: total.staffName, ...summaryOf(total) };
          })
          .sort((a, b) => a.staffName.localeCompare(b.staffName) || a.staffId.localeCompare(b.staffId)),
        backlog: open,
      };
    },
  };
}

export type Reports = ReturnType<typeof reports>;

/** Sums today's and yesterday's figures every few minutes, and fills in days never summed. */
export function reportJob(reportsOf: Reports, everyMs = REPORT_REFRESH_MS): Job {
  return {
    name: 'report-days',
    everyMs,
    runOnStart: true,
    run: ({ signal }) => reportsOf.refresh(signal),
  };
}
