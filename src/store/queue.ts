// The staff queue: open tickets, most urgent first, then the soonest due (the response
// regulation), then the customer who has waited longest. Keyset pages over (priority_rank,
// queue_due, last_customer_at, id) follow the tk_q_* indexes, so a deep
// page costs what the first one does, and tickets arriving between pages never shift a page.
import type { Knex } from 'knex';
import { PRIORITY_RANK, type Page, type Ticket } from '../model/types';
import type { QueueFilter, QueueStore } from '../model/store';
import type { TableNames } from './tables';
import { NO_DUE, toTicket, type TicketRow } from './tickets';
import { CURSOR_LIMITS, decodeCursor, encodeCursor, whereAfter } from './cursor';
import { searchedNumber, whereNumberOrSubject } from './search-text';

const ORDER = [
  { column: 'priority_rank', order: 'asc' },
  { column: 'queue_due', order: 'asc' },
  { column: 'last_customer_at', order: 'asc' },
  { column: 'id', order: 'asc' },
] as const;

function applySearch(query: Knex.QueryBuilder, search: string): void {
  const text = search.trim();
  if (!text) return;
  if (text.includes('@')) {
    // Exact, so the e-mail index serves it; panels keep addresses as typed or lower-cased.
    query.whereIn('customer_email', [...new Set([text, text.toLowerCase()])]);
  } else {
    whereNumberOrSubject(query, text);
  }
}

export function queueStore(knex: Knex, t: TableNames): QueueStore {
  function filtered(filter: QueueFilter): Knex.QueryBuilder {
    const query = knex<TicketRow>(t.tickets);
    if (filter.departmentIds) query.whereIn('department_id', filter.departmentIds);
    // is_open leads the queue indexes, so every status but "all" pins it.
    if (filter.status === 'open') query.where('is_open', 1);
    else if (filter.status === 'closed') query.where('is_open', 0);
    else if (filter.status !== 'all') query.where('is_open', 1).andWhere('status', filter.status);
    if (filter.priority) query.where('priority_rank', PRIORITY_RANK[filter.priority]);
    if (filter.serviceKind) query.where('service_kind', filter.serviceKind);
    if (filter.assignee === '') query.whereNull('assignee_id');
    else if (filter.assignee) query.where('assignee_id', filter.assignee);
    if (filter.dueBefore !== null) query.where('queue_due', '<=', filter.dueBefore);
    applySearch(query, filter.search);
    // Merged tickets live on in the ticket they went into; only their number (above) finds them.
    if (!searchedNumber(filter.search.trim())) query.whereNull('merged_into_id');
    return query;
  }

  return {
    async page(filter: QueueFilter, cursor: string | null, limit: number): Promise<Page<Ticket>> {
      const query = filtered(filter)
        .orderBy([...ORDER])
        .limit(limit + 1);
      const after = decodeCursor(cursor, [CURSOR_LIMITS.smallint, CURSOR_LIMITS.timestamp, CURSOR_LIMITS.timestamp, CURSOR_LIMITS.id]);
      if (after)
        whereAfter(
          knex,
          query,
          ORDER.map((o) => o.column),
          after,
          'asc',
        );
      const rows = (await query) as TicketRow[];
      const items = rows.slice(0, limit).map(toTicket);
      const last = items[items.length - 1];
      const next =
        rows.length > limit && last
          ? encodeCursor([PRIORITY_RANK[last.priority], last.dueAt ?? NO_DUE, last.lastCustomerAt, last.id])
          : null;
      return { items, next };
    },

    /**
     * Tickets waiting for a staff answer (new or customer replied, or transferred here and not yet opened) in these departments, counted
     * up to `cap`: a badge only needs "many", and the cost stays flat however long the queue is.
     */
    async waitingCount(departmentIds: number[] | null, cap: number): Promise<number> {
      // A transfer nobody of the new department has opened yet counts whatever its status.
      const waiting = knex(t.tickets)
        .where('is_open', 1)
        .andWhere((q) => q.whereIn('status', ['new', 'waiting']).orWhere('transfer_unseen', 1))
        .select('id')
        .limit(cap);
      if (departmentIds) waiting.whereIn('department_id', departmentIds);
      const [row] = (await knex.count({ n: '*' }).from(waiting.as('w'))) as Array<{ n: unknown }>;
      return Number(row?.n ?? 0);
    },
  };
}
