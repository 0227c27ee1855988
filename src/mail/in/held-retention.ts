// Held mail an admin never dealt with, and discarded mail, go after `keepDays`: the rows, then
// their originals from storage. Mail taken into requests keeps its original.
import type { HostLogger } from '../../host';
import type { Job } from '../../model/jobs';
import type { InboundMailStore } from '../../model/inbound';
import { retentionJob } from '../../jobs/retention';

export function heldMailRetention(
  inbound: InboundMailStore,
  keepDays: number,
  removeFiles: (keys: string[]) => Promise<void>,
  logger: HostLogger,
): Job {
  return retentionJob({
    name: 'held-mail-retention',
    keepDays,
    chunk: 500,
    async deleteBefore(cutoff, limit) {
      const keys = await inbound.deleteUnkeptBefore(cutoff, limit);
      // A crash between the two leaves files no row points to: the orphan sweep removes them.
      await removeFiles(keys);
      return keys.length;
    },
    report: (deleted) =>
      logger.info(`support-requests mail in: deleted ${deleted} held or discarded message(s) older than ${keepDays} day(s)`),
  });
}
