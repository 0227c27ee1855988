// The reports' facts, day sums and built days (model/reports.ts), and the two live counts a
// report reads from tickets: openings of a day (tk_created) and the open backlog (tk_q_dep).
import type { Knex } from 'knex';
import type {
  BacklogCount,
  BandCounts,
  RatingTally,
  ReportDay,
  ReportFact,
  ReportFactKind,
  ReportStore,
  TimeTally,
} from '../model/reports';
import type { TableNames } from './tables';
import { num, numOrNull } from './dialect';
import { withRefusals } from './refusals';

/** Rows per insert: well under SQLite's limit on bound values. */
const INSERT_CHUNK = 40;

function toFact(row: Record<string, unknown>): ReportFact {
  return {
    ticketId: num(row.ticket_id),
    kind: row.kind as ReportFactKind,
    at: num(row.at),
    departmentId: num(row.department_id),
    staffId: (row.staff_id as string | null) ?? null,
    staffName: (row.staff_name as string | null) ?? null,
    minutes: numOrNull(row.minutes),
    targetMinutes: numOrNull(row.target_minutes),
    met: row.met === null || row.met === undefined ? null : Boolean(num(row.met)),
  };
}

/** A row's band counts: a JSON array of whole numbers; anything else (a damaged row) counts nothing. */
function bandsOf(text: unknown): BandCounts {
  try {
    const parsed: unknown = JSON.parse(String(text ?? '[]'));
    return Array.isArray(parsed) ? parsed.map((n) => (Number.isFinite(n) ? Number(n) : 0)) : [];
  } catch {
    return [];
  }
}

/** Band counts as stored: without the empty bands at the end. */
function bandsText(bands: BandCounts): string {
  let length = bands.length;
  while (length > 0 && !bands[length - 1]) length--;
  return JSON.stringify(Array.from({ length }, (_, i) => bands[i] ?? 0));
}

const tallyColumns = (prefix: string, tally: TimeTally) => ({
  [`${prefix}_count`]: tally.count,
  [`${prefix}_targeted`]: tally.targeted,
  [`${prefix}_met`]: tally.met,
  [`${prefix}_bands`]: bandsText(tally.bands),
});

const tallyOf = (row: Record<string, unknown>, prefix: string): TimeTally => ({
  count: num(row[`${prefix}_count`]),
  targeted: num(row[`${prefix}_targeted`]),
  met: num(row[`${prefix}_met`]),
  bands: bandsOf(row[`${prefix}_bands`]),
});

function toReportDay(row: Record<string, unknown>): ReportDay {
  return {
    day: String(row.day),
    departmentId: num(row.department_id),
    staffId: String(row.staff_id),
    staffName: String(row.staff_name ?? ''),
    opened: num(row.opened),
    transfers: num(row.transfers),
    firstResponse: tallyOf(row, 'first'),
    resolution: tallyOf(row, 'resolved'),
    good: num(row.good),
    bad: num(row.bad),
  };
}

