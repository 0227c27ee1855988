// Mail coming in: one intake (receiveMail) that every way in calls (an IMAP reader, the pipe
// command, the demo's MX, a host's own code), what it answers, and what it keeps. The mail/in/
// floor implements the reading and matching, store/ the tables.
/** Where a message came from, for the log and the admin page. */
export type IntakeSource = 'imap' | 'pipe' | 'smtp' | 'api';

export interface IntakeOptions {
  source?: IntakeSource;
  /**
   * The configured mailbox it was read from (settings.mail.inbound.mailboxes[].name); a mailbox
   * tied to a department opens requests there.
   */
  mailbox?: string;
}

/**
 * What became of a message:
 * - `stored`: added to a request (a customer's reply, a staff answer or an internal note);
 * - `opened`: opened a new request;
 * - `held`: kept for an admin, with `reason` (matches no request, unknown sender, a failed check);
 * - `ignored`: noise that is neither answered nor stored (auto-replies, mailer daemons, our own
 *   mail coming back), with `reason`;
 * - `duplicate`: a message already taken (an IMAP re-read, a retried pipe);
 * - `bounce`: a delivery report, recorded on the outbox e-mail it is about.
 * Every outcome is final: the source may delete or move the message. A thrown error is not: the
 * database or the disk was unavailable, and the source keeps the message to try again.
 */
export type IntakeOutcome = 'stored' | 'opened' | 'held' | 'ignored' | 'duplicate' | 'bounce';

export interface IntakeResult {
  outcome: IntakeOutcome;
  /** The request it went to or opened. */
  ticketNumber?: string;
  /** Why it was held or ignored: a code, see HeldReason and IgnoredReason. */
  reason?: string;
}

/** One RFC 822 message, whole. */
export type ReceiveMail = (raw: Buffer | NodeJS.ReadableStream, options?: IntakeOptions) => Promise<IntakeResult>;

/** Where an IMAP reader stands in a mailbox, so a restart neither skips nor repeats mail. */
export interface MailboxPosition {
  /** The folder's UIDVALIDITY: when it changes, UIDs start over and so does the reader. */
  uidValidity: string;
  /** The highest UID taken so far. */
  lastUid: number;
}

/** One row per configured mailbox (by its name in the settings). */
export interface MailboxPositionStore {
  get(mailbox: string): Promise<MailboxPosition | null>;
  save(mailbox: string, position: MailboxPosition, at: number): Promise<void>;
}

/** An address as a message names it. */
export interface MailAddress {
  /** Lower-cased. */
  address: string;
  name: string;
}

/** A file a message carries, not yet checked against the upload rules. */
export interface MailFile {
  /** As the message names it; may be empty or unsafe (cleaned when stored). */
  filename: string;
  /** What the message says it is; the stored file's type is detected from its content. */
  declaredType: string;
  content: Buffer;
  /** Shown in the HTML part (cid:) rather than attached: a logo or a pasted screenshot. */
  inline: boolean;
}

/** What a delivery report (multipart/report; report-type=delivery-status) says. */
export interface DeliveryReport {
  /** Message-ID of the e-mail it is about, from the returned headers; null when it names none. */
  originalMessageId: string | null;
  recipients: Array<{ address: string; action: string; status: string; diagnostic: string }>;
}

/**
 * A message as the intake reads it (mail/in/parse.ts makes it from the raw bytes with
 * mailparser): headers that matter, the text a person wrote, and the files.
 */
export interface ParsedMail {
  /** The Message-ID header, with its angle brackets; null when absent. */
  messageId: string | null;
  inReplyTo: string[];
  references: string[];
  from: MailAddress | null;
  /** To, Cc, Delivered-To and X-Original-To: every address it was sent to, once each. */
  recipients: string[];
  /** One line, decoded (RFC 2047), at most 998 characters; '' when absent. */
  subject: string;
  date: number | null;
  /**
   * What the sender wrote this time: the text/plain part (or the HTML part turned into text),
   * with the quoted history and the signature cut off. '' when nothing is left.
   */
  text: string;
  /** The whole text before anything was cut, for when the cut leaves nothing. */
  fullText: string;
  files: MailFile[];
  /** Set when the message is an auto-reply or bulk mail (Auto-Submitted, X-Autoreply, Precedence...): which header said so. */
  automatic: string | null;
  /** Set for a delivery report. */
  report: DeliveryReport | null;
  /** The Authentication-Results verdict for the From domain: pass when DMARC, DKIM or SPF passed, fail when one failed and none passed, none without the header. */
  authVerdict: 'pass' | 'fail' | 'none';
  /** Parts the message had in all (a message of thousands is refused before this). */
  partCount: number;
}

/**
 * The support mailbox's addresses and the Message-IDs the plugin makes, both signed with the
 * inbound secret so that mail coming back can be matched to its request without trusting what
 * a sender could forge (mail/reply-address.ts).
 */
