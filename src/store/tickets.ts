import type { Knex } from 'knex';
import { PRIORITY_RANK, type DueKind, type Page, type Ticket, type TicketPriority, type TicketStatus } from '../model/types';
import type { CustomerListFilter, NewTicket, TicketChanges, TicketStore } from '../model/store';
import type { UniqueRule } from '../model/errors';
import type { TableNames } from './tables';
import type { Locale } from '../host';
import { dialectOf, num, numOrNull } from './dialect';
import { withRefusals } from './refusals';
import { insertStatement, statement, type ValuesOf } from './compiled';
import { insertedId, sqlOn } from './sql';
import { CURSOR_LIMITS, decodeCursor, encodeCursor, whereAfter } from './cursor';
import { foldForSearch, whereNumberOrSubject } from './search-text';

export interface TicketRow {
  id: number;
  number: string;
  customer_id: string;
  customer_name: string;
  customer_email: string;
  customer_locale: string | null;
  customer_time_zone: string | null;
  service_id: string | null;
  service_label: string | null;
  department_id: number;
  subject: string;
  status: string;
  priority: string;
  created_at: number | string;
  updated_at: number | string;
  last_reply_at: number | string | null;
  closed_at: number | string | null;
  thread_message_id: string | null;
  assignee_id: string | null;
  assignee_name: string | null;
  service_kind: string | null;
  last_customer_at: number | string;
  transfer_unseen: number | string | boolean;
  customer_seen_at: number | string | null;
  merged_into_id: number | string | null;
  acknowledged_at: number | string | null;
  acknowledged_by_id: string | null;
  acknowledged_by_name: string | null;
  due_at: number | string | null;
  due_kind: string | null;
  waiting_since: number | string;
  paused_ms: number | string;
  paused_since: number | string | null;
  warn_at: number | string | null;
}

/** queue_due where nothing is due: after every real time (migrations/_shared.ts has the same number). */
export const NO_DUE = 9_000_000_000_000_000;

export function toTicket(row: TicketRow): Ticket {
  return {
    id: num(row.id),
    number: row.number,
    customerId: row.customer_id,
    customerName: row.customer_name,
    customerEmail: row.customer_email,
    customerLocale: (row.customer_locale as Locale | null) ?? null,
    customerTimeZone: row.customer_time_zone ?? null,
    serviceId: row.service_id,
    serviceLabel: row.service_label,
    departmentId: num(row.department_id),
    subject: row.subject,
    status: row.status as TicketStatus,
    priority: row.priority as TicketPriority,
    createdAt: num(row.created_at),
    updatedAt: num(row.updated_at),
    lastReplyAt: numOrNull(row.last_reply_at),
    closedAt: numOrNull(row.closed_at),
    threadMessageId: row.thread_message_id,
    assigneeId: row.assignee_id,
    assigneeName: row.assignee_name,
    serviceKind: row.service_kind,
    lastCustomerAt: num(row.last_customer_at),
    transferUnseen: Number(row.transfer_unseen) === 1,
    customerSeenAt: numOrNull(row.customer_seen_at),
    mergedIntoId: numOrNull(row.merged_into_id),
    acknowledgedAt: numOrNull(row.acknowledged_at),
    acknowledgedById: row.acknowledged_by_id ?? null,
    acknowledgedByName: row.acknowledged_by_name ?? null,
    dueAt: numOrNull(row.due_at),
    dueKind: (row.due_kind as DueKind | null) ?? null,
    waitingSince: num(row.waiting_since),
    pausedMs: num(row.paused_ms),
    pausedSince: numOrNull(row.paused_since),
    warnAt: numOrNull(row.warn_at),
  };
}

const columnOf: Record<keyof TicketChanges, string> = {
  status: 'status',
  priority: 'priority',
  departmentId: 'department_id',
  updatedAt: 'updated_at',
  lastReplyAt: 'last_reply_at',
  closedAt: 'closed_at',
  threadMessageId: 'thread_message_id',
  assigneeId: 'assignee_id',
  assigneeName: 'assignee_name',
  lastCustomerAt: 'last_customer_at',
  transferUnseen: 'transfer_unseen',
  customerSeenAt: 'customer_seen_at',
  mergedIntoId: 'merged_into_id',
  acknowledgedAt: 'acknowledged_at',
  acknowledgedById: 'acknowledged_by_id',
  acknowledgedByName: 'acknowledged_by_name',
  dueAt: 'due_at',
  dueKind: 'due_kind',
  waitingSince: 'waiting_since',
  pausedMs: 'paused_ms',
  pausedSince: 'paused_since',
  warnAt: 'warn_at',
};

// Columns kept only so the queue can sort and filter on an index.
const isOpen = (status: TicketStatus) => (status === 'closed' ? 0 : 1);

