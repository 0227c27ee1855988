// Sends what the outbox holds. It runs right after a commit (nudge) and on a timer (for mail
// left by a crash or waiting for a retry). Each e-mail is claimed with a lease before it is
// sent, and keeps the Message-ID it was given when queued, so a re-send is recognisably the same.
// A re-send happens only after the process holding an e-mail died: the dispatcher holds no more
// than it sends within half a lease (ClaimBudget), renews the leases of what it holds, and never
// claims again a row it is still sending.
import fs from 'node:fs';
import type { HostLogger } from '../host';
import type { HeldClaim, OutboxItem, OutboxStore } from '../model/mail';
import type { FileStorage } from '../files/storage';
import type { MailTransport } from './transport';
import type { TransportHealth } from './health';
import { ClaimBudget } from './claim-budget';
import { describeFailure } from '../model/errors';
import type { RetrySettings } from '../model/settings';
import { verdict } from './retry-policy';

export interface DispatcherOptions {
  outbox: OutboxStore;
  transport: MailTransport;
  /** Where real attempts are reported, for the admin page. */
  health: TransportHealth;
  storage: FileStorage;
  logger: HostLogger;
  retry: RetrySettings;
  pollMs: number;
  leaseMs: number;
  batchSize: number;
  now?: () => number;
}

export class Dispatcher {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = true;
  private readonly now: () => number;
  /** The rows this process has claimed and not yet recorded as sent, retried or failed. */
  private readonly held = new Map<number, HeldClaim>();
  private heartbeat: NodeJS.Timeout | null = null;
  private renewing = false;
  private readonly budget: ClaimBudget;

  constructor(private readonly options: DispatcherOptions) {
    this.now = options.now ?? Date.now;
    this.budget = new ClaimBudget(options.transport.connections, options.batchSize, options.leaseMs);
  }

  start(): void {
    if (!this.options.transport.transporter) {
      this.options.logger.warn('support-requests mail: no SMTP settings and no host transport; e-mail stays queued');
    }
    this.stopped = false;
    // A lease is renewed well before it runs out, so a slow or stuck send keeps its row. (migrate() may start it again.)
    this.heartbeat ??= setInterval(() => void this.renewLeases(), Math.max(50, this.options.leaseMs / 3));
    this.nudge();
  }

  /** Sends what is due now; called after every commit that queued mail. */
  nudge(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.clearTimer();
    this.running = this.send().finally(() => {
      this.running = null;
      this.schedule(this.again ? 0 : this.options.pollMs);
      this.again = false;
    });
  }

  /** Stops claiming, waits for e-mails in flight to be sent and recorded, and leaves no timer. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.clearTimer();
    await this.running;
    this.clearTimer();
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
  }

  private async renewLeases(): Promise<void> {
    if (this.renewing || this.held.size === 0) return;
    this.renewing = true;
    try {
      await this.options.outbox.renewLeases([...this.held.values()], this.now() + this.options.leaseMs);
    } catch (err) {
      // The next beat tries again; the lease has two more beats to run before it ends.
      this.options.logger.warn(`support-requests mail: renewing leases failed: ${describeFailure(err)}`);
    } finally {
      this.renewing = false;
    }
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.clearTimer();
    this.timer = setTimeout(() => this.nudge(), ms);
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /**
   * Claims the next batch while earlier ones are still on the wire, so a busy panel, where every
   * database round trip waits for a turn of the event loop, still keeps the SMTP connections fed;
   * but never more than the transport sends soon (ClaimBudget), so the rest stays with the queue
   * (and with other instances) instead of waiting here.
   */
  private async send(): Promise<void> {
    const { outbox, leaseMs, batchSize, logger, transport } = this.options;
    if (!transport.transporter) return;
    // A claim smaller than this waits for room instead: tiny claims would cost a write per e-mail.
    const worthClaiming = Math.min(batchSize, transport.connections);
    const inFlight = new Set<Promise<void>>();
    try {
      while (!this.stopped) {
        const room = Math.min(batchSize, this.budget.capacity(this.now()) - this.held.size);
        if (room < worthClaiming && inFlight.size > 0) {
          await Promise.race(inFlight);
          continue;
        }
        const batch = await outbox.claim(this.now(), leaseMs, room, [...this.held.keys()]);
        if (batch.length === 0) break;
        for (const item of batch) this.held.set(item.id, { id: item.id, attempts: item.attempts });
        const sending: Promise<void> = this.sendBatch(batch).finally(() => {
          for (const item of batch) this.held.delete(item.id);
          inFlight.delete(sending);
        });
        inFlight.add(sending);
        if (batch.length < room) break;
      }
    } catch (err) {
      // A database hiccup: the timer tries again; claimed rows come back when their lease ends.
      logger.error(`support-requests mail: dispatch failed: ${describeFailure(err)}`);
    }
    await Promise.all(inFlight);
  }

