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