function derivedColumns(changes: TicketChanges): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  if (changes.status) row.is_open = isOpen(changes.status);
  if (changes.priority) row.priority_rank = PRIORITY_RANK[changes.priority];
  if (changes.dueAt !== undefined) row.queue_due = changes.dueAt ?? NO_DUE;
  return row;
}

/** Of the ticket's two unique indexes, the one a refusal names: its number, or the customer's submission. */
const ticketRule = (key: string): UniqueRule => (/[._]number(_uq)?$/.test(key) ? 'ticketNumber' : 'ticketSubmission');

const INSERT = insertStatement(
  (t) => t.tickets,
  [
    'number',
    'customer_id',
    'customer_name',
    'customer_email',
    'customer_locale',
    'customer_time_zone',
    'service_id',
    'service_label',
    'department_id',
    'subject',
    'subject_search',
    'status',
    'priority',
    'created_at',
    'updated_at',
    'last_reply_at',
    'closed_at',
    'thread_message_id',
    'assignee_id',
    'assignee_name',
    'service_kind',
    'last_customer_at',
    'customer_seen_at',
    'submission_key',
    'is_open',
    'priority_rank',
    'due_at',
    'due_kind',
    'waiting_since',
    'paused_ms',
    'paused_since',
    'warn_at',
    'queue_due',
  ],
  { returning: 'id' },
);

const COUNT_OPENED_SINCE = statement<{ customerId: string; since: number }>((knex, t, v) =>
  knex(t.tickets)
    .where('customer_id', v('customerId'))
    .andWhere('updated_at', '>=', v('since'))
    .andWhere('created_at', '>=', v('since'))
    .count({ n: '*' })
    .first(),
);

