// What a department's regulation promises a request now: which answer is due and by when. The
// clock runs while the request waits for staff (a new request, or the customer's reply) and
// stops while it waits for the customer; a transfer or a priority change only changes the
// regulation and the priority this is asked with.
import type { Department, DueKind, Regulation, TicketPriority, TicketStatus } from '../model/types';
import { addWorkingMinutes, roundTheClock } from './working-hours';
import { targetsFor } from '../model/regulation';

/** Where a request stands, as the regulation reads it. */
export interface WaitState {
  status: TicketStatus;
  priority: TicketPriority;
  createdAt: number;
  /** When the current wait for staff began: the opening, or the customer's first reply after an answer. */
  waitingSince: number;
  /** Working time spent waiting for the customer so far, which the resolution target does not count. */
  pausedMs: number;
}

type ResponseKind = Exclude<DueKind, 'resolution'>;

export interface ResponseDue {
  kind: ResponseKind;
  /** The instant the answer is due. */
  at: number;
  /** The target it comes from, in working minutes: what the customer is promised. */
  minutes: number;
}

export { targetsFor };

/** The regulation a due time is counted by: no schedule is round the clock (its zone does not matter). */
export function regulationOf(department: Pick<Department, 'regulation'>): Regulation {
  const { targets, byPriority, hours } = department.regulation;
  return { targets, byPriority, hours: hours ?? roundTheClock() };
}

/** The answer staff owe now and when it is due; null while the request waits for the customer, is closed, or nothing is promised. */
export function responseDue(state: WaitState, regulation: Regulation): ResponseDue | null {
  const kind: ResponseKind | null = state.status === 'new' ? 'firstResponse' : state.status === 'waiting' ? 'nextResponse' : null;
  if (kind === null) return null;
  const minutes = targetsFor(regulation, state.priority)[kind];
  if (minutes === null) return null;
  const at = addWorkingMinutes(state.waitingSince, minutes, regulation.hours);
  return at === null ? null : { kind, at, minutes };
}

/** When an open request is due to be resolved, the time spent waiting for the customer added; null when nothing is promised. */
export function resolutionDue(state: WaitState, regulation: Regulation): number | null {
  if (state.status === 'closed') return null;
  const minutes = targetsFor(regulation, state.priority).resolution;
  if (minutes === null) return null;
  return addWorkingMinutes(state.createdAt, minutes + Math.floor(state.pausedMs / 60_000), regulation.hours);
}

/** How a due time stands at a moment: time left, or how long overdue; never a negative span. */
export function standing(due: number, now: number): { overdue: boolean; ms: number } {
  return due >= now ? { overdue: false, ms: due - now } : { overdue: true, ms: now - due };
}
