// Held mail an admin never dealt with, and discarded mail, go after `keepDays`: the rows a chunk
// at a time, then their originals from storage. Mail taken into requests keeps its original.
import type { HostLogger } from '../../host';
import type { Job } from '../../model/jobs';
import type { InboundMailStore } from '../../model/inbound';

const CHUNK = 500;

export function heldMailRetention(
  inbound: InboundMailStore,
  keepDays: number,
  removeFiles: (keys: string[]) => Promise<void>,
  logger: HostLogger,
): Job {
  return {
    name: 'held-mail-retention',
    everyMs: 3_600_000,
    runOnStart: true,
    async run({ now, signal }) {
      const cutoff = now() - keepDays * 86_400_000;
      let deleted = 0;
      for (;;) {
        const keys = await inbound.deleteUnkeptBefore(cutoff, CHUNK);
        // A crash between the two leaves files no row points to: the orphan sweep removes them.
        await removeFiles(keys);
        deleted += keys.length;
        if (keys.length < CHUNK || signal.aborted) break;
      }
      if (deleted > 0)
        logger.info(`support-requests mail in: deleted ${deleted} held or discarded message(s) older than ${keepDays} day(s)`);
    },
  };
}
