// Incidents with knex: the incidents, the requests linked to them, their updates and which
// request each update reached. The open incidents are read on every create and on the
// customer's list and form, so they are kept in memory like the departments (a copy at most
// DEPARTMENTS_KEPT_MS old; a change through this instance clears it once it has ended).
import type { Knex } from 'knex';
import type { Locale } from '../host';
import type { Incident, IncidentLink, IncidentStore, IncidentUpdate, NewIncident, NewIncidentUpdate } from '../model/incidents';
import type { TableNames } from './tables';
import type { KeptList } from './department-cache';
import { insertReturningId, num, numOrNull } from './dialect';
import { withRefusals } from './refusals';
import { toTicket, type TicketRow } from './tickets';

function toIncident(row: Record<string, unknown>): Incident {
  return {
    id: num(row.id),
    departmentId: num(row.department_id),
    title: { ru: String(row.title_ru), en: String(row.title_en) },
    body: { ru: String(row.body_ru), en: String(row.body_en) },
    affects: row.affects as Incident['affects'],
    targets: JSON.parse(String(row.targets)) as string[],
    authorId: String(row.author_id),
    authorName: String(row.author_name),
    createdAt: num(row.created_at),
    resolvedAt: numOrNull(row.resolved_at),
  };
}

function toUpdate(row: Record<string, unknown>): IncidentUpdate {
  return {
    id: num(row.id),
    incidentId: num(row.incident_id),
    body: { ru: String(row.body_ru), en: String(row.body_en) },
    // MySQL and SQLite give booleans as 0/1.
    final: Boolean(num(row.is_final)),
    closeLinked: Boolean(num(row.close_linked)),
    authorId: String(row.author_id),
    authorName: String(row.author_name),
    createdAt: num(row.created_at),
    finishedAt: numOrNull(row.finished_at),
    reached: num(row.reached ?? 0),
  };
}

const texts = (prefix: string, value: Record<Locale, string>) => ({ [`${prefix}_ru`]: value.ru, [`${prefix}_en`]: value.en });

