// Whether the mail transport can be reached. Checked once at start (a wrong SMTP setting is
// then reported in the log and on the admin page instead of surfacing as a crash later).
import type { HostLogger } from '../host';
import type { MailTransport } from './transport';
import { describeFailure } from './retry-policy';

export type TransportState =
  | { state: 'none' }
  | { state: 'unchecked' }
  | { state: 'ok'; checkedAt: number }
  | { state: 'error'; checkedAt: number; error: string };

export class TransportHealth {
  private current: TransportState;

  constructor(private readonly transport: MailTransport, private readonly logger: HostLogger) {
    this.current = transport.transporter ? { state: 'unchecked' } : { state: 'none' };
  }

  get status(): TransportState {
    return this.current;
  }

  /** Connects and authenticates once; never throws. Transports without verify() count as fine. */
  async check(now = Date.now()): Promise<TransportState> {
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
