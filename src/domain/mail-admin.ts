// What an admin sees of the mail queue and may do about it: counts, failures with the server's
// answer, e-mails that went without a missing file, e-mails a delivery report came back for, the
// age of the oldest waiting e-mail, how the last real deliveries went, and sending a failed e-mail
// once more.
import type { DeliveryActivity, MailHealth, OutboxCounts, OutboxItem, OutboxStore, TransportState } from '../model/mail';
import type { Clock } from '../model/types';
import { NotFoundError } from '../model/errors';

export interface MailOverview {
  counts: OutboxCounts;
  oldestPendingAgeMs: number | null;
  failed: OutboxItem[];
  sentWithMissingFiles: OutboxItem[];
  /** The latest e-mails a delivery report came back for, newest report first. */
  bounced: OutboxItem[];
  transport: { source: string; from: string; status: TransportState; activity: DeliveryActivity };
}

const FAILED_SHOWN = 100;
const MISSING_FILES_SHOWN = 20;
const BOUNCED_SHOWN = 20;

export interface MailAdminDeps {
  outbox: OutboxStore;
  health: MailHealth;
  transportSource: string;
  fromAddress: string;
  /** Wakes the dispatcher so a retried e-mail goes out at once. */
  mailQueued: () => void;
  now?: Clock;
}

export function mailAdmin(deps: MailAdminDeps) {
  const now = deps.now ?? Date.now;
  return {
    async overview(): Promise<MailOverview> {
      const [counts, failed, sentWithMissingFiles, bounced] = await Promise.all([
        deps.outbox.counts(),
        deps.outbox.failed(FAILED_SHOWN),
        deps.outbox.sentWithMissingFiles(MISSING_FILES_SHOWN),
        deps.outbox.bounced(BOUNCED_SHOWN),
      ]);
      return {
        counts,
        oldestPendingAgeMs: counts.oldestPendingAt === null ? null : Math.max(0, now() - counts.oldestPendingAt),
        failed,
        sentWithMissingFiles,
        bounced,
        transport: { source: deps.transportSource, from: deps.fromAddress, status: deps.health.status, activity: deps.health.activity },
      };
    },

    /**
     * Queues a failed e-mail again; anything not failed (or unknown) is NotFound, except the same
     * retry submission again, which is done already.
     */
    async retry(id: number, submissionKey: string): Promise<void> {
      if (!(await deps.outbox.retryFailed(id, now(), submissionKey))) throw new NotFoundError('mail');
      deps.mailQueued();
    },
  };
}

export type MailAdmin = ReturnType<typeof mailAdmin>;
