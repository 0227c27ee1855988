// Removes upload files no attachment row points to, as left by a process killed between writing
// an upload and committing its ticket (or mid-upload). Only files untouched for ORPHAN_AGE_MS go:
// an upload in flight keeps writing to its `.part` file, and a whole file is committed within
// seconds of its last byte, so an hour without a write and without a row means it never will be.
// The hour also covers clock differences between instances that share the folder. A picture's
// thumbnail goes by its file's key: kept while a row points to the file, swept with it otherwise.
import type { HostLogger } from '../host';
import type { Job } from '../model/jobs';
import type { FileStorage, StoredEntry } from './storage';

export const ORPHAN_AGE_MS = 3_600_000;
const CHUNK = 500;

export interface OrphanSweepOptions {
  storage: FileStorage;
  /** Which of these keys an attachment row points to. */
  referencedKeys(keys: string[]): Promise<Set<string>>;
  logger: HostLogger;
  now?: () => number;
  /** Stops the pass between chunks; the rest waits for the next one. */
  signal?: AbortSignal;
}

/** One pass: returns how many files it removed. */
export async function sweepOrphans(options: OrphanSweepOptions): Promise<number> {
  const { storage, referencedKeys, now = Date.now, signal } = options;
  const cutoff = now() - ORPHAN_AGE_MS;
  let removed = 0;
  let old: StoredEntry[] = [];
  const removeUnreferenced = async () => {
    // A partial file never has a row: rows are written only after the upload is whole.
    const whole = old.filter((e) => !e.partial).map((e) => e.key);
    const referenced = whole.length > 0 ? await referencedKeys(whole) : new Set<string>();
    const orphans = old.filter((e) => e.partial || !referenced.has(e.key));
    for (const entry of orphans) await storage.removeEntry(entry);
    removed += orphans.length;
    old = [];
  };
  for await (const entry of storage.list()) {
    if (entry.modifiedAt >= cutoff) continue;
    old.push(entry);
    if (old.length < CHUNK) continue;
    await removeUnreferenced();
    if (signal?.aborted) return removed;
  }
  await removeUnreferenced();
  return removed;
}

/** The sweep as a background job: on start (a crash is what leaves orphans), then hourly. */
export function orphanSweep(options: Omit<OrphanSweepOptions, 'now' | 'signal'>): Job {
  return {
    name: 'orphan-upload-sweep',
    everyMs: ORPHAN_AGE_MS,
    runOnStart: true,
    async run({ now, signal }) {
      const removed = await sweepOrphans({ ...options, now, signal });
      if (removed > 0) {
        options.logger.info(
          `support-requests: removed ${removed} upload file(s) that no request refers to, untouched for ${ORPHAN_AGE_MS / 60_000} minutes (left by a crash)`,
        );
      }
    },
  };
}
