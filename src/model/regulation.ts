// What a department's response regulation promises, read the same way by the pages, the e-mail
// and the domain: the targets of a priority, and the first answer a new request is promised.
import type { Department, DepartmentRegulation, ResponseTargets, TicketPriority } from './types';

/** What a department without a regulation promises: nothing, round the clock, warned at 80%. */
export const NO_REGULATION: DepartmentRegulation = {
  targets: { firstResponse: null, nextResponse: null, resolution: null },
  byPriority: {},
  hours: null,
  warnPercent: 80,
};

/** The department's targets with the priority's own over them. */
export function targetsFor(regulation: Pick<DepartmentRegulation, 'targets' | 'byPriority'>, priority: TicketPriority): ResponseTargets {
  const own = Object.entries(regulation.byPriority[priority] ?? {}).filter(([, v]) => v !== undefined);
  return { ...regulation.targets, ...Object.fromEntries(own) };
}

/** The targets of a regulation, in the order the admin page shows them. */
export const TARGET_KINDS = ['firstResponse', 'nextResponse', 'resolution'] as const satisfies ReadonlyArray<keyof ResponseTargets>;

/** A target as customers are told it: its minutes, and whether they count working hours only. */
export interface Promised {
  minutes: number;
  working: boolean;
}

/** A target of the regulation as a promise; null where it promises nothing. */
export function promiseOf(regulation: DepartmentRegulation, priority: TicketPriority, kind: keyof ResponseTargets): Promised | null {
  const minutes = targetsFor(regulation, priority)[kind];
  return minutes === null ? null : { minutes, working: regulation.hours !== null };
}

/** What a new request of the department is promised: its first-response target at its usual priority. */
export function firstResponsePromise(department: Pick<Department, 'regulation' | 'urgent'>): Promised | null {
  return promiseOf(department.regulation, department.urgent ? 'urgent' : 'normal', 'firstResponse');
}