export interface ReplyAddresses {
  /**
   * The address a request's e-mails are answered to: a plus address naming it and whose e-mail
   * it was in (the customer's or a department's), signed.
   */
  forTicket(ticketNumber: string, audience: 'customer' | 'department'): string;
  /**
   * What a recipient address says: a request (valid signature), a forged one (a request's form
   * with a wrong signature), a department's intake (support+<code>@), the plain support address,
   * or nothing of ours.
   */
  read(address: string): AddressMeaning;
  /** A new Message-ID naming the request, signed. */
  newMessageId(ticketNumber: string): string;
  /** The request a Message-ID names, when the plugin made it (its signature checks); null otherwise. */
  ticketOfMessageId(messageId: string): string | null;
}

export type AddressMeaning =
  | { kind: 'ticket'; ticketNumber: string; audience: 'customer' | 'department' }
  | { kind: 'forged' }
  | { kind: 'intake'; departmentCode: string }
  | { kind: 'support' }
  | { kind: 'other' };

/** What became of a message the intake kept: added to a request, opened one, held, or discarded by an admin. */
type InboundStatus = 'stored' | 'opened' | 'held' | 'discarded';

/** Why a message was held, for the admin page. */
export type HeldReason =
  | 'noMatch'
  | 'unknownSender'
  | 'senderNotAllowed'
  | 'forgedToken'
  | 'unverifiedSender'
  | 'staffNotAuthenticated'
  | 'noDepartment'
  | 'repliesOnly'
  | 'senderRate'
  | 'hourlyLimit'
  | 'empty'
  | 'refused';

/** Noise: neither answered nor stored. */
export type IgnoredReason =
  'automatic' | 'mailerDaemon' | 'ownMail' | 'senderFlood' | 'unknownBounce' | 'deliveryDelayed' | 'tooLarge' | 'tooComplex' | 'off';

/** More MIME parts than this and a message is refused whole: no person's e-mail has them, a bomb does. */
export const MAX_MAIL_PARTS = 500;

/** A message the intake kept, with its original in file storage. */
export interface InboundMail {
  id: number;
  receivedAt: number;
  source: IntakeSource;
  mailbox: string | null;
  mailMessageId: string | null;
  fromAddress: string;
  fromName: string;
  subject: string;
  rawKey: string;
  rawSize: number;
  authVerdict: ParsedMail['authVerdict'];
  status: InboundStatus;
  reason: HeldReason | null;
  detail: string | null;
  ticketId: number | null;
  /** The thread message it became. */
  messageId: number | null;
  handledBy: string | null;
  handledAt: number | null;
}

export type NewInboundMail = Omit<InboundMail, 'id' | 'handledBy' | 'handledAt'> & {
  /** The same message for the same request twice is one row: see InboundMailStore.record. */
  dedupeKey: string;
};

export interface InboundMailStore {
  /** Records a message; null when one with the same dedupe key is recorded already. */
  record(mail: NewInboundMail): Promise<number | null>;
  /** Whether a message with this dedupe key is recorded. */
  seen(dedupeKey: string): Promise<boolean>;
  /** Messages recorded from this address at or after `since`. */
  countFrom(address: string, since: number): Promise<number>;
  /** Held messages, newest first. */
  held(limit: number): Promise<InboundMail[]>;
  countHeld(): Promise<number>;
  find(id: number): Promise<InboundMail | null>;
  /** Ends a held message's wait (attached, opened, discarded); false when it was not held any more. */
  settle(id: number, change: Pick<InboundMail, 'status' | 'ticketId' | 'messageId' | 'handledBy' | 'handledAt'>): Promise<boolean>;
  /** The originals of these thread messages, by message id. */
  originalsOf(messageIds: number[]): Promise<Map<number, InboundMail>>;
  /** Deletes up to `limit` held or discarded messages received before `cutoff`; returns their originals' keys. */
  deleteUnkeptBefore(cutoff: number, limit: number): Promise<string[]>;
  /** Which of these storage keys an original points to. */
  referencedKeys(keys: string[]): Promise<Set<string>>;
}

/**
 * The kept originals of e-mails that became thread messages, for staff to read as they came
 * (the InboundMailStore's rows, their bytes in file storage).
 */
export interface MailOriginals {
  /** Which of these thread messages came by e-mail: their originals, by message id. */
  of(messageIds: number[]): Promise<Map<number, InboundMail>>;
  /** An original's bytes; null when its file is gone. */
  read(mail: InboundMail): Promise<Buffer | null>;
}

/** Why a file an e-mail carried was not taken. */
export type RefusedFileReason = 'type' | 'size' | 'count' | 'empty';

/** The texts the intake writes into a thread itself, in the plugin's default language. */
export interface IntakePhrases {
  /** Said of files that were not taken: each name and why. */
  refusedFiles(files: Array<{ name: string; why: RefusedFileReason }>): string;
  /** The message of an e-mail that brought only files. */
  filesOnly: string;
  /** The subject of a request opened by an e-mail without one. */
  noSubject: string;
  /** The first line of a held e-mail an admin added as a note: who sent it. */
  sentBy(name: string, address: string): string;
}
