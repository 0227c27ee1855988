// The staff queue: the tickets of the departments a staff member reaches, filtered and a page at a
// time, and the menu badge's count of those waiting for an answer.
import type { HostUser } from '../host';
import type { QueueFilter, Store } from '../model/store';
import type { Clock, Page, Ticket } from '../model/types';
import type { StaffAccess } from './staff-access';

const STAFF_PAGE_SIZE = 25;
/** The menu badge counts this far; a host shows it as "99+" or the like. */
const BADGE_CAP = 100;

/** The queue's "due soon" filter: overdue, or due within this many minutes. */
export const DUE_SOON_MINUTES = 60;

export const DUE_FILTERS = ['overdue', 'soon'] as const;
export type DueFilter = (typeof DUE_FILTERS)[number];

export type QueueQuery = Omit<QueueFilter, 'departmentIds' | 'dueBefore'> & { departmentId: number | null; due: DueFilter | null };

/** A page of the queue, with the requests on it that their customer rated bad (marked in the row). */
export interface QueuePage extends Page<Ticket> {
  ratedBad: Set<number>;
}

export const EMPTY_QUEUE_PAGE: QueuePage = { items: [], next: null, ratedBad: new Set() };

export function staffQueue(store: Store, access: StaffAccess, now: Clock = Date.now) {
  return {
    async queue(user: HostUser, query: QueueQuery, cursor: string | null): Promise<QueuePage> {
      const allowed = await access.reach(user);
      let departmentIds = allowed;
      if (query.departmentId !== null) {
        departmentIds = !allowed || allowed.includes(query.departmentId) ? [query.departmentId] : [];
      }
      if (departmentIds && departmentIds.length === 0) return EMPTY_QUEUE_PAGE;
      const { departmentId: _ignored, due, ...filter } = query;
      // Read once per page: the next page's cursor carries the order, not this instant.
      const dueBefore = due === 'overdue' ? now() : due === 'soon' ? now() + DUE_SOON_MINUTES * 60_000 : null;
      const page = await store.queue.page({ ...filter, departmentIds, dueBefore }, cursor, STAFF_PAGE_SIZE);
      // A request is rated once staff have answered it: a page of new ones asks nothing more.
      const answeredOnce = page.items.filter((ticket) => ticket.status !== 'new').map((ticket) => ticket.id);
      const ratedBad = new Set(await store.ratings.ratedBad(answeredOnce));
      return { ...page, ratedBad };
    },

    /** Tickets waiting for an answer in the user's departments, for the menu badge; BADGE_CAP means "that many or more". */
    async waitingCount(user: HostUser): Promise<number> {
      const allowed = await access.reach(user);
      if (allowed && allowed.length === 0) return 0;
      return store.queue.waitingCount(allowed, BADGE_CAP);
    },
  };
}
