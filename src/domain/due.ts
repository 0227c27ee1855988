// A request's due time, kept current as it moves. Every change that can move it (a new request,
// a reply either way, a transfer, a priority change, closing and reopening) goes through
// changeTicket, in the caller's transaction, so the stored due time is never older than the
// ticket it describes.
import type { Store, TicketChanges } from '../model/store';
import type { Department, Ticket } from '../model/types';
import { promiseOf, type Promised } from '../model/regulation';
import { regulationOf, resolutionDue, responseDue, targetsFor, type WaitState } from './regulation';
import { addWorkingMinutes, workingTimeBetween } from './working-hours';
import { factsOfChange } from './report-facts';

/** The due-time columns of a ticket. */
export type DueFields = Pick<Ticket, 'dueAt' | 'dueKind' | 'waitingSince' | 'pausedMs' | 'pausedSince' | 'warnAt'>;

/** Waiting for staff: a new request, or the customer's reply. */
const waitsForStaff = (status: Ticket['status']) => status === 'new' || status === 'waiting';

/**
 * The due fields of a ticket after a change at `at`: `before` is the ticket as it was (null for a
 * new one), `after` as it is now. A wait for staff that begins now starts the response clock; an
 * answer starts a pause of the resolution clock, which the next change out of it ends.
 */
export function dueFields(
  before: (Pick<Ticket, 'status'> & DueFields) | null,
  after: Pick<Ticket, 'status' | 'priority' | 'createdAt'>,
  department: Pick<Department, 'regulation'>,
  at: number,
): DueFields {
  const regulation = regulationOf(department);
  const waitingSince =
    waitsForStaff(after.status) && (before === null || !waitsForStaff(before.status)) ? at : (before?.waitingSince ?? at);
  let pausedMs = before?.pausedMs ?? 0;
  let pausedSince = before?.pausedSince ?? null;
  if (after.status === 'answered') pausedSince ??= at;
  else if (pausedSince !== null) {
    pausedMs += workingTimeBetween(pausedSince, at, regulation.hours);
    pausedSince = null;
  }
  const state: WaitState = { status: after.status, priority: after.priority, createdAt: after.createdAt, waitingSince, pausedMs };
  const response = responseDue(state, regulation);
  // The resolution clock stops while the customer is the one to answer.
  const resolution = pausedSince === null ? resolutionDue(state, regulation) : null;
  const share = department.regulation.warnPercent / 100;
  let due: Pick<Ticket, 'dueAt' | 'dueKind' | 'warnAt'> = { dueAt: null, dueKind: null, warnAt: null };
  if (response) {
    const warnAt = addWorkingMinutes(waitingSince, Math.floor(response.minutes * share), regulation.hours);
    due = { dueAt: response.at, dueKind: response.kind, warnAt };
  }
  if (resolution !== null && (due.dueAt === null || resolution < due.dueAt)) {
    const minutes = targetsFor(regulation, after.priority).resolution ?? 0;
    const warnAt = addWorkingMinutes(after.createdAt, Math.floor(minutes * share + pausedMs / 60_000), regulation.hours);
    due = { dueAt: resolution, dueKind: 'resolution', warnAt };
  }
  return { ...due, waitingSince, pausedMs, pausedSince };
}

/**
 * Changes a ticket (locked or just read in this transaction) and its due time with it. The
 * department is read only when the caller has not got it: the one the ticket ends up in.
 */
export async function changeTicket(
  tx: Store,
  ticket: Ticket,
  changes: TicketChanges,
  at: number,
  department?: Department | null,
): Promise<Ticket> {
  const after = { ...ticket, ...changes };
  const home = department?.id === after.departmentId ? department : await tx.departments.find(after.departmentId);
  const due = home ? dueFields(ticket, after, home, at) : {};
  const all = { ...changes, ...due };
  await tx.tickets.update(ticket.id, all);
  const changed = { ...ticket, ...all };
  // A first transfer or a first resolution is a fact the reports count.
  for (const fact of home ? factsOfChange(ticket, changed, home, at) : []) await tx.reports.recordFact(fact);
  return changed;
}

/**
 * What the customer is promised on a request now: the response target it waits under, or null
 * while it waits for the customer, is closed, or is already late (the page then says nothing of
 * time: never a negative one).
 */
export function responsePromise(ticket: Ticket, department: Pick<Department, 'regulation'>, now: number): Promised | null {
  if (ticket.dueAt === null || (ticket.dueKind !== 'firstResponse' && ticket.dueKind !== 'nextResponse')) return null;
  return ticket.dueAt < now ? null : promiseOf(department.regulation, ticket.priority, ticket.dueKind);
}

/** How many tickets one transaction recounts when a regulation changes. */
const RECOUNT_BATCH = 200;

/**
 * Recounts the due times of a department's open tickets after its regulation changed, a batch per
 * transaction: each from where it stands (the same start of its wait, its pause so far).
 */
export async function recountDepartment(store: Store, departmentId: number, at: number): Promise<void> {
  let after = 0;
  for (;;) {
    const batch = await store.tickets.openInDepartment(departmentId, after, RECOUNT_BATCH);
    if (batch.length === 0) return;
    await store.transaction(async (tx) => {
      const department = await tx.departments.find(departmentId);
      for (const { id } of batch) {
        const ticket = await tx.tickets.lock(id);
        // Moved elsewhere meanwhile: its new department's regulation counts it.
        if (ticket.departmentId === departmentId && ticket.status !== 'closed') await changeTicket(tx, ticket, {}, at, department);
      }
    });
    after = batch[batch.length - 1]!.id;
  }
}
