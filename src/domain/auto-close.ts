// Closes requests that were answered and then heard nothing from the customer for a while,
// telling the customer so. A background job (src/jobs/); off unless configured.
import type { HostLogger } from '../host';
import type { Job } from '../model/jobs';
import type { TicketMail } from '../model/mail';
import type { Store } from '../model/store';
import type { Clock } from '../model/types';
import { changeTicket } from './due';

const AUTO_CLOSE_BATCH = 100;
/** The audit trail's actor for what the plugin does by itself. */
const SYSTEM_ACTOR = { id: 'system', name: 'auto-close' };

export interface AutoCloseDeps {
  store: Store;
  mail: TicketMail;
  afterDays: number;
  now?: Clock;
}

/** Closes up to one batch of silent answered tickets; returns how many were closed. */
export async function closeSilentTickets(deps: AutoCloseDeps): Promise<number> {
  const { store } = deps;
  const now = (deps.now ?? Date.now)();
  const before = now - deps.afterDays * 86_400_000;
  const candidates = await store.tickets.answeredBefore(before, AUTO_CLOSE_BATCH);
  let closed = 0;
  for (const candidate of candidates) {
    closed += await store.transaction(async (tx) => {
      // Re-checked under the lock: the customer may have replied a moment ago.
      const ticket = await tx.tickets.lock(candidate.id);
      if (ticket.status !== 'answered' || (ticket.lastReplyAt ?? 0) >= before) return 0;
      await changeTicket(tx, ticket, { status: 'closed', closedAt: now, updatedAt: now }, now);
      await tx.events.record([
        {
          ticketId: ticket.id,
          actorId: SYSTEM_ACTOR.id,
          actorName: SYSTEM_ACTOR.name,
          action: 'status',
          detail: { from: 'answered', to: 'closed' },
          createdAt: now,
        },
      ]);
      await tx.outbox.enqueue(deps.mail.forAutoClose(ticket, deps.afterDays), now);
      return 1;
    });
  }
  return closed;
}

export interface AutoCloseJobDeps extends Omit<AutoCloseDeps, 'now'> {
  everyMs: number;
  logger: HostLogger;
  /** Called when closing queued notices, so they go out now rather than at the next poll. */
  mailQueued: () => void;
}

/** Auto-close as a background job: on start, then every `everyMs` (settings.autoClose.checkMinutes). */
export function autoCloseJob(deps: AutoCloseJobDeps): Job {
  return {
    name: 'auto-close',
    everyMs: deps.everyMs,
    runOnStart: true,
    async run({ now }) {
      const closed = await closeSilentTickets({ store: deps.store, mail: deps.mail, afterDays: deps.afterDays, now });
      if (closed === 0) return;
      deps.logger.info(`support-requests: auto-closed ${closed} answered request(s) silent for ${deps.afterDays} days`);
      deps.mailQueued();
    },
  };
}
