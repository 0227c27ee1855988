// Waiting for the plugin's background jobs in tests that move its clock instead of sleeping.
import { waitUntil } from './smtp-sink';
import type { TestClock, TestPlugin } from './test-host';

/**
 * Waits until the background jobs (every one, or the one named) have run since the clock moved to
 * `now()`: each one's next due time is past it, and no run holds its lease.
 */
export async function waitForJobs(t: TestPlugin, now: () => number, ms = 10_000, name?: string): Promise<void> {
  await waitUntil(
    async () => {
      const query = t.knex(t.tables.jobLeases).select('due_at', 'lease_until');
      const jobs = await (name === undefined ? query : query.where('name', name));
      return jobs.length > 0 && jobs.every((job) => Number(job.due_at) > now() && job.lease_until === null);
    },
    ms,
    name === undefined ? 'every background job to run at the moved clock' : `the job ${name} to run at the moved clock`,
  );
}

/** Waits until one background job has run at the moved clock. */
export function waitForJob(t: TestPlugin, clock: TestClock, name: string): Promise<void> {
  return waitForJobs(t, clock.now, 10_000, name);
}