  private async sendBatch(batch: OutboxItem[]): Promise<void> {
    const { logger } = this.options;
    try {
      // Urgent mail of a batch is on the wire before the rest of it starts.
      const sent = [
        ...(await Promise.all(batch.filter((item) => item.urgent).map((item) => this.deliver(item)))),
        ...(await Promise.all(batch.filter((item) => !item.urgent).map((item) => this.deliver(item)))),
      ].filter((item): item is OutboxItem => item !== null);
      await this.recordSent(sent);
      for (const item of sent)
        logger.info(
          `support-requests mail: sent ${labelOf(item)} to ${item.envelope.to.join(', ')} (attempt ${item.attempts})${missingOf(item)}`,
        );
    } catch (err) {
      // Sent but not marked for a whole lease: they go again, with the same Message-IDs.
      logger.error(`support-requests mail: recording a batch failed: ${describeFailure(err)}`);
    }
  }

  /**
   * One write for the batch's sent mail (per-row updates would make the database, not SMTP, the
   * limit), tried again through a database hiccup for as long as a lease, which the heartbeat
   * keeps renewing meanwhile: an e-mail sent is not sent again because its record failed once.
   */
  private async recordSent(sent: OutboxItem[]): Promise<void> {
    const { outbox, leaseMs, logger } = this.options;
    const giveUpAt = Date.now() + leaseMs;
    for (let pause = 100; ; pause = Math.min(pause * 2, 5000)) {
      try {
        return await outbox.markSent(
          sent.map((item) => item.id),
          this.now(),
        );
      } catch (err) {
        if (Date.now() + pause >= giveUpAt) throw err;
        logger.warn(`support-requests mail: recording sent e-mails failed, trying again: ${describeFailure(err)}`);
        await new Promise((resolve) => setTimeout(resolve, pause));
      }
    }
  }

  /** Hands one e-mail to SMTP; returns it when sent, records a retry or failure and returns null otherwise. */
  private async deliver(claimed: OutboxItem): Promise<OutboxItem | null> {
    const { transport, storage, outbox, logger, retry, health } = this.options;
    let item = claimed;
    let attempt: number | null = null;
    try {
      item = await this.withoutMissingFiles(claimed);
      const envelope = item.envelope;
      attempt = health.attemptStarted();
      await transport.transporter!.sendMail({
        from: transport.from,
        to: envelope.to,
        subject: envelope.subject,
        // Rendered in the mail thread, with a note at the top when files had gone from storage.
        content: { ...envelope.content, locale: envelope.locale, timeZone: envelope.timeZone, missingFiles: item.missingFiles },
        headers: envelope.headers,
        replyTo: envelope.replyTo,
        messageId: item.mailMessageId,
        inReplyTo: envelope.inReplyTo,
        references: envelope.references,
        attachments: envelope.attachments.map((a) => ({
          filename: a.filename,
          contentType: a.contentType,
          path: storage.pathOf(a.storageKey),
        })),
      });
      health.attemptSucceeded(attempt);
      this.budget.recordFinished(this.now());
      return item;
    } catch (err) {
      const reason = describeFailure(err);
      if (attempt !== null) {
        health.attemptFailed(attempt, reason);
        this.budget.recordFinished(this.now());
      }
      const next = verdict(err, item.attempts, item.createdAt, this.now(), retry);
      try {
        if (next.retry) {
          await outbox.reschedule(item, next.at, reason);
          logger.warn(
            `support-requests mail: retry ${labelOf(item)} at ${new Date(next.at).toISOString()} after attempt ${item.attempts}: ${reason}`,
          );
        } else {
          await outbox.markFailed(item, reason);
          logger.error(`support-requests mail: failed ${labelOf(item)} after attempt ${item.attempts}: ${reason}`);
        }
      } catch (recordErr) {
        // Not sent, and not recorded: it is tried again when its lease runs out. The rest of the batch is still recorded.
        logger.error(`support-requests mail: recording attempt ${item.attempts} of ${labelOf(item)} failed: ${describeFailure(recordErr)}`);
      }
      return null;
    }
  }

  /**
   * A file that is gone from storage (lost with a disk, or deleted after a failed commit) will
   * not come back: the e-mail goes without it and says so, instead of retrying for days.
   */
  private async withoutMissingFiles(item: OutboxItem): Promise<OutboxItem> {
    const { storage, outbox, logger } = this.options;
    const attachments = item.envelope.attachments;
    const present = await Promise.all(
      attachments.map((a) =>
        fs.promises.access(storage.pathOf(a.storageKey)).then(
          () => true,
          () => false,
        ),
      ),
    );
    const missing = attachments.filter((_, i) => !present[i]).map((a) => a.filename);
    if (missing.length === 0) return item;
    await outbox.noteMissingFiles(item.id, missing);
    logger.warn(`support-requests mail: ${labelOf(item)} goes without ${missing.length} missing file(s): ${missing.join(', ')}`);
    const kept = { ...item.envelope, attachments: attachments.filter((_, i) => present[i]) };
    return { ...item, envelope: kept, missingFiles: missing };
  }
}

function labelOf(item: OutboxItem): string {
  return `#${item.ticketNumber ?? '-'} ${item.kind} ${item.mailMessageId}`;
}

function missingOf(item: OutboxItem): string {
  return item.missingFiles.length > 0 ? ` without missing file(s): ${item.missingFiles.join(', ')}` : '';
}
