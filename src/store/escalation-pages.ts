// The escalation steps paged for each urgent request, one row per (request, step): its unique key
// is what keeps two panel instances from paging the same step twice.
import type { Knex } from 'knex';
import type { EscalationPageStore } from '../model/store';
import type { TableNames } from './tables';
import { num } from './dialect';
import { withRefusals } from './refusals';

export function escalationPageStore(knex: Knex, t: TableNames): EscalationPageStore {
  return {
    async pagedSteps(ticketIds) {
      const paged = new Map<number, number[]>();
      if (ticketIds.length === 0) return paged;
      const rows = await knex(t.escalationPages).whereIn('ticket_id', ticketIds).orderBy(['ticket_id', 'step']).select('ticket_id', 'step');
      for (const row of rows as Array<{ ticket_id: unknown; step: unknown }>) {
        const id = num(row.ticket_id);
        paged.set(id, [...(paged.get(id) ?? []), num(row.step)]);
      }
      return paged;
    },

    async record(ticketId, step, at) {
      await withRefusals({ unique: 'escalationPage' }, () => knex(t.escalationPages).insert({ ticket_id: ticketId, step, paged_at: at }));
    },
  };
}
