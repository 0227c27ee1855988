// Customers' ratings in memory (see memory-store.ts): one per request, as the knex store keeps them.
import type { RatingCount, RatingStore } from '../../src/model/store';
import type { Rating } from '../../src/model/types';
import { byKeys, type MemoryData } from './memory-data';

/** Adds one rating to the count kept under `key`. */
function tally<K>(counts: Map<K, RatingCount>, key: K, rating: Rating): void {
  const count = counts.get(key) ?? { good: 0, bad: 0 };
  count[rating.rating]++;
  counts.set(key, count);
}

export function memoryRatings(data: MemoryData): RatingStore {
  const inPeriod = (from: number, to: number) => data.ratings.filter((r) => r.ratedAt >= from && r.ratedAt < to);
  return {
    async find(ticketId) {
      const found = data.ratings.find((r) => r.ticketId === ticketId);
      return found ? structuredClone(found) : null;
    },
    async save(rating) {
      if (!data.tickets.some((t) => t.id === rating.ticketId)) throw new Error(`memory store: no ticket ${rating.ticketId} to rate`);
      data.ratings = [...data.ratings.filter((r) => r.ticketId !== rating.ticketId), structuredClone(rating)];
    },
    async counts(from, to) {
      const departments = new Map<number, RatingCount>();
      const staff = new Map<string, RatingCount>();
      const names = new Map<string, string>();
      for (const r of inPeriod(from, to).sort(byKeys((x) => x.ratedAt))) {
        tally(departments, r.departmentId, r);
        if (r.staffId === null) continue;
        tally(staff, r.staffId, r);
        names.set(r.staffId, r.staffName ?? '');
      }
      return {
        departments: [...departments].map(([departmentId, count]) => ({ departmentId, ...count })),
        staff: [...staff].map(([staffId, count]) => ({ staffId, staffName: names.get(staffId) ?? '', ...count })),
      };
    },
    async ratedBad(ticketIds) {
      return data.ratings.filter((r) => r.rating === 'bad' && ticketIds.includes(r.ticketId)).map((r) => r.ticketId);
    },
    async latest(choice, from, to, limit) {
      return inPeriod(from, to)
        .filter((r) => r.rating === choice)
        .sort(byKeys((x) => -x.ratedAt))
        .slice(0, limit)
        .map((r) => {
          const ticket = data.tickets.find((t) => t.id === r.ticketId);
          return { ...structuredClone(r), ticketNumber: ticket?.number ?? '', subject: ticket?.subject ?? '' };
        });
    },
  };
}
