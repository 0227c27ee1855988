// The background jobs' shared schedule (model/jobs.ts JobLeaseStore) in one small table. Every
// change is a single UPDATE whose WHERE states what must still hold (the job is due and free,
// or the lease is still ours), so of two instances racing for a row exactly one changes it, on
// SQLite (one writer at a time) as on PostgreSQL and MariaDB (the row lock re-checks the WHERE).
import type { Knex } from 'knex';
import type { JobLeaseStore, JobSchedule } from '../model/jobs';
import type { TableNames } from './tables';
import { num, numOrNull } from './dialect';

export function jobLeaseStore(knex: Knex, t: TableNames): JobLeaseStore {
  const read = async (name: string): Promise<JobSchedule | null> => {
    const row = await knex(t.jobLeases).where('name', name).first('due_at', 'lease_until');
    return row ? { dueAt: num(row.due_at), leaseUntil: numOrNull(row.lease_until) } : null;
  };

  return {
    async plan(name, dueBy) {
      // Two instances starting together may both insert: the second insert is a no-op.
      await knex(t.jobLeases).insert({ name, due_at: dueBy }).onConflict('name').ignore();
      await knex(t.jobLeases)
        .where('name', name)
        .where('due_at', '>', dueBy)
        .where((q) => q.whereNull('last_started_at').orWhere('last_started_at', '<', dueBy))
        .update({ due_at: dueBy });
    },

    async claim(name, ticket, now, leaseUntil) {
      // A read first: most looks find the job not yet due, and a read takes no write lock.
      const seen = await read(name);
      if (!seen) return null;
      const free = seen.leaseUntil === null || seen.leaseUntil <= now;
      if (seen.dueAt > now || !free) return { won: false, schedule: seen };
      const taken = await knex(t.jobLeases)
        .where({ name, due_at: seen.dueAt })
        .where((q) => q.whereNull('lease_until').orWhere('lease_until', '<=', now))
        .update({ lease_ticket: ticket, lease_until: leaseUntil, last_started_at: now });
      if (taken === 1) return { won: true, schedule: { dueAt: seen.dueAt, leaseUntil } };
      // Another instance was quicker: report what it left.
      return { won: false, schedule: (await read(name)) ?? seen };
    },

    async renew(name, ticket, leaseUntil) {
      return (await knex(t.jobLeases).where({ name, lease_ticket: ticket }).update({ lease_until: leaseUntil })) === 1;
    },

    async release(name, ticket, nextDueAt) {
      return (
        (await knex(t.jobLeases)
          .where({ name, lease_ticket: ticket })
          .update({ due_at: nextDueAt, lease_ticket: null, lease_until: null })) === 1
      );
    },
  };
}
