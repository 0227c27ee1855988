// Tickets, their messages and audit trail, and the staff queue, in memory (see memory-store.ts).
import { ConflictError, ReferenceMissingError } from '../../src/model/errors';
import type { EventStore, MessageStore, QueueFilter, QueueStore, TicketStore } from '../../src/model/store';
import { PRIORITY_RANK, type Page, type Ticket } from '../../src/model/types';
import { foldForSearch, searchedNumber, searchedWords } from '../../src/store/search-text';
import { NO_DUE } from '../../src/store/tickets';
import { byKeys, copyOf, nextId, type MemoryData } from './memory-data';

/** A keyset page: the rows after the cursor (the key of the last row of the previous page). */
function pageOf<T>(rows: T[], keyOf: (row: T) => number[], cursor: string | null, limit: number): Page<T> {
  const after = cursor ? (JSON.parse(Buffer.from(cursor, 'base64url').toString()) as number[]) : null;
  const later = (key: number[]) =>
    !after || key.some((v, i) => key.slice(0, i).every((w, j) => w === after[j]) && v > (after[i] as number));
  const rest = rows.filter((row) => later(keyOf(row)));
  const items = rest.slice(0, limit);
  const last = items[items.length - 1];
  return { items, next: rest.length > limit && last ? Buffer.from(JSON.stringify(keyOf(last))).toString('base64url') : null };
}

export function memoryTickets(data: MemoryData): TicketStore {
  const byId = (id: number) => data.tickets.find((t) => t.id === id);
  const refersToDepartment = (departmentId: number) => {
    if (!data.departments.some((d) => d.id === departmentId)) throw new ReferenceMissingError('ticketDepartment');
  };
  return {
    async insert(ticket) {
      refersToDepartment(ticket.departmentId);
      if (data.tickets.some((t) => t.number === ticket.number)) throw new ConflictError('ticketNumber');
      const key = ticket.submissionKey ?? null;
      if (key !== null && data.tickets.some((t) => t.customerId === ticket.customerId && t.submissionKey === key))
        throw new ConflictError('ticketSubmission');
      const id = nextId(data);
      const due = { dueAt: null, dueKind: null, waitingSince: ticket.createdAt, pausedMs: 0, pausedSince: null, warnAt: null };
      data.tickets.push({
        ...due,
        ...structuredClone(ticket),
        id,
        submissionKey: key,
        transferUnseen: false,
        mergedIntoId: null,
        acknowledgedAt: null,
        acknowledgedById: null,
        acknowledgedByName: null,
      });
      return id;
    },
    async countOpenedSince(customerId, since) {
      return data.tickets.filter((t) => t.customerId === customerId && t.createdAt >= since).length;
    },
    async findBySubmission(customerId, submissionKey) {
      const found = data.tickets.find((t) => t.customerId === customerId && t.submissionKey === submissionKey);
      return found ? copyOf(found) : null;
    },
    async findForCustomer(number, customerId) {
      const found = data.tickets.find((t) => t.number === number && t.customerId === customerId);
      return found ? copyOf(found) : null;
    },
    async findByNumber(number) {
      const found = data.tickets.find((t) => t.number === number);
      return found ? copyOf(found) : null;
    },
    async findById(id) {
      const found = data.tickets.find((t) => t.id === id);
      return found ? copyOf(found) : null;
    },
    async openInDepartment(departmentId, afterId, limit) {
      return data.tickets
        .filter((t) => t.departmentId === departmentId && t.status !== 'closed' && t.id > afterId)
        .sort(byKeys((t) => t.id))
        .slice(0, limit)
        .map((t) => copyOf(t));
    },
    async lock(id) {
      const found = byId(id);
      if (!found) throw new Error(`memory store: no ticket ${id} to lock`);
      return copyOf(found);
    },
    async unacknowledgedUrgent(departmentIds, since, limit) {
      return data.tickets
        .filter(
          (t) =>
            departmentIds.includes(t.departmentId) &&
            t.status !== 'closed' &&
            t.priority === 'urgent' &&
            t.createdAt >= since &&
            t.acknowledgedAt === null &&
            t.lastReplyAt === null,
        )
        .sort(
          byKeys(
            (t) => t.createdAt,
            (t) => t.id,
          ),
        )
        .slice(0, limit)
        .map((t) => copyOf(t));
    },
    async answeredBefore(before, limit) {
      const due = data.tickets.filter((t) => t.status === 'answered' && t.lastReplyAt !== null && t.lastReplyAt < before);
      return due
        .sort(byKeys((t) => t.lastReplyAt ?? 0))
        .slice(0, limit)
        .map((t) => copyOf(t));
    },
    async update(id, changes) {
      if (changes.departmentId !== undefined) refersToDepartment(changes.departmentId);
      const found = byId(id);
      if (found) Object.assign(found, structuredClone(changes));
    },
    async listForCustomer(customerId, filter, cursor, limit) {
      const own = data.tickets
        .filter((t) => t.customerId === customerId && t.mergedIntoId === null && hasStatus(t, filter.status) && foundBy(t, filter.search))
        .sort(
          byKeys(
            (t) => -t.updatedAt,
            (t) => -t.id,
          ),
        );
      return pageOf(
        own.map((t) => copyOf(t)),
        (t) => [-t.updatedAt, -t.id],
        cursor,
        limit,
      );
    },
    async countUnseenAnswers(customerId, cap) {
      return Math.min(data.tickets.filter((t) => t.customerId === customerId && t.customerSeenAt === null).length, cap);
    },
    async markSeen(id, at, answeredUpTo) {
      const found = byId(id);
      if (!found || found.customerSeenAt !== null) return;
      // As the SQL compares: a reply newer than the one shown (or any, when none was) stays unseen.
      const shown = found.lastReplyAt === null ? answeredUpTo === null : answeredUpTo !== null && found.lastReplyAt <= answeredUpTo;
      if (shown) found.customerSeenAt = at;
    },
    async repointMerged(fromId, toId) {
      for (const t of data.tickets) if (t.mergedIntoId === fromId) t.mergedIntoId = toId;
    },
  };
}

