// The demo's MX: an SMTP server standing for the provider's incoming mail server. Every message it
// accepts goes to the plugin's intake (plugin.receiveMail), so a reply sent from the Mailbox, or
// from a mail client pointed at it, lands in the requests with no mail server to set up.
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerDataStream } from 'smtp-server';
import type { HostLogger, IntakeResult } from 'support-requests';

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
    const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
    const logger = options.logger;
    const server = new SMTPServer({
      secure: false,
      disabledCommands: ['STARTTLS'],
      authOptional: true,
      size: maxBytes,
      logger: false,
      banner: 'billing panel demo MX',
      closeTimeout: 1000,
      onData(stream: SMTPServerDataStream, _session, callback: (err?: Error | null, message?: string) => void) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => {
          if (!stream.sizeExceeded) chunks.push(chunk);
        });
        stream.on('end', () => {
          if (stream.sizeExceeded) {
            return callback(Object.assign(new Error(`message larger than ${maxBytes} bytes`), { responseCode: 552 }));
          }
          options.receive(Buffer.concat(chunks)).then(
            (result) => {
              logger?.info(`demo MX: a message to the panel: ${outcomeText(result)}`);
              callback(null, outcomeText(result));
            },
            (err: unknown) => {
              // The intake could not store it (the database is away): the sender tries again later.
              logger?.warn(`demo MX: the intake failed, the sender is told to try again: ${(err as Error)?.message ?? String(err)}`);
              callback(Object.assign(new Error('the panel cannot take the message now, try again later'), { responseCode: 451 }));
            },
          );
        });
      },
    });
    const port = await new Promise<number>((resolve, reject) => {
      const onError = (err: NodeJS.ErrnoException) =>
        reject(
          Object.assign(new Error(`demo MX: cannot listen on 127.0.0.1:${options.port}: ${err.message}`, { cause: err }), {
            code: err.code,
          }),
        );
      server.once('error', onError);
      server.listen(options.port, '127.0.0.1', () => {
        server.off('error', onError);
        resolve((server.server.address() as AddressInfo).port);
      });
    });
    // Without a listener an SMTP client's protocol error would throw in the panel's process.
    server.on('error', (err) => logger?.warn(`demo MX: ${err.message}`));
    return new DemoMx(server, port);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
