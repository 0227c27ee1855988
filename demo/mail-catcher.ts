// The demo's SMTP catcher: a local SMTP server that accepts every e-mail the panel sends, parses
// it and keeps the latest ones in memory for the Mailbox page. Nothing is relayed anywhere.
import type { SMTPServer, SMTPServerSession } from 'smtp-server';
import { simpleParser, type AddressObject, type EmailAddress, type ParsedMail } from 'mailparser';
import type { HostLogger } from 'support-requests';
import { listenLoopbackSmtp } from './loopback-smtp';

interface CaughtAttachment {
  filename: string;
  contentType: string;
  size: number;
  content: Buffer;
}

/** One address of a header, as the Reply form needs it. */
export interface CaughtAddress {
  name: string;
  address: string;
}

export interface CaughtMail {
  /** 1, 2, 3… in order of arrival; stable for the catcher's life. */
  id: number;
  receivedAt: Date;
  /** The SMTP envelope: MAIL FROM and every RCPT TO (Bcc and on-call addresses show only here). */
  envelope: { from: string; to: string[] };
  from: string;
  to: string;
  cc: string;
  /** From, To and Reply-To address by address (groups flattened), for a reply. */
  addresses: { from: CaughtAddress[]; to: CaughtAddress[]; replyTo: CaughtAddress[] };
  subject: string;
  date: Date | null;
  messageId: string;
  inReplyTo: string;
  references: string[];
  xPriority: string;
  importance: string;
  text: string;
  html: string;
  attachments: CaughtAttachment[];
}

export interface MailCatcherOptions {
  /** 0 picks a free port; read the real one from `port` after start. */
  port: number;
  /** How many e-mails are kept; older ones are dropped. */
  keep?: number;
  /** Larger messages are refused with 552. */
  maxBytes?: number;
  logger?: HostLogger;
}

const DEFAULT_KEEP = 200;
const DEFAULT_MAX_BYTES = 30 * 1024 * 1024;

/** True when the message asks to be treated as urgent (X-Priority 1 or 2, Importance high). */
export function isUrgent(mail: Pick<CaughtMail, 'xPriority' | 'importance'>): boolean {
  return /^\s*[12]\b/.test(mail.xPriority) || mail.importance.trim().toLowerCase() === 'high';
}

function addresses(value: AddressObject | AddressObject[] | undefined): string {
  if (!value) return '';
  return (Array.isArray(value) ? value : [value]).map((a) => a.text).join(', ');
}

function addressList(value: AddressObject | AddressObject[] | undefined): CaughtAddress[] {
  if (!value) return [];
  const flat = (list: EmailAddress[]): CaughtAddress[] =>
    list.flatMap((a) => (a.group ? flat(a.group) : a.address ? [{ name: a.name ?? '', address: a.address }] : []));
  return (Array.isArray(value) ? value : [value]).flatMap((a) => flat(a.value));
}

/** A header as sent: mailparser folds X-Priority and Importance into one "priority" word. */
function rawHeader(parsed: ParsedMail, name: string): string {
  const line = parsed.headerLines.find((h) => h.key === name)?.line ?? '';
  return line
    .slice(line.indexOf(':') + 1)
    .replace(/\r?\n[ \t]+/g, ' ')
    .trim();
}

function toCaught(id: number, parsed: ParsedMail, session: SMTPServerSession): CaughtMail {
  const mailFrom = session.envelope.mailFrom;
  return {
    id,
    receivedAt: new Date(),
    envelope: { from: mailFrom ? mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address) },
    from: addresses(parsed.from),
    to: addresses(parsed.to),
    cc: addresses(parsed.cc),
    addresses: { from: addressList(parsed.from), to: addressList(parsed.to), replyTo: addressList(parsed.replyTo) },
    subject: parsed.subject ?? '',
    date: parsed.date ?? null,
    messageId: parsed.messageId ?? '',
    inReplyTo: parsed.inReplyTo ?? '',
    references: parsed.references === undefined ? [] : ([] as string[]).concat(parsed.references),
    xPriority: rawHeader(parsed, 'x-priority'),
    importance: rawHeader(parsed, 'importance'),
    text: parsed.text ?? '',
    html: parsed.html || '',
    attachments: parsed.attachments.map((a, index) => ({
      filename: a.filename || `attachment-${index + 1}`,
      contentType: a.contentType,
      size: a.content.length,
      content: a.content,
    })),
  };
}

/** The latest e-mails, oldest dropped first. */
class MailStore {
  private readonly mails: CaughtMail[] = [];
  private nextId = 1;

  constructor(private readonly keep: number) {}

  add(parsed: ParsedMail, session: SMTPServerSession): void {
    this.mails.push(toCaught(this.nextId++, parsed, session));
    if (this.mails.length > this.keep) this.mails.splice(0, this.mails.length - this.keep);
  }

  newestFirst(): CaughtMail[] {
    return [...this.mails].reverse();
  }

  get(id: number): CaughtMail | undefined {
    return this.mails.find((m) => m.id === id);
  }
}

export class MailCatcher {
  private constructor(
    private readonly server: SMTPServer,
    private readonly store: MailStore,
    readonly port: number,
  ) {}

  /** Listens on 127.0.0.1 only: the catcher accepts anyone, so it must not be reachable from outside. */
  static async start(options: MailCatcherOptions): Promise<MailCatcher> {
    const store = new MailStore(options.keep ?? DEFAULT_KEEP);
    const logger = options.logger;
    const { server, port } = await listenLoopbackSmtp({
      port: options.port,
      maxBytes: options.maxBytes ?? DEFAULT_MAX_BYTES,
      banner: 'billing panel demo mail catcher',
      label: 'mail catcher',
      logger,
      onMessage(raw, session, reply) {
        simpleParser(raw).then(
          (parsed) => {
            store.add(parsed, session);
            reply();
          },
          (err: Error) => {
            logger?.warn(`mail catcher: cannot parse a message: ${err.message}`);
            reply(Object.assign(new Error('cannot parse the message'), { responseCode: 554 }));
          },
        );
      },
    });
    return new MailCatcher(server, store, port);
  }

  /** Newest first. */
  list(): CaughtMail[] {
    return this.store.newestFirst();
  }

  get(id: number): CaughtMail | undefined {
    return this.store.get(id);
  }

  /** Stops accepting connections and waits for the open ones to end (cut after closeTimeout). */
  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
