// Which departments and tickets a staff member reaches: admins all of them, staff their own
// departments only. A ticket out of reach is NotFound, as if it did not exist, so a number typed
// by hand tells nothing about tickets elsewhere.
import type { HostUser } from '../host';
import type { Store } from '../model/store';
import type { Department, Ticket } from '../model/types';
import { NotFoundError } from '../model/errors';
import { isTicketNumber } from './ticket-number';

export function staffAccess(store: Store) {
  /** Ids of the departments this user works in; null for admins (all of them). */
  async function reach(user: HostUser): Promise<number[] | null> {
    if (user.role === 'admin') return null;
    // The host's list when it gives one (even an empty one); otherwise the admin's membership table.
    if (!user.departments) return store.members.departmentIdsOf(user.id);
    const codes = new Set(user.departments);
    return (await store.departments.list({ activeOnly: false })).filter((d) => codes.has(d.code)).map((d) => d.id);
  }

  return {
    reach,

    async reachable(user: HostUser, number: string): Promise<Ticket> {
      const ticket = isTicketNumber(number) ? await store.tickets.findByNumber(number) : null;
      const allowed = await reach(user);
      if (!ticket || (allowed && !allowed.includes(ticket.departmentId))) throw new NotFoundError('ticket');
      return ticket;
    },

    async departmentsOf(user: HostUser): Promise<Department[]> {
      const allowed = await reach(user);
      return (await store.departments.list({ activeOnly: false })).filter((d) => !allowed || allowed.includes(d.id));
    },
  };
}

export type StaffAccess = ReturnType<typeof staffAccess>;
