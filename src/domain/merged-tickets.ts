// A merged ticket's number stands for the ticket it went into: customers' links, staff links, reply
// addresses and Message-IDs of the old number all lead there. A merge rewrites earlier pointers
// (merge.ts), so one step is the rule; a few more are followed in case two merges crossed.
import type { Store } from '../model/store';
import type { Ticket } from '../model/types';

/** Steps followed at most: beyond that (a loop made by hand in the database) the ticket is as if missing. */
const MAX_STEPS = 5;

/** The ticket a ticket was merged into, or the ticket itself; null when the chain does not end. */
export async function currentTicket(store: Pick<Store, 'tickets'>, ticket: Ticket | null): Promise<Ticket | null> {
  let current = ticket;
  for (let step = 0; current?.mergedIntoId != null; step++) {
    if (step >= MAX_STEPS) return null;
    current = await store.tickets.findById(current.mergedIntoId);
  }
  return current;
}
