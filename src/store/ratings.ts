// Customers' ratings of their requests, one row per request.
import type { Knex } from 'knex';
import type { RatedTicket, RatingStore } from '../model/store';
import type { Rating, RatingChoice } from '../model/types';
import type { TableNames } from './tables';
import { num, numOrNull } from './dialect';

function toRating(row: Record<string, unknown>): Rating {
  return {
    ticketId: num(row.ticket_id),
    departmentId: num(row.department_id),
    rating: row.rating as RatingChoice,
    comment: String(row.comment ?? ''),
    staffId: (row.staff_id as string | null) ?? null,
    staffName: (row.staff_name as string | null) ?? null,
    ratedAt: num(row.rated_at),
    alertedAt: numOrNull(row.alerted_at),
  };
}

export function ratingStore(knex: Knex, t: TableNames): RatingStore {
  const inPeriod = (from: number, to: number) => knex(t.ratings).where('rated_at', '>=', from).andWhere('rated_at', '<', to);
  const goodAndBad = (query: Knex.QueryBuilder) =>
    query
      .select(knex.raw("sum(case when rating = 'good' then 1 else 0 end) as good"))
      .select(knex.raw("sum(case when rating = 'bad' then 1 else 0 end) as bad"));

  return {
    async find(ticketId) {
      const row = await knex(t.ratings).where('ticket_id', ticketId).first();
      return row ? toRating(row) : null;
    },

    /** The domain saves under the request's lock, so the update-or-insert never meets another. */
    async save(rating) {
      const row = {
        department_id: rating.departmentId,
        rating: rating.rating,
        comment: rating.comment,
        staff_id: rating.staffId,
        staff_name: rating.staffName,
        rated_at: rating.ratedAt,
        alerted_at: rating.alertedAt,
      };
      const changed = await knex(t.ratings).where('ticket_id', rating.ticketId).update(row);
      if (num(changed) === 0) await knex(t.ratings).insert({ ticket_id: rating.ticketId, ...row });
    },

    async counts(from, to) {
      const [departments, staff, names] = await Promise.all([
        goodAndBad(inPeriod(from, to).select('department_id').groupBy('department_id')),
        goodAndBad(inPeriod(from, to).whereNotNull('staff_id').select('staff_id').groupBy('staff_id')),
        // The name each staff member had in their latest rating of the period.
        inPeriod(from, to).whereNotNull('staff_id').orderBy('rated_at').select('staff_id', 'staff_name'),
      ]);
      const nameOf = new Map<string, string>(names.map((r: Record<string, unknown>) => [String(r.staff_id), String(r.staff_name ?? '')]));
      return {
        departments: departments.map((r: Record<string, unknown>) => ({
          departmentId: num(r.department_id),
          good: num(r.good),
          bad: num(r.bad),
        })),
        staff: staff.map((r: Record<string, unknown>) => ({
          staffId: String(r.staff_id),
          staffName: nameOf.get(String(r.staff_id)) ?? '',
          good: num(r.good),
          bad: num(r.bad),
        })),
      };
    },

    async ratedBad(ticketIds) {
      if (ticketIds.length === 0) return [];
      const rows = await knex(t.ratings).whereIn('ticket_id', ticketIds).andWhere('rating', 'bad').select('ticket_id');
      return rows.map((row: Record<string, unknown>) => num(row.ticket_id));
    },

    async latest(choice, from, to, limit): Promise<RatedTicket[]> {
      const rows = await knex(`${t.ratings} as r`)
        .join(`${t.tickets} as tk`, 'tk.id', 'r.ticket_id')
        .where('r.rating', choice)
        .andWhere('r.rated_at', '>=', from)
        .andWhere('r.rated_at', '<', to)
        .orderBy([
          { column: 'r.rated_at', order: 'desc' },
          { column: 'r.id', order: 'desc' },
        ])
        .limit(limit)
        .select('r.*', 'tk.number', 'tk.subject');
      return rows.map((row: Record<string, unknown>) => ({
        ...toRating(row),
        ticketNumber: String(row.number),
        subject: String(row.subject),
      }));
    },
  };
}
