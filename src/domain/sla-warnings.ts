// Service-level warnings: when a request's due time comes close (the department's warning share
// of the target) and when it passes, an e-mail goes to the assignee (by the department's member
// list or the panel's staffOf), or to the department when nobody is assigned or has no address.
// Each warning is sent once per due time: under the ticket's lock it is looked up in the sent
// warnings, noted there in the same transaction as its outbox row (whose unique key refuses a
// second), and the ticket's warn_at moves on, so a second instance, a lease taken over or a
// restart finds it done.
import type { HostLogger } from '../host';
import type { Job } from '../model/jobs';
import type { TicketMail } from '../model/mail';
import type { SlaWarningKind, Store } from '../model/store';
import type { Clock, Department, Ticket } from '../model/types';
import { ConflictError } from '../model/errors';
import { colleaguesOf, type Colleague, type HostStaffOf } from './colleagues';

const BATCH = 100;
/** How often the warnings are looked for: a warning is at most this late. */
export const SLA_WARNING_EVERY_MS = 60_000;

export interface SlaWarningDeps {
  store: Store;
  mail: TicketMail;
  now: Clock;
  /** The host's staffOf (contract 1.3): an assignee the panel places in the department has an address too. */
  hostStaffOf?: HostStaffOf;
}

/**
 * The assignees' addresses, read before a ticket is locked (the host's staffOf is a call into the
 * panel, kept out of the transaction): from the department's member list or the panel's own
 * staff, each department's looked up once a run.
 */
function assigneeAddresses(store: Store, hostStaffOf: HostStaffOf | undefined) {
  const colleagues = colleaguesOf(store, hostStaffOf);
  const byDepartment = new Map<number, Promise<Colleague[]>>();
  return async (ticket: Ticket): Promise<string | null> => {
    if (!ticket.assigneeId) return null;
    let staff = byDepartment.get(ticket.departmentId);
    if (!staff) {
      staff = store.departments.find(ticket.departmentId).then((department) => (department ? colleagues(department) : []));
      byDepartment.set(ticket.departmentId, staff);
    }
    return (await staff).find((c) => c.userId === ticket.assigneeId)?.email || null;
  };
}

/** Whom a warning goes to: the assignee looked up before the lock if still the same, else the department. */
function recipients(ticket: Ticket, department: Department, assignee: { id: string | null; address: string | null }): string[] {
  if (ticket.assigneeId && ticket.assigneeId === assignee.id && assignee.address) return [assignee.address];
  return department.urgent ? [...department.emails, ...department.onCall] : department.emails;
}

/** Sends the warnings that are due now, a batch at a time; returns how many were queued. */
export async function sendSlaWarnings(deps: SlaWarningDeps): Promise<number> {
  const { store } = deps;
  const now = deps.now();
  let queued = 0;
  const addressOf = assigneeAddresses(store, deps.hostStaffOf);
  for (const candidate of await store.slaWarnings.due(now, BATCH)) {
    const assignee = { id: candidate.assigneeId, address: await addressOf(candidate) };
    queued += await store
      .transaction(async (tx) => {
        // Re-read under the lock: a reply may have moved the due time a moment ago.
        const ticket = await tx.tickets.lock(candidate.id);
        if (ticket.status === 'closed' || ticket.dueAt === null || ticket.warnAt === null || ticket.warnAt > now) return 0;
        const kind: SlaWarningKind = now >= ticket.dueAt ? 'breach' : 'warn';
        // After the early warning the breach is next; after the breach nothing until the due time moves.
        await tx.tickets.update(ticket.id, { warnAt: kind === 'warn' ? ticket.dueAt : null });
        if (await tx.slaWarnings.sent(ticket.id, ticket.dueAt, kind)) return 0;
        const department = await tx.departments.find(ticket.departmentId);
        if (!department) return 0;
        const items = deps.mail.forSlaWarning(ticket, department, kind, recipients(ticket, department, assignee));
        await tx.slaWarnings.record(ticket.id, ticket.dueAt, kind, now);
        if (items.length > 0) await tx.outbox.enqueue(items, now);
        return items.length > 0 ? 1 : 0;
      })
      .catch((err: unknown) => {
        // Another run noted it between our look and our insert: it is sent, once.
        if (err instanceof ConflictError) return 0;
        throw err;
      });
  }
  return queued;
}

export interface SlaWarningJobDeps extends Omit<SlaWarningDeps, 'now'> {
  everyMs: number;
  logger: HostLogger;
  mailQueued: () => void;
}

/** The warnings as a background job, every minute by default: a warning is at most that late. */
export function slaWarningJob(deps: SlaWarningJobDeps): Job {
  return {
    name: 'sla-warnings',
    everyMs: deps.everyMs,
    runOnStart: true,
    async run({ now }) {
      const queued = await sendSlaWarnings({
        store: deps.store,
        mail: deps.mail,
        now,
        ...(deps.hostStaffOf ? { hostStaffOf: deps.hostStaffOf } : {}),
      });
      if (queued === 0) return;
      deps.logger.info(`support-requests: queued ${queued} service-level warning(s)`);
      deps.mailQueued();
    },
  };
}