export function memoryMessages(data: MemoryData): MessageStore {
  const visible = (messageId: number, audience: 'customer' | 'staff') =>
    audience === 'staff' || data.messages.some((m) => m.id === messageId && !m.internal);
  return {
    async insert(message) {
      const key = message.submissionKey ?? null;
      if (key !== null && data.messages.some((m) => m.ticketId === message.ticketId && m.submissionKey === key))
        throw new ConflictError('messageSubmission');
      const id = nextId(data);
      data.messages.push({ ...structuredClone(message), internal: message.internal ?? false, id, submissionKey: key });
      return id;
    },
    async attach(ticketId, messageId, files, createdAt) {
      if (files.some((f) => data.attachments.some((a) => a.storageKey === f.storageKey))) throw new ConflictError('attachmentStorageKey');
      for (const f of files) data.attachments.push({ ...structuredClone(f), id: nextId(data), messageId, ticketId, createdAt });
      return data.attachments.filter((a) => a.messageId === messageId).map((a) => copyOf(a));
    },
    async thread(ticketId, audience) {
      return data.messages
        .filter((m) => m.ticketId === ticketId && visible(m.id, audience))
        .sort(
          byKeys(
            (m) => m.createdAt,
            (m) => m.id,
          ),
        )
        .map((m) => ({ ...copyOf(m), attachments: data.attachments.filter((a) => a.messageId === m.id).map((a) => copyOf(a)) }));
    },
    async findAttachment(ticketId, attachmentId, audience) {
      const found = data.attachments.find((a) => a.id === attachmentId && a.ticketId === ticketId && visible(a.messageId, audience));
      return found ? copyOf(found) : null;
    },
    async referencedKeys(keys) {
      return new Set(keys.filter((key) => data.attachments.some((a) => a.storageKey === key)));
    },
    async findBySubmission(ticketId, submissionKey) {
      return data.messages.find((m) => m.ticketId === ticketId && m.submissionKey === submissionKey)?.id ?? null;
    },
    async moveAll(fromTicketId, toTicketId) {
      for (const row of [...data.messages, ...data.attachments]) if (row.ticketId === fromTicketId) row.ticketId = toTicketId;
    },
  };
}

