// Mail in, wired: the intake as the host and every way in see it (host.ts ActivatedPlugin.receiveMail),
// held mail for the admin pages, and the background jobs that go with them. A message's bytes
// are refused whole when too large or too complex, read (mail/in/parse.ts), and handed to the
// domain's rules (domain/mail-intake.ts); its original is written to storage only when a row
// will point to it.
import type { HostLogger, SupportHost } from './host';
import type { InboundMail, InboundMailStore, ParsedMail, ReceiveMail, ReplyAddresses } from './model/inbound';
import { MAX_MAIL_PARTS } from './model/inbound';
import type { Job } from './model/jobs';
import type { Store } from './model/store';
import type { Clock } from './model/types';
import type { InboundSettings, UploadSettings } from './model/settings';
import { MailTooComplexError } from './model/errors';
import type { Catalog } from './i18n';
import type { FileStorage } from './files/storage';
import { keepBuffer } from './files/keep-buffer';
import { readMessage } from './mail/in/read-message';
import { intakePhrases } from './mail/in/intake-phrases';
import { heldMailRetention } from './mail/in/held-retention';
import { imapReaderJob } from './mail/in/imap-reader';
import type { TableNames } from './store/tables';
import { mailboxPositionStore } from './store/mailbox-positions';
import { mailIntake } from './domain/mail-intake';
import { heldMail } from './domain/held-mail';
import type { CustomerTickets } from './domain/customer-tickets';
import type { StaffTickets } from './domain/staff-tickets';
import type { Locale } from './host';

export interface MailInOptions {
  host: SupportHost;
  tables: TableNames;
  /** The messages taken in: staff read their originals too, so the wiring makes it for both. */
  inbound: InboundMailStore;
  store: Store;
  storage: FileStorage;
  catalog: Catalog;
  defaultLocale: Locale;
  settings: InboundSettings;
  uploads: UploadSettings;
  /** Null while mail in is off (no address or secret in the settings). */
  addresses: ReplyAddresses | null;
  customers: CustomerTickets;
  staff: StaffTickets;
  logger: HostLogger;
  now: Clock;
}

/**
 * The reader and its libraries (mailparser, html-to-text: a few hundred ms to load), loaded
 * with the first message, so a panel without mail in never pays for them at start.
 */
let parseModule: Promise<typeof import('./mail/in/parse.js')> | null = null;
const parser = () => (parseModule ??= import('./mail/in/parse.js'));

export function mailIn(options: MailInOptions) {
  const { host, store, storage, settings, logger, inbound } = options;
  const maxBytes = settings.maxMessageMb * 1024 * 1024;
  const findUserByEmail = host.findUserByEmail?.bind(host);

  async function parse(raw: Buffer): Promise<ParsedMail | null> {
    try {
      return await (await parser()).parseMail(raw, { maxParts: MAX_MAIL_PARTS });
    } catch (err) {
      if (err instanceof MailTooComplexError) return null;
      throw err;
    }
  }

  const intake = options.addresses
    ? mailIntake({
        store,
        inbound,
        addresses: options.addresses,
        customers: options.customers,
        staff: options.staff,
        ...(findUserByEmail ? { findUserByEmail } : {}),
        keepFile: (file) => keepBuffer(storage, file.content, file.filename),
        discardFiles: (keys) => storage.remove(keys),
        uploads: {
          maxFiles: options.uploads.maxFiles,
          maxFileBytes: options.uploads.maxFileSizeMb * 1024 * 1024,
          allowedTypes: options.uploads.allowedTypes,
        },
        phrases: intakePhrases(options.catalog, options.defaultLocale),
        perSenderPerHour: settings.perSenderPerHour,
        requireAuthPassForStaff: settings.requireAuthPassForStaff,
        defaultDepartment: settings.defaultDepartment ?? null,
        defaultLocale: options.defaultLocale,
        mailboxDepartments: new Map(settings.mailboxes.flatMap((m) => (m.department ? [[m.name, m.department] as const] : []))),
        log: (message) => logger.info(`support-requests mail in: ${message}`),
        now: options.now,
      })
    : null;

  const receiveMail: ReceiveMail = async (raw, intakeOptions = {}) => {
    const source = intakeOptions.source ?? 'api';
    if (!intake) return { outcome: 'ignored', reason: 'off' };
    const message = await readMessage(raw, maxBytes);
    if (!message) {
      logger.warn(`support-requests mail in: refused a message larger than ${settings.maxMessageMb} MB (${source})`);
      return { outcome: 'ignored', reason: 'tooLarge' };
    }
    const mail = await parse(message);
    if (!mail) {
      logger.warn(`support-requests mail in: refused a message of more than ${MAX_MAIL_PARTS} parts (${source})`);
      return { outcome: 'ignored', reason: 'tooComplex' };
    }
    let kept: Promise<{ key: string; size: number }> | null = null;
    const original = {
      keep: () => (kept ??= keepBuffer(storage, message, 'message.eml').then((file) => ({ key: file.storageKey, size: file.size }))),
    };
    return intake.take(mail, message, original, intakeOptions);
  };

  /** A kept original read again, for the admin page and for attaching it later. */
  async function reread(mail: InboundMail): Promise<ParsedMail | null> {
    const raw = await storage.read(mail.rawKey);
    return raw ? parse(raw) : null;
  }

  const positions = mailboxPositionStore(host.knex, options.tables);
  const jobs: Job[] = [
    ...(settings.keepHeldDays > 0 ? [heldMailRetention(inbound, settings.keepHeldDays, (keys) => storage.remove(keys), logger)] : []),
    // A reader per IMAP mailbox while mail in is on; each hands its mail to this receiveMail.
    ...(intake
      ? settings.mailboxes.map((mailbox) => imapReaderJob({ mailbox, positions, receive: receiveMail, logger, maxMessageBytes: maxBytes }))
      : []),
  ];

  return {
    receiveMail,
    held: intake
      ? heldMail({
          store,
          inbound,
          intake,
          reread,
          readOriginal: (mail) => storage.read(mail.rawKey),
          discardFiles: (keys) => storage.remove(keys),
          ...(findUserByEmail ? { findUserByEmail } : {}),
          now: options.now,
        })
      : null,
    jobs,
  };
}
