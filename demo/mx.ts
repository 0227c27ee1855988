// The demo's MX: an SMTP server standing for the provider's incoming mail server. Every message it
// accepts goes to the plugin's intake (plugin.receiveMail), so a reply sent from the Mailbox, or
// from a mail client pointed at it, lands in the requests with no mail server to set up.
import type { SMTPServer } from 'smtp-server';
import type { HostLogger, IntakeResult } from 'support-requests';
import { listenLoopbackSmtp } from './loopback-smtp';

export interface MxOptions {
  /** 0 picks a free port; read the real one from `port` after start. */
  port: number;
  /** The intake; a rejection is a temporary failure, and the sender keeps the message. */
  receive(raw: Buffer): Promise<IntakeResult>;
  /** Larger messages are refused with 552 (the intake has its own, lower limit). */
  maxBytes?: number;
  logger?: HostLogger;
}

const DEFAULT_MAX_BYTES = 30 * 1024 * 1024;

/** The intake's answer in a 250 reply: "stored #12345678", "held (unknownSender)". */
function outcomeText(result: IntakeResult): string {
  return `${result.outcome}${result.ticketNumber ? ` #${result.ticketNumber}` : ''}${result.reason ? ` (${result.reason})` : ''}`;
}

/** The outcome a 250 reply of this MX carries, or null for another server's reply. */
export function outcomeOf(response: string): IntakeResult | null {
  const match = /^250 (stored|opened|held|ignored|duplicate|bounce)(?: #(\d+))?(?: \(([\w.-]+)\))?\s*$/.exec(response.trim());
  if (!match) return null;
  return {
    outcome: match[1] as IntakeResult['outcome'],
    ...(match[2] ? { ticketNumber: match[2] } : {}),
    ...(match[3] ? { reason: match[3] } : {}),
  };
}

export class DemoMx {
  private constructor(
    private readonly server: SMTPServer,
    readonly port: number,
  ) {}

  /** Listens on 127.0.0.1 only: it takes mail from anyone, as any address. */
  static async start(options: MxOptions): Promise<DemoMx> {
    const logger = options.logger;
    const { server, port } = await listenLoopbackSmtp({
      port: options.port,
      maxBytes: options.maxBytes ?? DEFAULT_MAX_BYTES,
      banner: 'billing panel demo MX',
      label: 'demo MX',
      logger,
      onMessage(raw, _session, reply) {
        options.receive(raw).then(
          (result) => {
            logger?.info(`demo MX: a message to the panel: ${outcomeText(result)}`);
            reply(null, outcomeText(result));
          },
          (err: unknown) => {
            // The intake could not store it (the database is away): the sender tries again later.
            logger?.warn(`demo MX: the intake failed, the sender is told to try again: ${(err as Error)?.message ?? String(err)}`);
            reply(Object.assign(new Error('the panel cannot take the message now, try again later'), { responseCode: 451 }));
          },
        );
      },
    });
    return new DemoMx(server, port);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
