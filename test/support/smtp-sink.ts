// A real SMTP server for tests (smtp-server), parsing what arrives with mailparser. It can be
// started on a port chosen earlier (to play "the server was down"), and told to answer the next
// messages with an SMTP error code, to answer slowly, or to hang.
import net from 'node:net';
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';

export interface ReceivedMail {
  /** RCPT TO addresses, lower-cased. */
  recipients: string[];
  parsed: ParsedMail;
  /** The raw header block, to check that nothing was injected. */
  rawHeaders: string;
  receivedAt: number;
}

export class SmtpSink {
  readonly received: ReceivedMail[] = [];
  /** SMTP codes to answer the next messages with, one each, before accepting again. */
  readonly refusals: number[] = [];
  /** How long each message takes to be accepted, to catch the sender mid-send. */
  acceptDelayMs = 0;
  /** A hung server: messages are read to the end and never answered. */
  hang = false;
  private server: SMTPServer | null = null;

  private constructor(readonly port: number) {}

  /** A sink on a free port, not yet listening. */
  static async onFreePort(): Promise<SmtpSink> {
    return new SmtpSink(await freePort());
  }

  static async started(): Promise<SmtpSink> {
    const sink = await SmtpSink.onFreePort();
    await sink.start();
    return sink;
  }

  /** Plugin settings that send through this sink. */
  settings(extra: Record<string, unknown> = {}): Record<string, unknown> {
    return { smtp: { host: '127.0.0.1', port: this.port, secure: false }, ...extra };
  }

  start(): Promise<void> {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      // Going away is abrupt, like a server that stops; pooled clients see their connection drop.
      closeTimeout: 100,
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          if (this.hang) return;
          const refusal = this.refusals.shift();
          if (refusal !== undefined) {
            const err = Object.assign(new Error(`test refusal ${refusal}`), { responseCode: refusal });
            return callback(err);
          }
          const raw = Buffer.concat(chunks);
          sleep(this.acceptDelayMs)
            .then(() => simpleParser(raw))
            .then(
              (parsed) => {
                const headerEnd = raw.indexOf('\r\n\r\n');
                this.received.push({
                  recipients: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
                  parsed,
                  rawHeaders: raw.subarray(0, headerEnd < 0 ? raw.length : headerEnd).toString('utf8'),
                  receivedAt: Date.now(),
                });
                callback();
              },
              (err: Error) => callback(err),
            );
        });
      },
    });
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Message-IDs that arrived more than once for the same recipient. */
  duplicates(): string[] {
    const seen = new Set<string>();
    const twice: string[] = [];
    for (const mail of this.received) {
      for (const rcpt of mail.recipients) {
        const key = `${mail.parsed.messageId} ${rcpt}`;
        if (seen.has(key)) twice.push(key);
        seen.add(key);
      }
    }
    return twice;
  }

  /** Mail sent to an address (To or Bcc-like envelope recipient). */
  to(address: string): ReceivedMail[] {
    return this.received.filter((m) => m.recipients.includes(address.toLowerCase()));
  }

  /** Waits until `count` messages have arrived; fails with what did arrive after `ms`. */
  async waitFor(count: number, ms = 10_000): Promise<ReceivedMail[]> {
    const until = Date.now() + ms;
    while (this.received.length < count) {
      if (Date.now() > until) {
        throw new Error(
          `expected ${count} e-mails, got ${this.received.length}: ${this.received.map((m) => m.parsed.subject).join(' | ')}`,
        );
      }
      await sleep(20);
    }
    return this.received;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** Polls a condition until it holds; fails after `ms`. */
export async function waitUntil(condition: () => Promise<boolean> | boolean, ms = 10_000, what = 'condition'): Promise<void> {
  const until = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}
