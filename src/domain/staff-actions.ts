// What staff change on a ticket in their reach: closing or reopening, priority, assignment, an
// urgent request's acknowledgement ("I'm on it") and a transfer to another department. Every
// change is recorded in the audit trail in the same transaction as the change itself; the e-mail
// a change causes (the customer's notice of a close, a transfer's notice to the new department)
// is queued there too.
import type { HostUser } from '../host';
import type { NewOutboxItem, TicketMail } from '../model/mail';
import type { NewTicketEvent, Store, TicketChanges } from '../model/store';
import type { Clock, Ticket, TicketEvent, TicketPriority } from '../model/types';
import { PRIORITIES } from '../model/types';
import { ValidationError, type Problem } from '../model/errors';
import { checkText, LIMITS } from './field-rules';
import { isTicketNumber } from './ticket-number';
import { DuplicateSubmission, oncePerSubmission, underTicketLock } from './submissions';
import type { StaffAccess } from './staff-access';
import type { ColleaguesOf, HostStaffOf } from './colleagues';
import { changeTicket } from './due';

export interface StaffActionDeps {
  store: Store;
  discardFiles(keys: string[]): Promise<void>;
  mail: TicketMail;
  mailQueued?: () => void;
  now?: Clock;
  /** The host's staffOf: the people it places in a department can be assigned its requests. */
  hostStaffOf?: HostStaffOf;
}

/** An audit-trail entry of something a staff member did to a ticket. */
export function auditEntry(
  user: Pick<HostUser, 'id' | 'name'>,
  ticket: Ticket,
  action: TicketEvent['action'],
  detail: TicketEvent['detail'],
  at: number,
): NewTicketEvent {
  return { ticketId: ticket.id, actorId: user.id, actorName: user.name, action, detail, createdAt: at };
}

