// What staff and admins do with tickets. Staff reach the tickets of their own departments only,
// admins reach all; anything else is NotFound, as if it did not exist. Every change is recorded
// in the audit trail in the same transaction as the change itself.
import type { HostService, HostUser } from '../host';
import type { TicketMail } from '../model/mail';
import type { NewTicketEvent, QueueFilter, Store, TicketChanges } from '../model/store';
import type { Attachment, CannedReply, Clock, Department, DepartmentMember, Message, Page, StoredFile, Ticket, TicketEvent, TicketPriority } from '../model/types';
import { PRIORITIES } from '../model/types';
import { NotFoundError, ValidationError, type Problem } from '../model/errors';
import { checkFiles, checkMessage, type UploadRules } from './ticket-rules';
import { checkText, LIMITS } from './field-rules';
import { isTicketNumber } from './ticket-number';
import { DuplicateSubmission, keepingFilesOnlyOnSuccess, oncePerSubmission, underTicketLock } from './submissions';

export interface StaffTicketDeps {
  store: Store;
  servicesOf(customerId: string): Promise<HostService[]>;
  discardFiles(keys: string[]): Promise<void>;
  uploads: UploadRules;
  mail: TicketMail;
  mailQueued?: () => void;
  now?: Clock;
}

export const STAFF_PAGE_SIZE = 25;
/** The menu badge counts this far; a host shows it as "99+" or the like. */
export const BADGE_CAP = 100;

export interface StaffTicketView {
  ticket: Ticket;
  department: Department | null;
  departments: Department[];
  messages: Message[];
  events: TicketEvent[];
  /** The linked service as the host knows it now; `missing` when it no longer exists. */
  service: HostService | 'missing' | null;
  /** The newest message id: what a reply form is written against. */
  lastMessageId: number;
  /** The ticket's department's canned replies: the only ones its reply form may take. */
  canned: CannedReply[];
  /** The ticket's department's members (its admin page lists them): whom it can be assigned to. */
  members: DepartmentMember[];
}

export interface StaffReply {
  body: string;
  files: StoredFile[];
  /** The newest message the author had seen when writing. */
  lastSeenId: number;
  /** Send even though others wrote since lastSeenId (the author has read them). */
  confirmed: boolean;
  /** Unique per rendered form: the same submission twice makes one reply. */
  submissionKey: string;
}

export type ReplyOutcome = { sent: true } | { sent: false; newer: Message[] };

export type QueueQuery = Omit<QueueFilter, 'departmentIds'> & { departmentId: number | null };

