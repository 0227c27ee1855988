// Runs the plugin's background jobs, each at its own interval, and each on one instance at a
// time however many panel processes share the database: a run first claims the job's lease row
// (JobLeaseStore), renews it every third of a lease while it works, and releases it with the
// next due time. An instance that dies mid-run leaves a lease that ends by itself; the job is
// then due and free, and another instance runs it.
//
// Due times are read on the plugin's clock (activate's `now`), so a test moves time instead of
// waiting. Real timers only wake the scheduler up: at a job's due time, and at least every
// MAX_WAKE_MS, because the plugin's clock can jump (a test's clock, a stepped system clock) and a
// long timer would not notice. Instances' clocks must agree to well within a lease.
import { randomUUID } from 'node:crypto';
import type { HostLogger } from '../host';
import type { Job, JobLeaseStore } from '../model/jobs';
import { describeFailure } from '../model/errors';

/**
 * How long a run holds a job without renewing. It bounds how long a crashed instance's job
 * waits before another instance takes it over, and must exceed any clock difference between
 * instances; the lease is renewed every third of it, so a long run keeps it.
 */
const DEFAULT_LEASE_MS = 120_000;
const MAX_WAKE_MS = 1000;

export interface SchedulerOptions {
  jobs: Job[];
  leases: JobLeaseStore;
  logger: HostLogger;
  now?: () => number;
  leaseMs?: number;
}

interface JobState {
  job: Job;
  /** Whether this instance has made (or moved forward) the job's row since it started. */
  planned: boolean;
  /** When this instance looks at the job's row again (plugin clock). */
  checkAt: number;
  /** The attempt in progress here: a claim, and the run when the claim is won. */
  attempt: Promise<void> | null;
  /** Aborts the run in progress here (stop, or a lost lease). */
  run: AbortController | null;
}

/**
 * The next due time after a run: the first point on the job's own grid (the due time it ran
 * for, plus whole intervals) after the run finished. A per-minute timer keeps its minute
 * however long each run takes, a run that overruns its interval is not followed by back-to-back
 * catch-up runs, and an instance that was down (or a clock that jumped) runs the job once, not
 * once per interval missed.
 */
export function nextDueAt(dueAt: number, everyMs: number, finishedAt: number): number {
  const missed = Math.max(0, Math.floor((finishedAt - dueAt) / everyMs));
  return dueAt + (missed + 1) * everyMs;
}

export class Scheduler {
  private readonly states: JobState[];
  private readonly now: () => number;
  private readonly leaseMs: number;
  private timer: NodeJS.Timeout | null = null;
  private started = false;
  private stopping = false;

  constructor(private readonly options: SchedulerOptions) {
    this.now = options.now ?? Date.now;
    this.leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    this.states = options.jobs.map((job) => ({ job, planned: false, checkAt: -Infinity, attempt: null, run: null }));
  }

  /** Starts the wake-ups; jobs with `runOnStart` are due at once. Starting again does nothing. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.stopping = false;
    for (const state of this.states) {
      state.planned = false;
      state.checkAt = -Infinity;
    }
    void this.runDue();
    this.wakeLater();
  }

  /**
   * Aborts the runs in progress (their signal), waits for them to return and release their
   * leases, and leaves no timer: once it resolves nothing of the scheduler runs.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    this.clearTimer();
    for (const state of this.states) state.run?.abort(new Error('the plugin is stopping'));
    await Promise.all(this.states.map((state) => state.attempt));
    this.clearTimer();
    this.started = false;
  }

  /** Claims and runs every job due by now that is not running here; resolves when those are done. */
  runDue(): Promise<void> {
    if (this.stopping) return Promise.resolve();
    const now = this.now();
    const attempts = this.states
      .filter((state) => state.attempt === null && state.checkAt <= now)
      .map((state) => {
        const attempt = this.attempt(state).finally(() => {
          state.attempt = null;
          this.wakeLater();
        });
        state.attempt = attempt;
        return attempt;
      });
    return Promise.all(attempts).then(() => undefined);
  }

