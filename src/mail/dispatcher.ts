// Sends what the outbox holds. It runs right after a commit (nudge) and on a timer (for mail
// left by a crash or waiting for a retry). Each e-mail is claimed with a lease before it is
// sent, and keeps the Message-ID it was given when queued, so a re-send is recognisably the same.
import type { HostLogger } from '../host';
import type { OutboxItem } from '../domain/types';
import type { OutboxStore } from '../store/outbox';
import type { FileStorage } from '../files/storage';
import type { MailTransport } from './transport';
import { describeFailure, verdict, type RetrySettings } from './retry-policy';

export interface DispatcherOptions {
  outbox: OutboxStore;
  transport: MailTransport;
  storage: FileStorage;
  logger: HostLogger;
  retry: RetrySettings;
  pollMs: number;
  leaseMs: number;
  batchSize: number;
  /** Other background work on the same timer (auto-close), each at most every `everyMs`. */
  chores?: Chore[];
  now?: () => number;
}

export interface Chore {
  name: string;
  everyMs: number;
  run(): Promise<unknown>;
}

/** How many claimed batches may be sending at once. */
const BATCHES_IN_FLIGHT = 4;

export class Dispatcher {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = true;
  private readonly now: () => number;
  private readonly choreDoneAt = new Map<string, number>();

  constructor(private readonly options: DispatcherOptions) {
    this.now = options.now ?? Date.now;
  }

  start(): void {
    if (!this.options.transport.transporter) {
      this.options.logger.warn('support-requests mail: no SMTP settings and no host transport; e-mail stays queued');
    }
    this.stopped = false;
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
    this.running = this.drain().finally(() => {
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

  private async drain(): Promise<void> {
    await this.send();
    await this.doChores();
  }

  private async doChores(): Promise<void> {
    for (const chore of this.options.chores ?? []) {
      const now = this.now();
      if (this.stopped || now - (this.choreDoneAt.get(chore.name) ?? 0) < chore.everyMs) continue;
      this.choreDoneAt.set(chore.name, now);
      try {
        await chore.run();
      } catch (err) {
        this.options.logger.error(`support-requests: ${chore.name} failed: ${describeFailure(err)}`);
      }
    }
  }

  /**
   * Claims batches while earlier ones are still on the wire (up to BATCHES_IN_FLIGHT), so a busy
   * panel, where every database round trip waits for a turn of the event loop, still keeps the
   * SMTP connections fed.
   */
  private async send(): Promise<void> {
    const { outbox, leaseMs, batchSize, logger } = this.options;
    if (!this.options.transport.transporter) return;
    const inFlight = new Set<Promise<void>>();
    try {
      while (!this.stopped) {
        const batch = await outbox.claim(this.now(), leaseMs, batchSize);
        if (batch.length === 0) break;
        const sending: Promise<void> = this.sendBatch(batch).finally(() => inFlight.delete(sending));
        inFlight.add(sending);
        if (batch.length < batchSize) break;
        if (inFlight.size >= BATCHES_IN_FLIGHT) await Promise.race(inFlight);
      }
    } catch (err) {
      // A database hiccup: the timer tries again; claimed rows come back when their lease ends.
      logger.error(`support-requests mail: dispatch failed: ${describeFailure(err)}`);
    }
    await Promise.all(inFlight);
  }

  private async sendBatch(batch: OutboxItem[]): Promise<void> {
    const { outbox, logger } = this.options;
    try {
      // Urgent mail of a batch is on the wire before the rest of it starts.
      const urgentPriority = batch[0]?.priority;
      const sent = [
        ...(await Promise.all(batch.filter((item) => item.priority === urgentPriority).map((item) => this.deliver(item)))),
        ...(await Promise.all(batch.filter((item) => item.priority !== urgentPriority).map((item) => this.deliver(item)))),
      ].filter((item): item is OutboxItem => item !== null);
      // One write for the batch's sent mail: per-row updates would make the database, not SMTP, the limit.
      await outbox.markSent(sent.map((item) => item.id), this.now());
      for (const item of sent) logger.info(`support-requests mail: sent ${labelOf(item)} to ${item.envelope.to.join(', ')} (attempt ${item.attempts})`);
    } catch (err) {
      // Sent but not marked: the lease runs out and they go again, with the same Message-IDs.
      logger.error(`support-requests mail: recording a batch failed: ${describeFailure(err)}`);
    }
  }

  /** Hands one e-mail to SMTP; returns it when sent, records a retry or failure and returns null otherwise. */
  private async deliver(item: OutboxItem): Promise<OutboxItem | null> {
    const { transport, storage, outbox, logger, retry } = this.options;
    const envelope = item.envelope;
    try {
      await transport.transporter!.sendMail({
        from: transport.from,
        to: envelope.to,
        subject: envelope.subject,
        text: envelope.text,
        html: envelope.html,
        headers: envelope.headers,
        messageId: item.messageId,
        inReplyTo: envelope.inReplyTo,
        references: envelope.references,
        attachments: envelope.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, path: storage.pathOf(a.storageKey) })),
      });
      return item;
    } catch (err) {
      const reason = describeFailure(err);
      const next = verdict(err, item.attempts, item.createdAt, this.now(), retry);
      if (next.retry) {
        await outbox.reschedule(item.id, next.at, reason);
        logger.warn(`support-requests mail: retry ${labelOf(item)} at ${new Date(next.at).toISOString()} after attempt ${item.attempts}: ${reason}`);
      } else {
        await outbox.markFailed(item.id, reason);
        logger.error(`support-requests mail: failed ${labelOf(item)} after attempt ${item.attempts}: ${reason}`);
      }
      return null;
    }
  }
}

function labelOf(item: OutboxItem): string {
  return `#${item.ticketNumber ?? '-'} ${item.kind} ${item.messageId}`;
}