export function reportStore(knex: Knex, t: TableNames): ReportStore {
  /**
   * Inserts a sum's rows a chunk at a time. Another instance summing the same thing at the same
   * moment inserts the same keys: its refusal says one sum stands (ConflictError 'reportSum').
   */
  async function insertSum(table: string, rows: object[]): Promise<void> {
    await withRefusals({ unique: 'reportSum' }, async () => {
      for (let i = 0; i < rows.length; i += INSERT_CHUNK) await knex(table).insert(rows.slice(i, i + INSERT_CHUNK));
    });
  }

  /** Replaces the rows of one day or month (`key` is its column) with these. */
  async function replaceRows(table: string, key: 'day' | 'month', period: string, rows: ReportDay[]): Promise<void> {
    await knex(table).where(key, period).delete();
    const records = rows.map((r) => ({
      [key]: period,
      department_id: r.departmentId,
      staff_id: r.staffId,
      staff_name: r.staffName,
      opened: r.opened,
      transfers: r.transfers,
      ...tallyColumns('first', r.firstResponse),
      ...tallyColumns('resolved', r.resolution),
      good: r.good,
      bad: r.bad,
    }));
    await insertSum(table, records);
  }

  return {
    async recordFact(fact) {
      await knex(t.reportFacts)
        .insert({
          ticket_id: fact.ticketId,
          kind: fact.kind,
          at: fact.at,
          department_id: fact.departmentId,
          staff_id: fact.staffId,
          staff_name: fact.staffName,
          minutes: fact.minutes,
          target_minutes: fact.targetMinutes,
          met: fact.met,
        })
        .onConflict(['ticket_id', 'kind'])
        .ignore();
    },

    async factsBetween(from, to) {
      const rows = await knex(t.reportFacts).where('at', '>=', from).andWhere('at', '<', to).orderBy('at').orderBy('id');
      return rows.map(toFact);
    },

    async openedBetween(from, to) {
      // The department it was opened in: the one its first transfer left, else where it is.
      const department = knex.raw('coalesce(f.department_id, tk.department_id)');
      const rows = await knex(`${t.tickets} as tk`)
        .leftJoin(`${t.reportFacts} as f`, (join) => join.on('f.ticket_id', 'tk.id').andOnVal('f.kind', 'transfer'))
        .where('tk.created_at', '>=', from)
        .andWhere('tk.created_at', '<', to)
        .groupBy(department)
        .select({ department_id: department })
        .count({ opened: '*' });
      return rows.map((r: Record<string, unknown>) => ({ departmentId: num(r.department_id), opened: num(r.opened) }));
    },

    async ratingsBetween(from, to): Promise<RatingTally[]> {
      const rows = await knex(t.ratings)
        .where('rated_at', '>=', from)
        .andWhere('rated_at', '<', to)
        .groupBy('department_id', 'staff_id')
        .select('department_id', 'staff_id')
        .max({ staff_name: 'staff_name' })
        .select(knex.raw("sum(case when rating = 'good' then 1 else 0 end) as good"))
        .select(knex.raw("sum(case when rating = 'bad' then 1 else 0 end) as bad"));
      return rows.map((r: Record<string, unknown>) => ({
        departmentId: num(r.department_id),
        staffId: (r.staff_id as string | null) ?? null,
        staffName: (r.staff_name as string | null) ?? null,
        good: num(r.good),
        bad: num(r.bad),
      }));
    },

    async firstOpenedAt() {
      const row = await knex(t.tickets).min({ first: 'created_at' }).first();
      return numOrNull(row?.first);
    },

    async saveDay(day, timeZone, rows, builtAt) {
      await replaceRows(t.reportDays, 'day', day, rows);
      await knex(t.reportBuilt).insert({ day, time_zone: timeZone, built_at: builtAt }).onConflict('day').merge();
    },

    async saveMonth(month, rows) {
      await replaceRows(t.reportMonths, 'month', month, rows);
    },

    async months(fromMonth, toMonth, departmentIds) {
      const query = knex(t.reportMonths).whereBetween('month', [fromMonth, toMonth]);
      if (departmentIds) query.whereIn('department_id', departmentIds);
      const rows: Array<Record<string, unknown>> = await query;
      return rows.map((row) => toReportDay({ ...row, day: row.month }));
    },

    async builtDays(fromDay, toDay, timeZone) {
      const rows = await knex(t.reportBuilt).whereBetween('day', [fromDay, toDay]).andWhere('time_zone', timeZone);
      return new Map(rows.map((r: Record<string, unknown>) => [String(r.day), num(r.built_at)]));
    },

    async days(fromDay, toDay, departmentIds, staff) {
      // The departments' own rows come by the rd_dep index (staff_id '', day), without the staff rows.
      const query = staff ? knex(t.reportDays) : knex(t.reportDays).where('staff_id', '');
      query.whereBetween('day', [fromDay, toDay]);
      if (departmentIds) query.whereIn('department_id', departmentIds);
      const rows: Array<Record<string, unknown>> = await query;
      return rows.map(toReportDay);
    },

    async countBacklog(bands, now): Promise<BacklogCount[]> {
      // The instants are written into the SQL (whole numbers we made), not bound: PostgreSQL
      // takes an expression in GROUP BY for the selected one only when their text is the same.
      const cases = bands.map((at, i) => `when created_at >= ${Math.trunc(Number(at))} then ${i}`).join(' ');
      const band = knex.raw(`case ${cases} else ${bands.length} end`);
      const rows = await knex(t.tickets)
        .where('is_open', 1)
        .groupBy('department_id', band)
        .select('department_id', { band })
        .count({ open: '*' })
        .select(knex.raw('sum(case when due_at is not null and due_at < ? then 1 else 0 end) as overdue', [now]));
      return rows.map((r: Record<string, unknown>) => ({
        departmentId: num(r.department_id),
        band: num(r.band),
        open: num(r.open),
        overdue: num(r.overdue),
      }));
    },

    async saveBacklog(counts, countedAt) {
      await knex(t.reportBacklog).delete();
      const rows = counts.map((c) => ({
        department_id: c.departmentId,
        band: c.band,
        open_count: c.open,
        overdue_count: c.overdue,
        counted_at: countedAt,
      }));
      await insertSum(t.reportBacklog, rows);
    },

    async keptBacklog() {
      const rows: Array<Record<string, unknown>> = await knex(t.reportBacklog);
      if (rows.length === 0) return null;
      return rows.map((r) => ({
        departmentId: num(r.department_id),
        band: num(r.band),
        open: num(r.open_count),
        overdue: num(r.overdue_count),
      }));
    },
  };
}