export function staffTickets(deps: StaffTicketDeps) {
  const { store } = deps;
  const now = deps.now ?? Date.now;

  /** Ids of the departments this user works in; null for admins (all of them). */
  async function reach(user: HostUser): Promise<number[] | null> {
    if (user.role === 'admin') return null;
    // The host's list when it gives one (even an empty one); otherwise the admin's membership table.
    if (!user.departments) return store.members.departmentIdsOf(user.id);
    const codes = new Set(user.departments);
    return (await store.departments.list({ activeOnly: false })).filter((d) => codes.has(d.code)).map((d) => d.id);
  }

  async function reachable(user: HostUser, number: string): Promise<Ticket> {
    const ticket = isTicketNumber(number) ? await store.tickets.findByNumber(number) : null;
    const allowed = await reach(user);
    if (!ticket || (allowed && !allowed.includes(ticket.departmentId))) throw new NotFoundError('ticket');
    return ticket;
  }

  /**
   * A ticket in reach for a message with files (a reply, a note), checked before anything is
   * written; the request's files are removed when it is not in reach or the message is refused.
   */
  function inReachForMessage(user: HostUser, number: string, body: string, files: StoredFile[], field = 'message'): Promise<Ticket> {
    return keepingFilesOnlyOnSuccess(deps.discardFiles, files, async () => {
      const problems: Record<string, Problem> = {};
      checkMessage(body, problems, field);
      checkFiles(files, deps.uploads, problems);
      const found = await reachable(user, number);
      if (Object.keys(problems).length > 0) throw new ValidationError(problems);
      return found;
    });
  }

  function event(user: HostUser, ticket: Ticket, action: TicketEvent['action'], detail: TicketEvent['detail'], at: number): NewTicketEvent {
    return { ticketId: ticket.id, actorId: user.id, actorName: user.name, action, detail, createdAt: at };
  }

  /** Applies a change to a ticket under its row lock, with its audit entries; returns what changed. */
  async function change(user: HostUser, number: string, apply: (ticket: Ticket, at: number) => { changes: TicketChanges; events: NewTicketEvent[] } | null): Promise<void> {
    const found = await reachable(user, number);
    await store.transaction(async (tx) => {
      const ticket = await tx.tickets.lock(found.id);
      const at = now();
      const result = apply(ticket, at);
      if (!result || result.events.length === 0) return;
      await tx.tickets.update(ticket.id, { ...result.changes, updatedAt: at });
      await tx.events.record(result.events);
    });
  }

  return {
    reach,

    async queue(user: HostUser, query: QueueQuery, cursor: string | null): Promise<Page<Ticket>> {
      const allowed = await reach(user);
      let departmentIds = allowed;
      if (query.departmentId !== null) {
        departmentIds = !allowed || allowed.includes(query.departmentId) ? [query.departmentId] : [];
      }
      if (departmentIds && departmentIds.length === 0) return { items: [], next: null };
      const { departmentId: _ignored, ...filter } = query;
      return store.queue.page({ ...filter, departmentIds }, cursor, STAFF_PAGE_SIZE);
    },

    /** Tickets waiting for an answer in the user's departments, for the menu badge; BADGE_CAP means "that many or more". */
    async waitingCount(user: HostUser): Promise<number> {
      const allowed = await reach(user);
      if (allowed && allowed.length === 0) return 0;
      return store.queue.waitingCount(allowed, BADGE_CAP);
    },

    async departmentsOf(user: HostUser): Promise<Department[]> {
      const allowed = await reach(user);
      return (await store.departments.list({ activeOnly: false })).filter((d) => !allowed || allowed.includes(d.id));
    },

    async view(user: HostUser, number: string): Promise<StaffTicketView> {
      const ticket = await reachable(user, number);
      const [department, departments, messages, events, canned, members, services] = await Promise.all([
        store.departments.find(ticket.departmentId),
        store.departments.list({ activeOnly: false }),
        store.messages.thread(ticket.id, 'staff'),
        store.events.forTicket(ticket.id),
        store.canned.list(ticket.departmentId),
        store.members.list(ticket.departmentId),
        ticket.serviceId ? deps.servicesOf(ticket.customerId) : Promise.resolve([]),
      ]);
      const service = ticket.serviceId ? (services.find((s) => s.id === ticket.serviceId) ?? 'missing') : null;
      const lastMessageId = messages.reduce((max, m) => Math.max(max, m.id), 0);
      return { ticket, department, departments, messages, events, service, lastMessageId, canned, members };
    },

    /**
     * Answers the customer: the message, its files, the status, the audit entry and the e-mail to
     * the customer commit together. If others wrote since the author last looked, nothing is sent
     * and the newer messages come back, so the author can read them and confirm.
     */
    async reply(user: HostUser, number: string, reply: StaffReply): Promise<ReplyOutcome> {
      const found = await inReachForMessage(user, number, reply.body, reply.files);
      const outcome = await oncePerSubmission<ReplyOutcome>(store, {
        files: reply.files,
        discard: deps.discardFiles,
        made: () => underTicketLock(store, found.id, (tx) => tx.messages.findBySubmission(found.id, reply.submissionKey)).then((id) => (id ? { sent: true } : null)),
        change: async () => {
          const result = await store.transaction(async (tx): Promise<ReplyOutcome> => {
            const ticket = await tx.tickets.lock(found.id);
            if (await tx.messages.findBySubmission(ticket.id, reply.submissionKey)) throw new DuplicateSubmission();
            const thread = await tx.messages.thread(ticket.id, 'staff');
            const newer = thread.filter((m) => m.id > reply.lastSeenId && m.authorId !== user.id);
            if (newer.length > 0 && !reply.confirmed) return { sent: false, newer };

            const at = now();
            const fields = { ticketId: ticket.id, authorKind: 'staff' as const, authorId: user.id, authorName: user.name, body: reply.body, createdAt: at };
            const id = await tx.messages.insert({ ...fields, submissionKey: reply.submissionKey });
            const attachments = await tx.messages.attach(ticket.id, id, reply.files, at);
            const status = 'answered' as const;
            await tx.tickets.update(ticket.id, { status, updatedAt: at, lastReplyAt: at, closedAt: null });
            const events = [event(user, ticket, 'reply', { message: String(id) }, at)];
            if (ticket.status !== status) events.push(event(user, ticket, 'status', { from: ticket.status, to: status }, at));
            await tx.events.record(events);
            const department = await tx.departments.find(ticket.departmentId);
            if (department) await tx.outbox.enqueue(deps.mail.forStaffReply(ticket, department, { id, ...fields, internal: false, attachments }), at);
            return { sent: true };
          });
          if (result.sent) deps.mailQueued?.();
          return result;
        },
      });
      // Held for confirmation: the author sends the files again with it.
      if (!outcome.sent) await deps.discardFiles(reply.files.map((f) => f.storageKey));
      return outcome;
    },

    /** An internal note: staff only, never shown or e-mailed to the customer. The submission key makes a double click one note. */
    async note(user: HostUser, number: string, body: string, files: StoredFile[], submissionKey: string): Promise<void> {
      const found = await inReachForMessage(user, number, body, files, 'note');
      await oncePerSubmission(store, {
        files,
        discard: deps.discardFiles,
        made: () => underTicketLock(store, found.id, (tx) => tx.messages.findBySubmission(found.id, submissionKey)).then((id) => (id ? true : null)),
        change: async () => {
          await store.transaction(async (tx) => {
            await tx.tickets.lock(found.id);
            if (await tx.messages.findBySubmission(found.id, submissionKey)) throw new DuplicateSubmission();
            const at = now();
            const id = await tx.messages.insert({ ticketId: found.id, authorKind: 'staff', authorId: user.id, authorName: user.name, body, createdAt: at, internal: true, submissionKey });
            await tx.messages.attach(found.id, id, files, at);
            await tx.events.record([event(user, found, 'note', { message: String(id) }, at)]);
          });
          return true;
        },
      });
    },

    /** Closes a ticket, or reopens it as waiting for staff. */
    setOpen(user: HostUser, number: string, open: boolean): Promise<void> {
      return change(user, number, (ticket, at) => {
        const to = open ? 'waiting' : 'closed';
        if ((ticket.status === 'closed') === !open) return null;
        return { changes: { status: to, closedAt: open ? null : at }, events: [event(user, ticket, 'status', { from: ticket.status, to }, at)] };
      });
    },

    setPriority(user: HostUser, number: string, priority: string): Promise<void> {
      if (!PRIORITIES.includes(priority as TicketPriority)) throw new ValidationError({ priority: { key: 'errors.priority.invalid' } });
      return change(user, number, (ticket, at) =>
        ticket.priority === priority ? null : { changes: { priority: priority as TicketPriority }, events: [event(user, ticket, 'priority', { from: ticket.priority, to: priority }, at)] },
      );
    },

    /** Assigns to the user themself, to a member of the ticket's department, or to nobody (null). */
    async assign(user: HostUser, number: string, assigneeId: string | null): Promise<void> {
      let assignee: { id: string; name: string } | null = null;
      if (assigneeId === user.id) assignee = { id: user.id, name: user.name };
      else if (assigneeId !== null) {
        const ticket = await reachable(user, number);
        const member = (await store.members.list(ticket.departmentId)).find((m) => m.userId === assigneeId);
        if (!member) throw new ValidationError({ assignee: { key: 'errors.assignee.unknown' } });
        assignee = { id: member.userId, name: member.name };
      }
      return change(user, number, (ticket, at) =>
        ticket.assigneeId === (assignee?.id ?? null)
          ? null
          : {
              changes: { assigneeId: assignee?.id ?? null, assigneeName: assignee?.name ?? null },
              events: [event(user, ticket, 'assignee', { from: ticket.assigneeName, to: assignee?.name ?? null }, at)],
            },
      );
    },

    /**
     * Moves a ticket to another department with a reason; that department is e-mailed like a new
     * arrival (departmentId null: none was chosen). The submission key makes a double click one transfer: a repeat answers as done
     * even though the ticket may now be out of the user's reach.
     */
    transfer(user: HostUser, number: string, departmentId: number | null, reason: string, submissionKey: string): Promise<void> {
      return oncePerSubmission(store, {
        files: [],
        discard: deps.discardFiles,
        made: async () => {
          const ticket = isTicketNumber(number) ? await store.tickets.findByNumber(number) : null;
          // A transfer returns nothing: undefined says "made", null "not made".
          return ticket && (await underTicketLock(store, ticket.id, (tx) => tx.events.madeBySubmission(ticket.id, user.id, submissionKey))) ? undefined : null;
        },
        change: async () => {
          const found = await reachable(user, number);
          const problems: Record<string, Problem> = {};
          const target = departmentId === null ? null : await store.departments.find(departmentId);
          if (!target || !target.active || target.id === found.departmentId) problems.departmentId = { key: 'errors.transfer.department' };
          checkText(problems, 'reason', reason, { max: LIMITS.transferReason, required: 'errors.transfer.reasonRequired', tooLong: 'errors.transfer.reasonTooLong', asTyped: true });
          if (Object.keys(problems).length > 0) throw new ValidationError(problems);
          await store.transaction(async (tx) => {
            const ticket = await tx.tickets.lock(found.id);
            if (await tx.events.madeBySubmission(ticket.id, user.id, submissionKey)) throw new DuplicateSubmission();
            // Someone else moved it there meanwhile: nothing left to do, and no second e-mail.
            if (ticket.departmentId === target!.id) throw new ValidationError({ departmentId: { key: 'errors.transfer.department' } });
            const from = await tx.departments.find(ticket.departmentId);
            const at = now();
            const priority = target!.urgent ? 'urgent' : ticket.priority;
            await tx.tickets.update(ticket.id, { departmentId: target!.id, assigneeId: null, assigneeName: null, priority, updatedAt: at });
            const events: NewTicketEvent[] = [{ ...event(user, ticket, 'department', { from: from?.code ?? null, to: target!.code, reason: reason.trim() }, at), submissionKey }];
            if (ticket.assigneeId) events.push(event(user, ticket, 'assignee', { from: ticket.assigneeName, to: null }, at));
            await tx.events.record(events);
            if (from) {
              const moved = { ...ticket, departmentId: target!.id, priority };
              await tx.outbox.enqueue(deps.mail.forTransfer(moved, from, target!, reason.trim(), await tx.messages.thread(ticket.id, 'customer')), at);
            }
          });
          deps.mailQueued?.();
        },
      });
    },

    async attachment(user: HostUser, number: string, attachmentId: number): Promise<Attachment> {
      const ticket = await reachable(user, number);
      const attachment = await store.messages.findAttachment(ticket.id, attachmentId, 'staff');
      if (!attachment) throw new NotFoundError('attachment');
      return attachment;
    },
  };
}

export type StaffTickets = ReturnType<typeof staffTickets>;