export function staffActions(deps: StaffActionDeps, access: StaffAccess, colleagues: ColleaguesOf) {
  const { store } = deps;
  const { reachable } = access;
  const now = deps.now ?? Date.now;

  /** Applies a change to a ticket under its row lock, with its audit entries and the e-mail it causes. */
  async function change(
    user: HostUser,
    number: string,
    apply: (ticket: Ticket, at: number) => { changes: TicketChanges; events: NewTicketEvent[]; mail?: NewOutboxItem[] } | null,
  ): Promise<void> {
    const found = await reachable(user, number);
    const queued = await store.transaction(async (tx) => {
      const ticket = await tx.tickets.lock(found.id);
      const at = now();
      const result = apply(ticket, at);
      if (!result || result.events.length === 0) return false;
      await changeTicket(tx, ticket, { ...result.changes, updatedAt: at }, at);
      await tx.events.record(result.events);
      if (!result.mail?.length) return false;
      await tx.outbox.enqueue(result.mail, at);
      return true;
    });
    if (queued) deps.mailQueued?.();
  }

  return {
    /** Closes a ticket, telling the customer by e-mail, or reopens it as waiting for staff. */
    setOpen(user: HostUser, number: string, open: boolean): Promise<void> {
      return change(user, number, (ticket, at) => {
        const to = open ? 'waiting' : 'closed';
        // Already so (a second click, a colleague's close): no change, no second e-mail.
        if ((ticket.status === 'closed') === !open) return null;
        return {
          changes: { status: to, closedAt: open ? null : at },
          events: [auditEntry(user, ticket, 'status', { from: ticket.status, to }, at)],
          ...(open ? {} : { mail: deps.mail.forStaffClose(ticket) }),
        };
      });
    },

    setPriority(user: HostUser, number: string, priority: string): Promise<void> {
      if (!PRIORITIES.includes(priority as TicketPriority)) throw new ValidationError({ priority: { key: 'errors.priority.invalid' } });
      return change(user, number, (ticket, at) =>
        ticket.priority === priority
          ? null
          : {
              changes: { priority: priority as TicketPriority },
              events: [auditEntry(user, ticket, 'priority', { from: ticket.priority, to: priority }, at)],
            },
      );
    },

    /**
     * "I'm on it": records who took an urgent request and when, which stops its escalation chain,
     * and makes them its assignee when nobody is. The first acknowledgement stays; a second is no change.
     */
    acknowledge(user: HostUser, number: string): Promise<void> {
      return change(user, number, (ticket, at) => {
        if (ticket.acknowledgedAt !== null) return null;
        const events = [auditEntry(user, ticket, 'acknowledged', {}, at)];
        const takes = ticket.assigneeId === null;
        if (takes) events.push(auditEntry(user, ticket, 'assignee', { from: null, to: user.name }, at));
        return {
          changes: {
            acknowledgedAt: at,
            acknowledgedById: user.id,
            acknowledgedByName: user.name,
            ...(takes ? { assigneeId: user.id, assigneeName: user.name } : {}),
          },
          events,
        };
      });
    },

    /** The request an acknowledgement link names, if this user reaches it (NotFound otherwise). */
    toAcknowledge: (user: HostUser, number: string): Promise<Ticket> => reachable(user, number),

    /** Assigns to the user themself, to a member of the ticket's department, or to nobody (null). */
    async assign(user: HostUser, number: string, assigneeId: string | null): Promise<void> {
      let assignee: { id: string; name: string } | null = null;
      if (assigneeId === user.id) assignee = { id: user.id, name: user.name };
      else if (assigneeId !== null) {
        const ticket = await reachable(user, number);
        const department = await store.departments.find(ticket.departmentId);
        const member = department ? (await colleagues(department)).find((m) => m.userId === assigneeId) : undefined;
        if (!member) throw new ValidationError({ assignee: { key: 'errors.assignee.unknown' } });
        assignee = { id: member.userId, name: member.name };
      }
      return change(user, number, (ticket, at) =>
        ticket.assigneeId === (assignee?.id ?? null)
          ? null
          : {
              changes: { assigneeId: assignee?.id ?? null, assigneeName: assignee?.name ?? null },
              events: [auditEntry(user, ticket, 'assignee', { from: ticket.assigneeName, to: assignee?.name ?? null }, at)],
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
          return ticket && (await underTicketLock(store, ticket.id, (tx) => tx.events.madeBySubmission(ticket.id, user.id, submissionKey)))
            ? undefined
            : null;
        },
        change: async () => {
          const found = await reachable(user, number);
          const problems: Record<string, Problem> = {};
          const target = departmentId === null ? null : await store.departments.find(departmentId);
          if (!target || !target.active || target.id === found.departmentId) problems.departmentId = { key: 'errors.transfer.department' };
          checkText(problems, 'reason', reason, {
            max: LIMITS.transferReason,
            required: 'errors.transfer.reasonRequired',
            tooLong: 'errors.transfer.reasonTooLong',
            asTyped: true,
          });
          if (Object.keys(problems).length > 0) throw new ValidationError(problems);
          await store.transaction(async (tx) => {
            const ticket = await tx.tickets.lock(found.id);
            if (await tx.events.madeBySubmission(ticket.id, user.id, submissionKey)) throw new DuplicateSubmission();
            // Someone else moved it there meanwhile: nothing left to do, and no second e-mail.
            if (ticket.departmentId === target!.id) throw new ValidationError({ departmentId: { key: 'errors.transfer.department' } });
            const from = await tx.departments.find(ticket.departmentId);
            const at = now();
            const priority = target!.urgent ? 'urgent' : ticket.priority;
            // Unseen until someone of the new department opens it: their menu badge counts it meanwhile.
            // The new department's targets apply from the same start of the wait.
            await changeTicket(
              tx,
              ticket,
              { departmentId: target!.id, assigneeId: null, assigneeName: null, priority, updatedAt: at, transferUnseen: true },
              at,
              target,
            );
            const events: NewTicketEvent[] = [
              {
                ...auditEntry(user, ticket, 'department', { from: from?.code ?? null, to: target!.code, reason: reason.trim() }, at),
                submissionKey,
              },
            ];
            if (ticket.assigneeId) events.push(auditEntry(user, ticket, 'assignee', { from: ticket.assigneeName, to: null }, at));
            await tx.events.record(events);
            if (from) {
              const moved = { ...ticket, departmentId: target!.id, priority };
              await tx.outbox.enqueue(
                deps.mail.forTransfer(moved, from, target!, reason.trim(), await tx.messages.thread(ticket.id, 'customer')),
                at,
              );
            }
          });
          deps.mailQueued?.();
        },
      });
    },
  };
}
