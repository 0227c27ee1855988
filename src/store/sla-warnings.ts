// Service-level warnings sent, and the tickets that have one to send (tk_warn: is_open, warn_at).
import type { Knex } from 'knex';
import type { SlaWarningKind, SlaWarningStore } from '../model/store';
import type { Ticket } from '../model/types';
import type { TableNames } from './tables';
import { toTicket, type TicketRow } from './tickets';
import { withRefusals } from './refusals';

export function slaWarningStore(knex: Knex, t: TableNames): SlaWarningStore {
  return {
    async due(now: number, limit: number): Promise<Ticket[]> {
      const rows = await knex<TicketRow>(t.tickets).where('is_open', 1).andWhere('warn_at', '<=', now).orderBy('warn_at').limit(limit);
      return rows.map(toTicket);
    },

    async sent(ticketId: number, dueAt: number, kind: SlaWarningKind): Promise<boolean> {
      return (await knex(t.slaWarnings).where({ ticket_id: ticketId, due_at: dueAt, kind }).first('ticket_id')) !== undefined;
    },

    async record(ticketId: number, dueAt: number, kind: SlaWarningKind, at: number): Promise<void> {
      await withRefusals({ unique: 'slaWarning' }, () =>
        knex(t.slaWarnings).insert({ ticket_id: ticketId, due_at: dueAt, kind, sent_at: at }),
      );
    },
  };
}
