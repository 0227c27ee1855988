// Keeps the outbox from growing forever: e-mails sent more than `keepDays` ago are deleted.
// Failed and waiting e-mails are never touched.
import type { HostLogger } from '../host';
import type { Job } from '../model/jobs';
import type { OutboxStore } from '../model/mail';
import { retentionJob } from '../jobs/retention';

export function sentMailRetention(outbox: OutboxStore, keepDays: number, logger: HostLogger): Job {
  return retentionJob({
    name: 'sent-mail-retention',
    keepDays,
    chunk: 1000,
    deleteBefore: (cutoff, limit) => outbox.deleteSentBefore(cutoff, limit),
    report: (deleted) =>
      logger.info(`support-requests mail: deleted ${deleted} e-mail(s) sent more than ${keepDays} day(s) ago from the outbox`),
  });
}
