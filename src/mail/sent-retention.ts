// Keeps the outbox from growing forever: e-mails sent more than `keepDays` ago are deleted, a
// chunk at a time so no delete holds locks for long. Failed and waiting e-mails are never touched.
import type { HostLogger } from '../host';
import type { Job } from '../model/jobs';
import type { OutboxStore } from '../model/mail';

const CHUNK = 1000;

/** The retention as a background job: on start, then hourly. */
export function sentMailRetention(outbox: OutboxStore, keepDays: number, logger: HostLogger): Job {
  return {
    name: 'sent-mail-retention',
    everyMs: 3_600_000,
    runOnStart: true,
    async run({ now, signal }) {
      const cutoff = now() - keepDays * 86_400_000;
      let deleted = 0;
      for (;;) {
        const chunk = await outbox.deleteSentBefore(cutoff, CHUNK);
        deleted += chunk;
        if (chunk < CHUNK || signal.aborted) break;
      }
      if (deleted > 0)
        logger.info(`support-requests mail: deleted ${deleted} e-mail(s) sent more than ${keepDays} day(s) ago from the outbox`);
    },
  };
}