export function ticketStore(knex: Knex, t: TableNames): TicketStore {
  const sql = sqlOn(knex, t);
  return {
    async insert(ticket: NewTicket): Promise<number> {
      const row: ValuesOf<typeof INSERT> = {
        number: ticket.number,
        customer_id: ticket.customerId,
        customer_name: ticket.customerName,
        customer_email: ticket.customerEmail,
        customer_locale: ticket.customerLocale,
        customer_time_zone: ticket.customerTimeZone,
        service_id: ticket.serviceId,
        service_label: ticket.serviceLabel,
        department_id: ticket.departmentId,
        subject: ticket.subject,
        subject_search: foldForSearch(ticket.subject),
        status: ticket.status,
        priority: ticket.priority,
        created_at: ticket.createdAt,
        updated_at: ticket.updatedAt,
        last_reply_at: ticket.lastReplyAt,
        closed_at: ticket.closedAt,
        thread_message_id: ticket.threadMessageId,
        assignee_id: ticket.assigneeId,
        assignee_name: ticket.assigneeName,
        service_kind: ticket.serviceKind,
        last_customer_at: ticket.lastCustomerAt,
        customer_seen_at: ticket.customerSeenAt,
        submission_key: ticket.submissionKey ?? null,
        is_open: isOpen(ticket.status),
        priority_rank: PRIORITY_RANK[ticket.priority],
        due_at: ticket.dueAt ?? null,
        due_kind: ticket.dueKind ?? null,
        waiting_since: ticket.waitingSince ?? ticket.createdAt,
        paused_ms: ticket.pausedMs ?? 0,
        paused_since: ticket.pausedSince ?? null,
        warn_at: ticket.warnAt ?? null,
        queue_due: ticket.dueAt ?? NO_DUE,
      };
      return withRefusals({ unique: ticketRule, missing: 'ticketDepartment' }, async () => insertedId(await sql.insert(INSERT, [row])));
    },

    /** How many tickets the customer opened at or after `since` (updated_at ≥ created_at keeps it on the customer index). */
    async countOpenedSince(customerId: string, since: number): Promise<number> {
      const [row] = (await sql.run(COUNT_OPENED_SINCE, { customerId, since })).rows;
      return Number(row?.n ?? 0);
    },

    /** The ticket a create form submission of this customer made, if it was made. */
    async findBySubmission(customerId: string, submissionKey: string): Promise<Ticket | null> {
      const row = await knex<TicketRow>(t.tickets).where('customer_id', customerId).andWhere('submission_key', submissionKey).first();
      return row ? toTicket(row) : null;
    },

    /** The customer's own ticket by its public number; null for anyone else's. */
    async findForCustomer(number: string, customerId: string): Promise<Ticket | null> {
      const row = await knex<TicketRow>(t.tickets).where({ number, customer_id: customerId }).first();
      return row ? toTicket(row) : null;
    },

    /** Any ticket by its public number, for staff (the domain decides who may see it). */
    async findByNumber(number: string): Promise<Ticket | null> {
      const row = await knex<TicketRow>(t.tickets).where({ number }).first();
      return row ? toTicket(row) : null;
    },

    async findById(id: number): Promise<Ticket | null> {
      const row = await knex<TicketRow>(t.tickets).where({ id }).first();
      return row ? toTicket(row) : null;
    },

    async openInDepartment(departmentId: number, afterId: number, limit: number): Promise<Ticket[]> {
      const rows = await knex<TicketRow>(t.tickets)
        .where('department_id', departmentId)
        .andWhere('is_open', 1)
        .andWhere('id', '>', afterId)
        .orderBy('id')
        .limit(limit);
      return rows.map(toTicket);
    },

    /**
     * Re-reads a ticket and, on PostgreSQL and MySQL, locks its row until the transaction ends,
     * so two staff acting on one ticket take turns. (SQLite runs one write transaction at a time.)
     */
    async lock(id: number): Promise<Ticket> {
      const query = knex<TicketRow>(t.tickets).where({ id }).first();
      if (dialectOf(knex) !== 'sqlite') query.forUpdate();
      return toTicket((await query) as TicketRow);
    },

    /** Open urgent tickets nobody has acknowledged or answered, opened at or after `since`, oldest first. */
    async unacknowledgedUrgent(departmentIds: number[], since: number, limit: number): Promise<Ticket[]> {
      if (departmentIds.length === 0) return [];
      // On the queue's index (department, open, priority rank), then a few open urgent rows to look at.
      const rows = await knex<TicketRow>(t.tickets)
        .whereIn('department_id', departmentIds)
        .andWhere('is_open', 1)
        .andWhere('priority_rank', PRIORITY_RANK.urgent)
        .andWhere('created_at', '>=', since)
        .whereNull('acknowledged_at')
        .whereNull('last_reply_at')
        .orderBy([{ column: 'created_at' }, { column: 'id' }])
        .limit(limit);
      return rows.map(toTicket);
    },

    /** Answered tickets whose last staff answer is older than `before`, oldest first. */
    async answeredBefore(before: number, limit: number): Promise<Ticket[]> {
      const rows = await knex<TicketRow>(t.tickets)
        .where('status', 'answered')
        .andWhere('last_reply_at', '<', before)
        .orderBy('last_reply_at')
        .limit(limit);
      return rows.map(toTicket);
    },

    async update(id: number, changes: TicketChanges): Promise<void> {
      const row: Record<string, unknown> = derivedColumns(changes);
      for (const [key, value] of Object.entries(changes))
        row[columnOf[key as keyof TicketChanges]] = typeof value === 'boolean' ? Number(value) : value;
      await withRefusals({ missing: 'ticketDepartment' }, () => knex(t.tickets).where('id', id).update(row));
    },

    /**
     * The customer's tickets, newest activity first; keyset pages over (updated_at, id) on
     * tk_cust_upd, or tk_cust_open when the filter pins is_open. A search reads only the
     * customer's own rows: a number is one of them, words are matched in their folded subjects.
     */
    async listForCustomer(customerId: string, filter: CustomerListFilter, cursor: string | null, limit: number): Promise<Page<Ticket>> {
      const query = knex<TicketRow>(t.tickets).where('customer_id', customerId).whereNull('merged_into_id');
      if (filter.status !== 'all') query.where('is_open', filter.status === 'open' ? 1 : 0);
      whereNumberOrSubject(query, filter.search);
      query
        .orderBy([
          { column: 'updated_at', order: 'desc' },
          { column: 'id', order: 'desc' },
        ])
        .limit(limit + 1);
      const after = decodeCursor(cursor, [CURSOR_LIMITS.timestamp, CURSOR_LIMITS.id]);
      if (after) whereAfter(knex, query, ['updated_at', 'id'], after, 'desc');
      const rows = (await query).map(toTicket);
      const items = rows.slice(0, limit);
      const last = items[items.length - 1];
      return { items, next: rows.length > limit && last ? encodeCursor([last.updatedAt, last.id]) : null };
    },

    /** Counted up to `cap` on tk_cust_seen: a badge only needs "many", and the cost stays flat. */
    async countUnseenAnswers(customerId: string, cap: number): Promise<number> {
      const unseen = knex(t.tickets).where('customer_id', customerId).whereNull('customer_seen_at').select('id').limit(cap);
      const [row] = (await knex.count({ n: '*' }).from(unseen.as('u'))) as Array<{ n: unknown }>;
      return Number(row?.n ?? 0);
    },

    async markSeen(id: number, at: number, answeredUpTo: number | null): Promise<void> {
      const query = knex(t.tickets).where('id', id).whereNull('customer_seen_at');
      // A staff answer that came after the page was read stays unseen.
      if (answeredUpTo === null) query.whereNull('last_reply_at');
      else query.where('last_reply_at', '<=', answeredUpTo);
      await query.update({ customer_seen_at: at });
    },

    async repointMerged(fromId: number, toId: number): Promise<void> {
      await knex(t.tickets).where('merged_into_id', fromId).update({ merged_into_id: toId });
    },
  };
}
