// The facts the reports count (model/reports.ts), made when they happen: a request's first answer
// (domain/staff-answer.ts), its first resolution and its first transfer (due.ts changeTicket). Times
// are working time by the department's regulation then, and so are the targets they are held to.
import type { ReportFact } from '../model/reports';
import type { Department, Ticket } from '../model/types';
import { targetsFor } from '../model/regulation';
import { regulationOf } from './regulation';
import { workingTimeBetween } from './working-hours';

const MINUTE = 60_000;

/** Working time as whole minutes, and whether it kept a target of `target` minutes (null: none). */
function timed(ms: number, target: number | null): Pick<ReportFact, 'minutes' | 'targetMinutes' | 'met'> {
  return { minutes: Math.round(ms / MINUTE), targetMinutes: target, met: target === null ? null : ms <= target * MINUTE };
}

/** The first answer to the customer, by `staff` at `at`: how long the request waited for it. */
export function firstResponseFact(
  ticket: Pick<Ticket, 'id' | 'createdAt' | 'priority'>,
  department: Pick<Department, 'id' | 'regulation'>,
  staff: { id: string; name: string },
  at: number,
): ReportFact {
  const regulation = regulationOf(department);
  return {
    ticketId: ticket.id,
    kind: 'firstResponse',
    at,
    departmentId: department.id,
    staffId: staff.id,
    staffName: staff.name,
    ...timed(workingTimeBetween(ticket.createdAt, at, regulation.hours), targetsFor(regulation, ticket.priority).firstResponse),
  };
}

/**
 * What a change of a ticket adds to the reports: leaving its department for another (the first
 * time counts: the request came to the wrong one), and being closed (the first time counts,
 * without the time the customer was the one to answer; a merge is no resolution). `after` has the
 * due fields the change computed.
 */
export function factsOfChange(before: Ticket, after: Ticket, department: Pick<Department, 'id' | 'regulation'>, at: number): ReportFact[] {
  const facts: ReportFact[] = [];
  const common = { ticketId: before.id, at, staffId: null, staffName: null };
  if (after.departmentId !== before.departmentId)
    facts.push({ ...common, kind: 'transfer', departmentId: before.departmentId, minutes: null, targetMinutes: null, met: null });
  if (after.status === 'closed' && before.status !== 'closed' && after.mergedIntoId === null) {
    const regulation = regulationOf(department);
    const working = workingTimeBetween(after.createdAt, at, regulation.hours) - after.pausedMs;
    facts.push({
      ...common,
      kind: 'resolution',
      departmentId: department.id,
      staffId: after.assigneeId,
      staffName: after.assigneeId ? after.assigneeName : null,
      ...timed(Math.max(0, working), targetsFor(regulation, after.priority).resolution),
    });
  }
  return facts;
}
