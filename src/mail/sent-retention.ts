// Keeps the outbox from growing forever: e-mails sent more than `keepDays` ago are deleted, a
// chunk at a time so no delete holds locks for long. Failed and waiting e-mails are never touched.
import type { HostLogger } from '../host';
import type { OutboxStore } from '../model/mail';
import type { Chore } from './dispatcher';

const CHUNK = 1000;

export function sentMailRetention(outbox: OutboxStore, keepDays: number, logger: HostLogger, now: () => number = Date.now): Chore {
  return {
    name: 'sent-mail retention',
    everyMs: 3_600_000,
    async run() {
      const cutoff = now() - keepDays * 86_400_000;
      let deleted = 0;
      for (;;) {
        const chunk = await outbox.deleteSentBefore(cutoff, CHUNK);
        deleted += chunk;
        if (chunk < CHUNK) break;
      }
      if (deleted > 0) logger.info(`support-requests mail: deleted ${deleted} e-mail(s) sent more than ${keepDays} day(s) ago from the outbox`);
    },
  };
}
