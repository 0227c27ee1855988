// Whether the mail transport works: the check at start (a wrong SMTP setting is then reported in
// the log and on the admin page instead of surfacing as a crash later), and what the real
// deliveries since then showed: the last e-mail sent, the last failure, and a server that has
// stopped answering (attempts under way for long with none finished). Per process: each
// instance reports its own sends.
import type { HostLogger } from '../host';
import type { DeliveryActivity, MailHealth, TransportState } from '../model/mail';
import type { MailTransport } from './transport';
import { describeFailure } from '../model/errors';

export interface HealthOptions {
  /** How long attempts may be under way with none finishing before the server counts as not answering. */
  notAnsweringAfterMs: number;
  now?: () => number;
}

export class TransportHealth implements MailHealth {
  private current: TransportState;
  private lastSentAt: number | null = null;
  private lastFailure: DeliveryActivity['lastFailure'] = null;
  private lastFinishedAt = 0;
  /** Start times of the attempts under way, by a token of each. */
  private readonly underWay = new Map<number, number>();
  private nextToken = 1;
  private readonly now: () => number;

  constructor(
    private readonly transport: MailTransport,
    private readonly logger: HostLogger,
    private readonly options: HealthOptions,
  ) {
    this.current = transport.transporter ? { state: 'unchecked' } : { state: 'none' };
    this.now = options.now ?? Date.now;
  }

  get status(): TransportState {
    return this.current;
  }

  get activity(): DeliveryActivity {
    const now = this.now();
    const oldest = Math.min(...this.underWay.values());
    const stuck = this.underWay.size > 0 && this.lastFinishedAt < oldest && now - oldest > this.options.notAnsweringAfterMs;
    return { lastSentAt: this.lastSentAt, lastFailure: this.lastFailure, notAnsweringSince: stuck ? oldest : null };
  }

  /** A delivery attempt begins; returns the token its end is reported with. */
  attemptStarted(): number {
    const token = this.nextToken++;
    this.underWay.set(token, this.now());
    return token;
  }

  attemptSucceeded(token: number): void {
    this.finish(token);
    this.lastSentAt = this.lastFinishedAt;
  }

  attemptFailed(token: number, error: string): void {
    this.finish(token);
    this.lastFailure = { at: this.lastFinishedAt, error };
  }

  private finish(token: number): void {
    this.underWay.delete(token);
    this.lastFinishedAt = this.now();
  }

  /** Connects and authenticates once; never throws. Transports without verify() count as fine. */
  async check(now = this.now()): Promise<TransportState> {
    const transporter = this.transport.transporter;
    if (!transporter) return this.current;
    try {
      if (typeof transporter.verify === 'function') await transporter.verify();
      this.current = { state: 'ok', checkedAt: now };
    } catch (err) {
      const error = describeFailure(err);
      this.current = { state: 'error', checkedAt: now, error };
      this.logger.error(`support-requests mail: the ${this.transport.source} mail transport does not work: ${error}`);
    }
    return this.current;
  }
}