  private wakeLater(): void {
    if (!this.started || this.stopping) return;
    this.clearTimer();
    const now = this.now();
    const waiting = this.states.filter((state) => state.attempt === null).map((state) => state.checkAt - now);
    const ms = Math.max(0, Math.min(MAX_WAKE_MS, ...waiting));
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.runDue();
      this.wakeLater();
    }, ms);
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private async attempt(state: JobState): Promise<void> {
    const { job } = state;
    const { leases, logger } = this.options;
    let ticket: string;
    let dueAt: number;
    try {
      if (!state.planned) {
        await leases.plan(job.name, this.now() + (job.runOnStart ? 0 : job.everyMs));
        state.planned = true;
      }
      const now = this.now();
      ticket = randomUUID();
      const claim = await leases.claim(job.name, ticket, now, now + this.leaseMs);
      if (claim === null) {
        // The row is gone (the tables were rolled back and made again): make it anew.
        state.planned = false;
        return;
      }
      const { schedule } = claim;
      if (!claim.won) {
        // Not due yet; or another instance runs it, and is looked at again when its lease would end.
        state.checkAt = schedule.dueAt > now ? schedule.dueAt : (schedule.leaseUntil ?? now);
        return;
      }
      dueAt = schedule.dueAt;
    } catch (err) {
      // A database outage: look again after a while, not at every wake-up.
      logger.warn(`support-requests: job ${job.name}: could not read its schedule: ${describeFailure(err)}`);
      state.checkAt = this.now() + Math.min(job.everyMs, this.leaseMs);
      return;
    }
    await this.runClaimed(state, ticket, dueAt);
  }

  private async runClaimed(state: JobState, ticket: string, dueAt: number): Promise<void> {
    const { job } = state;
    const { leases, logger } = this.options;
    if (this.stopping) {
      // Stopped while claiming: hand the job back as it was, due now, for another instance.
      await leases.release(job.name, ticket, dueAt).catch(() => undefined);
      return;
    }
    const run = new AbortController();
    state.run = run;
    const renewal = this.keepLease(job, ticket, run);
    try {
      await job.run({ now: this.now, signal: run.signal });
    } catch (err) {
      // The message only: the log is the host's, and one job's failure does not stop the others.
      logger.error(`support-requests: job ${job.name} failed: ${describeFailure(err)}`);
    } finally {
      await renewal.end();
      state.run = null;
    }
    const next = nextDueAt(dueAt, job.everyMs, this.now());
    state.checkAt = next;
    try {
      if (!(await leases.release(job.name, ticket, next))) {
        logger.warn(`support-requests: job ${job.name} ran past its lease, and another instance may have run it too`);
      }
    } catch (err) {
      // Its lease ends by itself; then the job is run again, which every job must bear.
      logger.warn(`support-requests: job ${job.name}: could not record its run: ${describeFailure(err)}`);
    }
  }

  /** Renews the run's lease every third of a lease; a lease found lost aborts the run. */
  private keepLease(job: Job, ticket: string, run: AbortController): { end(): Promise<void> } {
    const { leases, logger } = this.options;
    let renewing: Promise<void> = Promise.resolve();
    const beat = setInterval(() => {
      renewing = renewing.then(async () => {
        try {
          if (run.signal.aborted || (await leases.renew(job.name, ticket, this.now() + this.leaseMs))) return;
          logger.warn(`support-requests: job ${job.name} lost its lease to another instance; stopping this run`);
          run.abort(new Error('the job lease was lost'));
        } catch (err) {
          // Tried again at the next beat; the lease has two more beats to run before it ends.
          logger.warn(`support-requests: job ${job.name}: renewing its lease failed: ${describeFailure(err)}`);
        }
      });
    }, this.leaseMs / 3);
    return {
      async end() {
        clearInterval(beat);
        await renewing;
      },
    };
  }
}
