// A job that deletes what is older than `keepDays`, a chunk at a time so no delete holds locks
// for long, hourly and once at every start. The outbox's sent mail and held inbound mail use it.
import type { Job } from '../model/jobs';

export interface RetentionOptions {
  name: string;
  keepDays: number;
  chunk: number;
  /** Deletes up to `limit` things older than `cutoff`; returns how many went. */
  deleteBefore(cutoff: number, limit: number): Promise<number>;
  /** Told how many went in a run that deleted any. */
  report(deleted: number): void;
}

export function retentionJob(options: RetentionOptions): Job {
  return {
    name: options.name,
    everyMs: 3_600_000,
    runOnStart: true,
    async run({ now, signal }) {
      const cutoff = now() - options.keepDays * 86_400_000;
      let deleted = 0;
      for (;;) {
        const chunk = await options.deleteBefore(cutoff, options.chunk);
        deleted += chunk;
        if (chunk < options.chunk || signal.aborted) break;
      }
      if (deleted > 0) options.report(deleted);
    },
  };
}
