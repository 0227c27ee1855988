// Which departments and tickets a staff member reaches: admins all of them, staff their own
// departments only. A ticket out of reach is NotFound, as if it did not exist, so a number typed
// by hand tells nothing about tickets elsewhere.
import type { HostUser } from '../host';
import type { Store } from '../model/store';
import type { Department, Ticket } from '../model/types';
import { NotFoundError } from '../model/errors';
import { isTicketNumber } from './ticket-number';
import { currentTicket } from './merged-tickets';

export function staffAccess(store: Store) {
  /** Ids of the departments this user works in; null for admins (all of them). */
  async function reach(user: HostUser): Promise<number[] | null> {
    if (user.role === 'admin') return null;
    // The host's list when it gives one (even an empty one); otherwise the admin's membership table.
    if (!user.departments) return store.members.departmentIdsOf(user.id);
    const codes = new Set(user.departments);
    return (await store.departments.list({ activeOnly: false })).filter((d) => codes.has(d.code)).map((d) => d.id);
  }

  const byNumber = async (number: string) => (isTicketNumber(number) ? store.tickets.findByNumber(number) : null);

  /** `allowed`: the user's reach, when the caller has it already (a page that also lists by it). */
  async function inReach(user: HostUser, ticket: Ticket | null, allowed?: number[] | null): Promise<Ticket> {
    const departmentIds = allowed === undefined ? await reach(user) : allowed;
    if (!ticket || (departmentIds && !departmentIds.includes(ticket.departmentId))) throw new NotFoundError('ticket');
    return ticket;
  }

  return {
    reach,

    /** The ticket a number names now, as the user may see it: a merged ticket's number leads to the ticket it went into. */
    async reachable(user: HostUser, number: string, allowed?: number[] | null): Promise<Ticket> {
      return inReach(user, await currentTicket(store, await byNumber(number)), allowed);
    },

    /** The ticket of this very number, merged or not: what a merge moves away from. */
    async reachableAsIs(user: HostUser, number: string, allowed?: number[] | null): Promise<Ticket> {
      return inReach(user, await byNumber(number), allowed);
    },

    async departmentsOf(user: HostUser): Promise<Department[]> {
      const allowed = await reach(user);
      return (await store.departments.list({ activeOnly: false })).filter((d) => !allowed || allowed.includes(d.id));
    },
  };
}

export type StaffAccess = ReturnType<typeof staffAccess>;
