// Emergency escalation: an urgent request that nobody has acknowledged ("I'm on it") or answered
// within a department's step (afterMinutes after it was opened) pages that step's people: a
// second on-call list, then the admins. A background job (src/jobs/) looks every minute. Each
// step is paged at most once per request: its row in the escalation pages (unique per request
// and step) is written in the same transaction as the e-mail, so two instances never both page it.
import type { HostLogger } from '../host';
import type { Job } from '../model/jobs';
import type { TicketMail } from '../model/mail';
import type { Store } from '../model/store';
import type { Clock, Department, EscalationStep, Ticket } from '../model/types';
import { ConflictError } from '../model/errors';

/** Requests looked at per run; the oldest first, so none waits behind newer ones. */
const ESCALATION_BATCH = 100;
/**
 * How late a step may still be paged, beyond the department's last step: a panel that was down
 * for a while still pages what fell due meanwhile, but one started after days does not page
 * requests long since dealt with by phone.
 */
const LATE_MINUTES = 60;
/** The audit trail's actor for what the plugin does by itself. */
const SYSTEM_ACTOR = { id: 'system', name: 'escalation' };

export interface EscalationDeps {
  store: Store;
  mail: TicketMail;
  /** settings.escalation.adminEmails: whom a step to "admins" pages. */
  adminEmails: string[];
  logger: HostLogger;
  now?: Clock;
}

/** A step as paged: its place in the chain (1, 2...) and its addresses. */
interface EscalationPage {
  step: number;
  afterMinutes: number;
  to: string[];
  toAdmins: boolean;
}

/** Whether the chain still runs for this request: open, urgent, neither acknowledged nor answered. */
function isEscalating(ticket: Ticket): boolean {
  return ticket.status !== 'closed' && ticket.priority === 'urgent' && ticket.acknowledgedAt === null && ticket.lastReplyAt === null;
}

/** The department's steps due by `now` for a request opened at `openedAt`, numbered from 1. */
function dueSteps(steps: EscalationStep[], openedAt: number, now: number): Array<EscalationStep & { step: number }> {
  return steps.map((s, i) => ({ ...s, step: i + 1 })).filter((s) => openedAt + s.afterMinutes * 60_000 <= now);
}

/** Pages every step that has fallen due for up to one batch of requests; returns how many pages were queued. */
export async function pageDueSteps(deps: EscalationDeps): Promise<number> {
  const { store, logger } = deps;
  const now = (deps.now ?? Date.now)();
  const departments = (await store.departments.list({ activeOnly: false })).filter((d) => d.escalation.length > 0);
  if (departments.length === 0) return 0;
  const longest = Math.max(...departments.flatMap((d) => d.escalation.map((s) => s.afterMinutes)));
  const since = now - (longest + LATE_MINUTES) * 60_000;
  const byId = new Map<number, Department>(departments.map((d) => [d.id, d]));
  const candidates = await store.tickets.unacknowledgedUrgent([...byId.keys()], since, ESCALATION_BATCH);
  const withDueSteps = candidates.flatMap((candidate) => {
    const department = byId.get(candidate.departmentId) as Department;
    const due = dueSteps(department.escalation, candidate.createdAt, now);
    return due.length > 0 ? [{ candidate, department, due }] : [];
  });
  // What was paged already, for the whole batch at once; each page is still checked under its request's lock.
  const done = await store.escalationPages.pagedSteps(withDueSteps.map((c) => c.candidate.id));
  let paged = 0;
  for (const { candidate, department, due } of withDueSteps) {
    const pagedBefore = new Set(done.get(candidate.id));
    for (const step of due.filter((s) => !pagedBefore.has(s.step))) {
      const toAdmins = step.to === 'admins';
      const to = toAdmins ? deps.adminEmails : (step.to as string[]);
      if (to.length === 0) {
        logger.warn(
          `support-requests: request #${candidate.number}: escalation step ${step.step} of ${department.code} pages the admins, but settings.escalation.adminEmails is empty`,
        );
        continue;
      }
      paged += await pageOnce(deps, candidate.id, department, { step: step.step, afterMinutes: step.afterMinutes, to, toAdmins }, now);
    }
  }
  return paged;
}

/** One step for one request, unless it was acknowledged or answered meanwhile, or another instance paged it. */
async function pageOnce(
  deps: EscalationDeps,
  ticketId: number,
  department: Department,
  page: EscalationPage,
  now: number,
): Promise<number> {
  try {
    return await deps.store.transaction(async (tx) => {
      // Re-read under the lock: an engineer may have pressed "I'm on it" a moment ago.
      const ticket = await tx.tickets.lock(ticketId);
      if (!isEscalating(ticket) || ticket.departmentId !== department.id) return 0;
      await tx.escalationPages.record(ticket.id, page.step, now);
      await tx.events.record([
        {
          ticketId: ticket.id,
          actorId: SYSTEM_ACTOR.id,
          actorName: SYSTEM_ACTOR.name,
          action: 'escalated',
          detail: { step: String(page.step), minutes: String(page.afterMinutes), to: page.toAdmins ? 'admins' : page.to.join(', ') },
          createdAt: now,
        },
      ]);
      await tx.outbox.enqueue(deps.mail.forEscalation(ticket, department, page), now);
      return 1;
    });
  } catch (err) {
    // Another instance paged this step first: its row and e-mail stand, this one rolled back.
    if (err instanceof ConflictError && err.rule === 'escalationPage') return 0;
    throw err;
  }
}

export interface EscalationJobDeps extends Omit<EscalationDeps, 'now'> {
  /** Called when pages were queued, so they go out now rather than at the next poll. */
  mailQueued: () => void;
}

/** The escalation chain as a background job: on start, then every minute. */
export function escalationJob(deps: EscalationJobDeps): Job {
  return {
    name: 'escalation',
    everyMs: 60_000,
    runOnStart: true,
    async run({ now }) {
      const paged = await pageDueSteps({ ...deps, now });
      if (paged === 0) return;
      deps.logger.info(`support-requests: paged ${paged} escalation step(s) of unacknowledged urgent requests`);
      deps.mailQueued();
    },
  };
}
