// Sending an incident's update to every request linked to it: each one gets it as a staff
// answer in its customer's language (message, status, audit entry and e-mail, like a reply from
// the request's page). An incident may have hundreds of requests, so the update is recorded
// first and then sent in chunks, each chunk one transaction; a chunk that fails leaves the
// update unfinished, and sending it again (the incident page's button, the background job)
// carries on where it stopped. A request gets each update at most once: its delivery row is
// written with the message, under the request's lock, and keyed by (update, request).
import type { Locale } from '../host';
import type { HostLogger } from '../host';
import type { IncidentUpdate } from '../model/incidents';
import type { Job } from '../model/jobs';
import type { TicketMail } from '../model/mail';
import type { Store } from '../model/store';
import type { Clock } from '../model/types';
import { answerCustomer } from './staff-answer';

/** Requests per transaction: small enough to keep locks short, large enough to keep commits few. */
export const BROADCAST_CHUNK = 50;

export interface BroadcastDeps {
  store: Store;
  mail: TicketMail;
  /** The language of requests whose customer's is not known. */
  defaultLocale: Locale;
  mailQueued?: () => void;
  now?: Clock;
}

export function incidentBroadcast(deps: BroadcastDeps) {
  const { store } = deps;
  const now = deps.now ?? Date.now;

  /** The update on one request, under its lock; false when the request is closed or has it already. */
  async function reachOne(tx: Store, update: IncidentUpdate, ticketId: number): Promise<boolean> {
    const ticket = await tx.tickets.lock(ticketId);
    if (ticket.status === 'closed' || (await tx.incidents.reachedTicket(update.id, ticket.id))) return false;
    const at = now();
    const messageId = await answerCustomer(
      tx,
      deps.mail,
      ticket,
      {
        author: { id: update.authorId, name: update.authorName },
        body: update.body[ticket.customerLocale ?? deps.defaultLocale],
        status: update.final && update.closeLinked ? 'closed' : 'answered',
        detail: { incident: String(update.incidentId) },
      },
      at,
    );
    await tx.incidents.recordReach(update.id, ticket.id, messageId, at);
    return true;
  }

  /** Sends the update to every request it has not reached yet, a chunk at a time, then marks it finished. */
  async function send(update: IncidentUpdate, signal?: AbortSignal): Promise<void> {
    // A request skipped once (closed meanwhile) is not asked for again: the loop always ends.
    const tried = new Set<number>();
    for (;;) {
      if (signal?.aborted) return;
      const ids = (await store.incidents.unreached(update, BROADCAST_CHUNK + tried.size)).filter((id) => !tried.has(id));
      if (ids.length === 0) break;
      const chunk = ids.slice(0, BROADCAST_CHUNK);
      const sent = await store.transaction(async (tx) => {
        let count = 0;
        for (const id of chunk) if (await reachOne(tx, update, id)) count++;
        return count;
      });
      chunk.forEach((id) => tried.add(id));
      if (sent > 0) deps.mailQueued?.();
    }
    await store.incidents.finish(update.id, now());
  }

  return {
    send,

    /** Sends every update left unfinished (a failed chunk, a stopped process), oldest first. */
    async sendUnfinished(signal?: AbortSignal): Promise<number> {
      const left = await store.incidents.unfinished(20);
      for (const update of left) await send(update, signal);
      return left.length;
    },
  };
}

export type IncidentBroadcast = ReturnType<typeof incidentBroadcast>;

/** Finishes updates a failure or a stopped process left half sent; on start and every minute. */
export function incidentBroadcastJob(broadcast: IncidentBroadcast, logger: HostLogger): Job {
  return {
    name: 'incident-updates',
    everyMs: 60_000,
    runOnStart: true,
    async run({ signal }) {
      const resumed = await broadcast.sendUnfinished(signal);
      if (resumed > 0) logger.info(`support-requests: sent ${resumed} unfinished incident update(s) to the rest of their requests`);
    },
  };
}
