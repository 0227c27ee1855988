// The reports' facts, day sums and built days in memory (see memory-store.ts), as the knex store keeps them.
import type { BacklogCount, RatingTally, ReportStore } from '../../src/model/reports';
import type { MemoryData } from './memory-data';

export function memoryReports(data: MemoryData): ReportStore {
  return {
    async recordFact(fact) {
      if (!data.reportFacts.some((f) => f.ticketId === fact.ticketId && f.kind === fact.kind)) data.reportFacts.push({ ...fact });
    },
    async factsBetween(from, to) {
      return data.reportFacts.filter((f) => f.at >= from && f.at < to).map((f) => ({ ...f }));
    },
    async openedBetween(from, to) {
      const counts = new Map<number, number>();
      for (const ticket of data.tickets.filter((t) => t.createdAt >= from && t.createdAt < to)) {
        const transfer = data.reportFacts.find((f) => f.ticketId === ticket.id && f.kind === 'transfer');
        const department = transfer?.departmentId ?? ticket.departmentId;
        counts.set(department, (counts.get(department) ?? 0) + 1);
      }
      return [...counts].map(([departmentId, opened]) => ({ departmentId, opened }));
    },
    async ratingsBetween(from, to) {
      const tallies = new Map<string, RatingTally>();
      for (const r of data.ratings.filter((x) => x.ratedAt >= from && x.ratedAt < to)) {
        const key = `${r.departmentId}|${r.staffId ?? ''}`;
        const tally = tallies.get(key) ?? { departmentId: r.departmentId, staffId: r.staffId, staffName: r.staffName, good: 0, bad: 0 };
        tally[r.rating]++;
        if ((r.staffName ?? '') > (tally.staffName ?? '')) tally.staffName = r.staffName;
        tallies.set(key, tally);
      }
      return [...tallies.values()];
    },
    async firstOpenedAt() {
      return data.tickets.length === 0 ? null : Math.min(...data.tickets.map((t) => t.createdAt));
    },
    async saveDay(day, timeZone, rows, builtAt) {
      data.reportDays = [...data.reportDays.filter((r) => r.day !== day), ...structuredClone(rows)];
      data.reportBuilt = [...data.reportBuilt.filter((b) => b.day !== day), { day, timeZone, builtAt }];
    },
    async builtDays(fromDay, toDay, timeZone) {
      const built = data.reportBuilt.filter((b) => b.day >= fromDay && b.day <= toDay && b.timeZone === timeZone);
      return new Map(built.map((b) => [b.day, b.builtAt]));
    },
    async days(fromDay, toDay, departmentIds, staff) {
      return structuredClone(
        data.reportDays.filter(
          (r) =>
            r.day >= fromDay && r.day <= toDay && (staff || r.staffId === '') && (!departmentIds || departmentIds.includes(r.departmentId)),
        ),
      );
    },
    async saveMonth(month, rows) {
      data.reportMonths = [...data.reportMonths.filter((r) => r.day !== month), ...structuredClone(rows)];
    },
    async months(fromMonth, toMonth, departmentIds) {
      return structuredClone(
        data.reportMonths.filter(
          (r) => r.day >= fromMonth && r.day <= toMonth && (!departmentIds || departmentIds.includes(r.departmentId)),
        ),
      );
    },
    async countBacklog(bands, now) {
      const counts = new Map<string, BacklogCount>();
      for (const t of data.tickets.filter((x) => x.status !== 'closed')) {
        const found = bands.findIndex((b) => t.createdAt >= b);
        const band = found === -1 ? bands.length : found;
        const key = `${t.departmentId}|${band}`;
        const count = counts.get(key) ?? { departmentId: t.departmentId, band, open: 0, overdue: 0 };
        count.open++;
        if (t.dueAt !== null && t.dueAt < now) count.overdue++;
        counts.set(key, count);
      }
      return [...counts.values()];
    },
    async saveBacklog(counts, countedAt) {
      data.reportBacklog = { counts: structuredClone(counts), countedAt };
    },
    async keptBacklog() {
      return data.reportBacklog && data.reportBacklog.counts.length > 0 ? structuredClone(data.reportBacklog.counts) : null;
    },
  };
}