export function memoryEvents(data: MemoryData): EventStore {
  return {
    async record(events) {
      for (const e of events) {
        const key = e.submissionKey ?? null;
        if (key !== null && data.events.some((x) => x.ticketId === e.ticketId && x.submissionKey === key))
          throw new ConflictError('eventSubmission');
        data.events.push({ ...structuredClone(e), id: nextId(data), submissionKey: key });
      }
    },
    async madeBySubmission(ticketId, actorId, submissionKey) {
      return data.events.some((e) => e.ticketId === ticketId && e.actorId === actorId && e.submissionKey === submissionKey);
    },
    async forTicket(ticketId) {
      return data.events
        .filter((e) => e.ticketId === ticketId)
        .sort(
          byKeys(
            (e) => e.createdAt,
            (e) => e.id,
          ),
        )
        .map((e) => copyOf(e));
    },
    async moveAll(fromTicketId, toTicketId) {
      for (const e of data.events) if (e.ticketId === fromTicketId) e.ticketId = toTicketId;
    },
  };
}

/** A search by number or subject words, as store/search-text.ts does it. */
function foundBy(ticket: Ticket, search: string): boolean {
  const number = searchedNumber(search);
  return number ? ticket.number === number : searchedWords(search).every((w) => foldForSearch(ticket.subject).includes(w));
}

function hasStatus(ticket: Ticket, status: QueueFilter['status']): boolean {
  return status === 'all' || (status === 'open' ? ticket.status !== 'closed' : ticket.status === status);
}

function matches(ticket: Ticket, filter: QueueFilter): boolean {
  const text = filter.search.trim();
  const found = text.includes('@') ? [text, text.toLowerCase()].includes(ticket.customerEmail) : foundBy(ticket, text);
  // Merged tickets live on in the one they went into; only their number finds them.
  if (ticket.mergedIntoId !== null && !/^[#№]?\s*\d{8}$/.test(text)) return false;
  return (
    found &&
    hasStatus(ticket, filter.status) &&
    (!filter.departmentIds || filter.departmentIds.includes(ticket.departmentId)) &&
    (!filter.priority || ticket.priority === filter.priority) &&
    (!filter.serviceKind || ticket.serviceKind === filter.serviceKind) &&
    (filter.dueBefore === null || (ticket.dueAt !== null && ticket.dueAt <= filter.dueBefore)) &&
    (filter.assignee === null || (filter.assignee === '' ? ticket.assigneeId === null : ticket.assigneeId === filter.assignee))
  );
}

export function memoryQueue(data: MemoryData): QueueStore {
  const keyOf = (t: Ticket) => [PRIORITY_RANK[t.priority], t.dueAt ?? NO_DUE, t.lastCustomerAt, t.id];
  return {
    async page(filter, cursor, limit) {
      const rows = data.tickets.filter((t) => matches(t, filter)).map((t) => copyOf(t));
      return pageOf(rows.sort(byKeys(...[0, 1, 2, 3].map((i) => (t: Ticket) => keyOf(t)[i] as number))), keyOf, cursor, limit);
    },
    async waitingCount(departmentIds, cap) {
      const waiting = data.tickets.filter(
        (t) =>
          t.status !== 'closed' &&
          (t.status === 'new' || t.status === 'waiting' || t.transferUnseen) &&
          (!departmentIds || departmentIds.includes(t.departmentId)),
      );
      return Math.min(waiting.length, cap);
    },
  };
}
