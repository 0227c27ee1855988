// The files of create forms that came back and were never sent again (domain/pending-uploads.ts)
// go after a day, hourly and once at every start.
import type { HostLogger } from '../host';
import type { Job } from '../model/jobs';
import { retentionJob } from './retention';

export function pendingUploadSweep(
  keepDays: number,
  sweepBefore: (cutoff: number, limit: number) => Promise<number>,
  logger: HostLogger,
): Job {
  return retentionJob({
    name: 'pending-upload-sweep',
    keepDays,
    chunk: 100,
    deleteBefore: sweepBefore,
    report: (deleted) => logger.info(`support-requests: removed ${deleted} file(s) of forms left unsent for ${keepDays} day(s)`),
  });
}
