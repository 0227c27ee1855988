// Merging requests: staff move a request's thread, files and history into another request of the
// same customer (merge), or close it with a link to that request, moving nothing (duplicate). The
// customer is told by e-mail and by a line in the request they go on in; the old number keeps
// leading to the new request (merged-tickets.ts). Rules:
// - the same customer, not the request itself, and both requests in the staff member's reach;
// - a merged request is done: it is neither merged again nor merged into (its number stands for
//   the request it went into, which is what a typed number names);
// - a merge goes into an open request only: reopening a closed one behind the customer's back would
//   surprise them, so staff reopen it first (one click) and merge then; a duplicate may point at a
//   closed request (the answer is there), but only an open request is closed as a duplicate;
// - everything in one transaction, both rows locked in id order: nothing is ever half-moved.
import type { HostUser } from '../host';
import type { TicketMail } from '../model/mail';
import type { NewTicketEvent, Store, TicketChanges } from '../model/store';
import type { Clock, Ticket } from '../model/types';
import { ValidationError, type Problem } from '../model/errors';
import { isTicketNumber, typedNumber } from './ticket-number';
import { changeTicket } from './due';
import type { StaffAccess } from './staff-access';
import { auditEntry } from './staff-actions';

export type MergeMode = 'merge' | 'duplicate';
const MERGE_MODES: MergeMode[] = ['merge', 'duplicate'];

export interface MergeDeps {
  store: Store;
  mail: TicketMail;
  mailQueued?: () => void;
  now?: Clock;
}

/** What the confirmation page shows: both requests and what will move. */
export interface MergePlan {
  mode: MergeMode;
  source: Ticket;
  target: Ticket;
  /** What a merge moves (messages with notes, their files, history entries); nothing moves for a duplicate. */
  moves: { messages: number; files: number; events: number };
}

/** Why `source` cannot go into `target` this way; null when it can. Both as they are now, target after following merges. */
export function mergeProblem(source: Ticket, target: Ticket, mode: MergeMode): Problem | null {
  if (source.mergedIntoId !== null) return { key: 'errors.merge.alreadyMerged' };
  if (target.id === source.id) return { key: 'errors.merge.self' };
  if (target.customerId !== source.customerId) return { key: 'errors.merge.otherCustomer', params: { number: target.number } };
  if (mode === 'merge' && target.status === 'closed') return { key: 'errors.merge.targetClosed', params: { number: target.number } };
  if (mode === 'duplicate' && source.status === 'closed') return { key: 'errors.merge.sourceClosed' };
  return null;
}

/** Whether this merge or duplicate is already made: a second click, or a colleague who did the same. */
function alreadyDone(source: Ticket, target: Ticket, mode: MergeMode, duplicateOf: string | null): boolean {
  return mode === 'merge' ? source.mergedIntoId === target.id : source.status === 'closed' && duplicateOf === target.number;
}

/** The request a merged request's thread goes on in: it waits for staff when the customer's question came with it unanswered. */
function targetChanges(source: Ticket, target: Ticket, at: number): TicketChanges {
  const unanswered = source.status === 'new' || source.status === 'waiting';
  const changes: TicketChanges = { updatedAt: at, lastCustomerAt: Math.max(source.lastCustomerAt, target.lastCustomerAt) };
  if (unanswered && target.status === 'answered') changes.status = 'waiting';
  return changes;
}