/** `wrote` is told of every change to the incidents, so the kept copy of the open ones is dropped. */
export function incidentStore(knex: Knex, t: TableNames, kept: KeptList<Incident>, wrote: () => void): IncidentStore {
  const updates = () =>
    knex(`${t.incidentUpdates} as u`).select(
      'u.*',
      knex(t.incidentDeliveries).count('*').where('update_id', knex.ref('u.id')).as('reached'),
    );
  const written = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } finally {
      wrote();
    }
  };

  return {
    create(incident: NewIncident) {
      return written(() =>
        withRefusals({ unique: 'incidentSubmission' }, () =>
          insertReturningId(knex, t.incidents, {
            department_id: incident.departmentId,
            ...texts('title', incident.title),
            ...texts('body', incident.body),
            affects: incident.affects,
            targets: JSON.stringify(incident.targets),
            author_id: incident.authorId,
            author_name: incident.authorName,
            submission_key: incident.submissionKey,
            created_at: incident.createdAt,
          }),
        ),
      );
    },

    async findBySubmission(submissionKey) {
      const row = await knex(t.incidents).where('submission_key', submissionKey).first();
      return row ? toIncident(row) : null;
    },

    async find(id) {
      const row = await knex(t.incidents).where('id', id).first();
      return row ? toIncident(row) : null;
    },

    async list(departmentIds, state, limit) {
      const query = knex(t.incidents)
        .orderBy([
          { column: 'created_at', order: 'desc' },
          { column: 'id', order: 'desc' },
        ])
        .limit(limit);
      if (state === 'open') query.whereNull('resolved_at');
      else query.whereNotNull('resolved_at');
      if (departmentIds) query.whereIn('department_id', departmentIds);
      return (await query).map(toIncident);
    },

    open() {
      return kept.all(async () => (await knex(t.incidents).whereNull('resolved_at').orderBy('id', 'desc')).map(toIncident));
    },

    resolve(id, at) {
      return written(async () => (await knex(t.incidents).where('id', id).whereNull('resolved_at').update({ resolved_at: at })) > 0);
    },

    async link(pairs, by, at) {
      if (pairs.length === 0) return;
      const rows = pairs.map((p) => ({
        incident_id: p.incidentId,
        ticket_id: p.ticketId,
        linked_by_id: by?.id ?? null,
        linked_by_name: by?.name ?? null,
        created_at: at,
      }));
      await knex(t.incidentLinks).insert(rows).onConflict(['incident_id', 'ticket_id']).ignore();
    },

    async unlink(incidentId, ticketId) {
      return (await knex(t.incidentLinks).where({ incident_id: incidentId, ticket_id: ticketId }).delete()) > 0;
    },

    async linked(incidentId) {
      const rows = await knex(`${t.incidentLinks} as l`)
        .join(`${t.tickets} as tk`, 'tk.id', 'l.ticket_id')
        .where('l.incident_id', incidentId)
        .orderBy([
          { column: 'l.created_at', order: 'desc' },
          { column: 'tk.id', order: 'desc' },
        ])
        .select('tk.*', 'l.linked_by_name', 'l.created_at as linked_at');
      return rows.map((row: Record<string, unknown>): IncidentLink => ({
        ticket: toTicket(row as unknown as TicketRow),
        linkedBy: (row.linked_by_name as string | null) ?? null,
        linkedAt: num(row.linked_at),
      }));
    },

    async ofTicket(ticketId) {
      const rows = await knex(`${t.incidents} as i`)
        .join(`${t.incidentLinks} as l`, 'l.incident_id', 'i.id')
        .where('l.ticket_id', ticketId)
        .orderBy('i.id', 'desc')
        .select('i.*');
      return rows.map(toIncident);
    },

    addUpdate(update: NewIncidentUpdate) {
      return withRefusals({ unique: 'incidentUpdateSubmission' }, () =>
        insertReturningId(knex, t.incidentUpdates, {
          incident_id: update.incidentId,
          ...texts('body', update.body),
          is_final: update.final,
          close_linked: update.closeLinked,
          author_id: update.authorId,
          author_name: update.authorName,
          submission_key: update.submissionKey,
          created_at: update.createdAt,
        }),
      );
    },

    async findUpdateBySubmission(submissionKey) {
      const row = await updates().where('u.submission_key', submissionKey).first();
      return row ? toUpdate(row) : null;
    },

    async findUpdate(id) {
      const row = await updates().where('u.id', id).first();
      return row ? toUpdate(row) : null;
    },

    async updates(incidentId) {
      return (await updates().where('u.incident_id', incidentId).orderBy('u.id')).map(toUpdate);
    },

    async unfinished(limit) {
      return (await updates().whereNull('u.finished_at').orderBy('u.id').limit(limit)).map(toUpdate);
    },

    async unreached(update, limit) {
      const rows = await knex(`${t.incidentLinks} as l`)
        .join(`${t.tickets} as tk`, 'tk.id', 'l.ticket_id')
        .where('l.incident_id', update.incidentId)
        .where('l.created_at', '<=', update.createdAt)
        .where('tk.is_open', 1)
        .whereNotExists(
          knex(t.incidentDeliveries).select(knex.raw('1')).where('update_id', update.id).where('ticket_id', knex.ref('l.ticket_id')),
        )
        .orderBy('l.ticket_id')
        .limit(limit)
        .select('l.ticket_id');
      return rows.map((row: { ticket_id: unknown }) => num(row.ticket_id));
    },

    async reachedTicket(updateId, ticketId) {
      return (await knex(t.incidentDeliveries).where({ update_id: updateId, ticket_id: ticketId }).first('ticket_id')) !== undefined;
    },

    async recordReach(updateId, ticketId, messageId, at) {
      await knex(t.incidentDeliveries).insert({ update_id: updateId, ticket_id: ticketId, message_id: messageId, created_at: at });
    },

    async finish(updateId, at) {
      await knex(t.incidentUpdates).where('id', updateId).whereNull('finished_at').update({ finished_at: at });
    },
  };
}
