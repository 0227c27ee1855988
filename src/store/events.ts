// The audit trail of staff actions on tickets.
import type { Knex } from 'knex';
import type { TicketEvent } from '../model/types';
import type { EventStore, NewTicketEvent } from '../model/store';
import type { TableNames } from './tables';
import { num } from './dialect';
import { withRefusals } from './refusals';
import { insertStatement } from './compiled';
import { sqlOn } from './sql';

const INSERT = insertStatement(
  (t) => t.events,
  ['ticket_id', 'actor_id', 'actor_name', 'action', 'detail', 'created_at', 'submission_key'],
);

export function eventStore(knex: Knex, t: TableNames): EventStore {
  const sql = sqlOn(knex, t);
  return {
    async record(events: NewTicketEvent[]): Promise<void> {
      if (events.length === 0) return;
      const rows = events.map((e) => ({
        ticket_id: e.ticketId,
        actor_id: e.actorId,
        actor_name: e.actorName,
        action: e.action,
        detail: JSON.stringify(e.detail),
        created_at: e.createdAt,
        submission_key: e.submissionKey ?? null,
      }));
      await withRefusals({ unique: 'eventSubmission' }, () => sql.insert(INSERT, rows));
    },

    /** Whether this actor's submission already made its change to the ticket. */
    async madeBySubmission(ticketId: number, actorId: string, submissionKey: string): Promise<boolean> {
      return (
        (await knex(t.events).where({ ticket_id: ticketId, actor_id: actorId, submission_key: submissionKey }).first('id')) !== undefined
      );
    },

    async forTicket(ticketId: number): Promise<TicketEvent[]> {
      const rows = await knex(t.events).where('ticket_id', ticketId).orderBy(['created_at', 'id']);
      return rows.map((row) => ({
        id: num(row.id),
        ticketId: num(row.ticket_id),
        actorId: row.actor_id,
        actorName: row.actor_name,
        action: row.action,
        detail: JSON.parse(row.detail),
        createdAt: num(row.created_at),
      }));
    },

    async moveAll(fromTicketId: number, toTicketId: number): Promise<void> {
      await knex(t.events).where('ticket_id', fromTicketId).update({ ticket_id: toTicketId });
    },
  };
}
