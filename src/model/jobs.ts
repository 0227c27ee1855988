// Background jobs and the lease store the scheduler (src/jobs/) runs them with. A job is work
// the plugin does by itself at an interval: auto-close, sent-mail retention, the orphan-upload
// sweep, and later service-level timers, mailbox polling and reminders.
import type { Clock } from './types';

export interface JobContext {
  /** The plugin's clock (activate's `now`), for every time the job reads or stores. */
  now: Clock;
  /**
   * Aborted when the plugin stops, or when this run lost its lease (another instance took the
   * job over). A long job checks it between steps and returns early; what is left waits for
   * the next run, so a job must be safe to stop halfway and run again.
   */
  signal: AbortSignal;
}

export interface Job {
  /** Unique among the plugin's jobs; the key of its lease row, so keep it stable. */
  name: string;
  /** How often it runs, by the plugin's clock. */
  everyMs: number;
  /** Run as soon as an instance starts, not `everyMs` later (work a crash may have left). */
  runOnStart?: boolean;
  run(context: JobContext): Promise<void>;
}

/** One job's shared schedule, as every instance sees it. */
export interface JobSchedule {
  /** When the job is next due (plugin clock, epoch ms). */
  dueAt: number;
  /** While a run holds the job: when its lease ends unless renewed; null when nobody holds it. */
  leaseUntil: number | null;
}

/**
 * A row per job that all instances sharing the database agree on. A run takes a lease under a
 * ticket of its own, renews it while it works, and releases it with the next due time; a lease
 * left by a crashed instance ends by itself, and the job is then claimed again.
 */
export interface JobLeaseStore {
  /**
   * Makes the job's row (due at `dueBy`) if it has none, or brings its due time forward to
   * `dueBy` unless a run has begun at or after `dueBy` (so instances starting together, each
   * asking for a run at start, get one run).
   */
  plan(name: string, dueBy: number): Promise<void>;
  /**
   * Takes the lease when the job is due at `now` and no lease is running, atomically: of
   * several instances claiming at once, one wins; records `now` as when the last run began. Returns the schedule claimed (won) or the one
   * that stands in the way; null when the job has no row (plan it first).
   */
  claim(name: string, ticket: string, now: number, leaseUntil: number): Promise<{ won: boolean; schedule: JobSchedule } | null>;
  /** Extends a lease still held under `ticket`; false when it is no longer (it ran out and was taken over). */
  renew(name: string, ticket: string, leaseUntil: number): Promise<boolean>;
  /** Ends the lease held under `ticket` and sets the next due time; false when it was no longer held. */
  release(name: string, ticket: string, nextDueAt: number): Promise<boolean>;
}