export function ticketMerge(deps: MergeDeps, access: StaffAccess) {
  const { store } = deps;
  const now = deps.now ?? Date.now;

  /** The number a source was last closed as a duplicate of, from its history. */
  async function duplicateOf(tx: Store, source: Ticket): Promise<string | null> {
    const events = await tx.events.forTicket(source.id);
    return events.filter((e) => e.action === 'duplicate' && e.detail.from === source.number).pop()?.detail.to ?? null;
  }

  /** Both requests, or the problem to show next to the target field. The source is this very number's, merged or not. */
  async function pair(
    user: HostUser,
    number: string,
    typed: string,
    mode: string,
  ): Promise<{ source: Ticket; target: Ticket; mode: MergeMode }> {
    const allowed = await access.reach(user);
    const source = await access.reachableAsIs(user, number, allowed);
    if (!MERGE_MODES.includes(mode as MergeMode)) throw new ValidationError({ mode: { key: 'errors.merge.mode' } });
    const targetNumber = typedNumber(typed);
    if (!isTicketNumber(targetNumber)) throw new ValidationError({ target: { key: 'errors.merge.targetNumber' } });
    // Out of reach and non-existent read the same: the form tells nothing about other departments.
    const target = await access.reachable(user, targetNumber, allowed).catch(() => null);
    if (!target) throw new ValidationError({ target: { key: 'errors.merge.targetUnknown', params: { number: targetNumber } } });
    return { source, target, mode: mode as MergeMode };
  }

  return {
    /** What a merge would do, for the confirmation page; refuses as the merge itself would. */
    async plan(user: HostUser, number: string, typed: string, mode: string): Promise<MergePlan> {
      const chosen = await pair(user, number, typed, mode);
      const problem = mergeProblem(chosen.source, chosen.target, chosen.mode);
      if (problem) throw new ValidationError({ target: problem });
      const [messages, events] = await Promise.all([
        store.messages.thread(chosen.source.id, 'staff'),
        store.events.forTicket(chosen.source.id),
      ]);
      const moves =
        chosen.mode === 'merge'
          ? { messages: messages.length, files: messages.reduce((n, m) => n + m.attachments.length, 0), events: events.length }
          : { messages: 0, files: 0, events: 0 };
      return { ...chosen, moves };
    },

    /**
     * Merges request `number` into the typed one, or closes it as a duplicate of it. Made once: a
     * second submission finds it done and answers with the same request. Returns the request the
     * customer goes on in.
     */
    async merge(user: HostUser, number: string, typed: string, mode: string): Promise<Ticket> {
      const chosen = await pair(user, number, typed, mode);
      const queued = await store.transaction(async (tx) => {
        // Both rows in id order, so two merges crossing each other wait instead of deadlocking.
        const [first, second] = [chosen.source.id, chosen.target.id].sort((a, b) => a - b) as [number, number];
        const locked = new Map<number, Ticket>();
        locked.set(first, await tx.tickets.lock(first));
        if (second !== first) locked.set(second, await tx.tickets.lock(second));
        const source = locked.get(chosen.source.id) as Ticket;
        const target = locked.get(chosen.target.id) as Ticket;
        if (alreadyDone(source, target, chosen.mode, chosen.mode === 'duplicate' ? await duplicateOf(tx, source) : null)) return false;
        // The target may have been merged on meanwhile: it must still be where its number leads.
        if (target.mergedIntoId !== null) throw new ValidationError({ target: { key: 'errors.merge.changed' } });
        const problem = mergeProblem(source, target, chosen.mode);
        if (problem) throw new ValidationError({ target: problem });

        const at = now();
        const detail = { from: source.number, to: target.number };
        const closed: TicketChanges = source.status === 'closed' ? {} : { status: 'closed', closedAt: at };
        if (chosen.mode === 'merge') {
          await tx.messages.moveAll(source.id, target.id);
          await tx.events.moveAll(source.id, target.id);
          // Requests merged into the source earlier now lead to the target directly.
          await tx.tickets.repointMerged(source.id, target.id);
          // Through changeTicket, as every change of status: the target's due time follows its new wait.
          await changeTicket(tx, target, targetChanges(source, target, at), at);
          await changeTicket(tx, source, { ...closed, mergedIntoId: target.id, transferUnseen: false, updatedAt: at }, at);
        } else {
          await changeTicket(tx, source, { ...closed, updatedAt: at }, at);
          await tx.tickets.update(target.id, { updatedAt: at });
        }
        const events: NewTicketEvent[] = [
          auditEntry(user, source, chosen.mode, detail, at),
          auditEntry(user, target, chosen.mode, detail, at),
        ];
        await tx.events.record(events);
        await tx.outbox.enqueue(deps.mail.forMerge(source, target, chosen.mode === 'duplicate'), at);
        return true;
      });
      if (queued) deps.mailQueued?.();
      return chosen.target;
    },

    /** The customer's other open requests in the user's reach, newest activity first: what the merge form offers. */
    async targetsFor(user: HostUser, ticket: Ticket): Promise<Ticket[]> {
      const [page, allowed] = await Promise.all([
        store.tickets.listForCustomer(ticket.customerId, { status: 'open', search: '' }, null, 20),
        access.reach(user),
      ]);
      return page.items.filter((t) => t.id !== ticket.id && (!allowed || allowed.includes(t.departmentId)));
    },
  };
}
