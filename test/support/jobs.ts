// Waiting for the plugin's background jobs in tests that move its clock instead of sleeping.
import { waitUntil } from './smtp-sink';
import type { TestClock, TestPlugin } from './test-host';

/**
 * Waits until every background job has run since the clock moved to `now()`: each job's next due
 * time is past it, and no run holds its lease.
 */
export async function waitForJobs(t: TestPlugin, now: () => number, ms = 10_000): Promise<void> {
  await waitUntil(
    async () => {
      const jobs = await t.knex(t.tables.jobLeases).select('due_at', 'lease_until');
      return jobs.length > 0 && jobs.every((job) => Number(job.due_at) > now() && job.lease_until === null);
    },
    ms,
    'every background job to run at the moved clock',
  );
}

/** Waits until a background job has run at the moved clock: due after now, and no run holds it. */
export async function waitForJob(t: TestPlugin, clock: TestClock, name: string): Promise<void> {
  await waitUntil(
    async () => {
      const job = await t.knex(t.tables.jobLeases).where('name', name).first('due_at', 'lease_until');
      return job !== undefined && Number(job.due_at) > clock.now() && job.lease_until === null;
    },
    10_000,
    `the job ${name} to run at the moved clock`,
  );
}
