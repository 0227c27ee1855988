// The escalation steps paged for each urgent request, one row per (request, step): its unique key
// is what keeps two panel instances from paging the same step twice.
import type { Knex } from 'knex';
import type { EscalationPageStore } from '../model/store';
import type { TableNames } from './tables';
import { num } from './dialect';
import { withRefusals } from './refusals';

export function escalationPageStore(knex: Knex, t: TableNames): EscalationPageStore {
  return {
    async pagedSteps(ticketId) {
      const rows = await knex(t.escalationPages).where('ticket_id', ticketId).orderBy('step').select('step');
      return rows.map((r: { step: unknown }) => num(r.step));
    },

    async record(ticketId, step, at) {
      await withRefusals({ unique: 'escalationPage' }, () => knex(t.escalationPages).insert({ ticket_id: ticketId, step, paged_at: at }));
    },
  };
}
