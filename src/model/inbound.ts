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
