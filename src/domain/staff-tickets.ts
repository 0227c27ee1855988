// What staff and admins do with tickets, as the one object the staff pages and the menu badge
// use. Its parts: who reaches what (staff-access), the queue and badge (staff-queue), a ticket's
// page (staff-ticket-view), replies and notes (staff-messages) and the other changes to a ticket
// (staff-actions).
import type { HostService } from '../host';
import type { MailOriginals } from '../model/inbound';
import { staffAccess } from './staff-access';
import { staffActions } from './staff-actions';
import { staffMessages, type StaffMessageDeps } from './staff-messages';
import { staffQueue } from './staff-queue';
import { staffTicketView } from './staff-ticket-view';
import { colleaguesOf } from './colleagues';
import { ticketMerge } from './merge';

export interface StaffTicketDeps extends StaffMessageDeps {
  servicesOf(customerId: string): Promise<HostService[]>;
  originals: MailOriginals;
}

export function staffTickets(deps: StaffTicketDeps) {
  const access = staffAccess(deps.store);
  const colleagues = colleaguesOf(deps.store, deps.hostStaffOf);
  return {
    departmentsOf: access.departmentsOf,
    ...staffQueue(deps.store, access, deps.now),
    ...staffTicketView(deps.store, deps.servicesOf, deps.originals, access, colleagues),
    ...staffMessages(deps, access),
    ...staffActions(deps, access, colleagues),
    ...ticketMerge(deps, access),
  };
}

export type StaffTickets = ReturnType<typeof staffTickets>;
