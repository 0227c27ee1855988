// The mail a ticket's changes cause, as the domain and the dispatcher see it: the envelope queued
// with its cause, the outbox that holds it until it is sent, what builds it, and how the last
// deliveries went. The mail/ floor implements the building and the sending, store/ the outbox.
import type { Locale } from '../host';
import type { Department, Message, Rating, Ticket } from './types';

/**
 * What an e-mail says: the data its templates (views/mail/<template>.text.ejs and .html.ejs) show,
 * fixed when its cause is committed. It is rendered when the e-mail is sent, in the mail thread,
 * so building an e-mail's text, HTML and MIME never takes the panel's event loop.
 */
export interface MailContent {
  template: string;
  /** Plain JSON: it is stored in the outbox and crosses to the mail thread. */
  data: Record<string, unknown>;
}

/** An e-mail as queued: everything needed to send it, fixed when its cause is committed. */
export interface MailEnvelope {
  to: string[];
  subject: string;
  content: MailContent;
  /** Where answers go: the request's signed reply address when mail in is set up. */
  replyTo?: string;
  /** Extra headers (X-Priority, Importance...). */
  headers: Record<string, string>;
  inReplyTo?: string;
  references?: string[];
  /** Files to attach from storage when the e-mail is sent. */
  attachments: Array<{ storageKey: string; filename: string; contentType: string }>;
  /** The recipient's language: the content is rendered in it. */
  locale: Locale;
  /** The recipient's time zone (IANA): times in the content are shown in it; the server's when absent. */
  timeZone?: string;
}

export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'failed';

export interface OutboxItem {
  id: number;
  ticketId: number | null;
  ticketNumber: string | null;
  kind: string;
  /** Sent before everything else that is due. */
  urgent: boolean;
  status: OutboxStatus;
  /** The e-mail's Message-ID header, given when it is queued, so a re-send is recognisably the same. */
  mailMessageId: string;
  envelope: MailEnvelope;
  attempts: number;
  nextAttemptAt: number;
  leaseUntil: number | null;
  lastError: string | null;
  createdAt: number;
  sentAt: number | null;
  /** Attachments that had gone from storage when the e-mail was sent without them. */
  missingFiles: string[];
  /** The delivery report that came back for it, if one did. */
  bounce: Bounce | null;
}

/** A delivery report (bounce) about a sent e-mail: when it came, and what it says of each recipient. */
export interface Bounce {
  at: number;
  recipients: Array<{ address: string; action: string; status: string; diagnostic: string }>;
}

export type NewOutboxItem = Pick<OutboxItem, 'ticketId' | 'ticketNumber' | 'kind' | 'urgent' | 'mailMessageId' | 'envelope'>;

/** One claim of a row by this process: the row and the attempt count its claim set. */
export interface HeldClaim {
  id: number;
  attempts: number;
}

export interface OutboxCounts {
  pending: number;
  sending: number;
  sent: number;
  failed: number;
  /** Sent e-mails that went without a file that had gone from storage. */
  sentWithMissingFiles: number;
  /** E-mails a delivery report came back for. */
  bounced: number;
  oldestPendingAt: number | null;
}

/**
 * The mail outbox. Rows are claimed with a lease, and a claim is known by the row's attempt
 * count, which every claim raises: a dispatcher renews or records only the claim it made.
 */
export interface OutboxStore {
  enqueue(items: NewOutboxItem[], now: number): Promise<void>;
  /**
   * Reserves up to `limit` due e-mails, urgent first, for `leaseMs`; each claim counts as an
   * attempt. `exclude`: rows this process is still sending, never taken again even if their lease ran out.
   */
  claim(now: number, leaseMs: number, limit: number, exclude?: number[]): Promise<OutboxItem[]>;
  /** Extends the leases of rows still held by these claims; returns how many were renewed. */
  renewLeases(held: HeldClaim[], leaseUntil: number): Promise<number>;
  markSent(ids: number[], now: number): Promise<void>;
  /** Puts a claimed e-mail back for a later attempt, unless another instance has claimed it since. */
  reschedule(claim: HeldClaim, at: number, error: string): Promise<void>;
  markFailed(claim: HeldClaim, error: string): Promise<void>;
  /** Records the files an e-mail goes without because they are gone from storage. */
  noteMissingFiles(id: number, names: string[]): Promise<void>;
  /**
   * Puts a failed e-mail back in the queue for one more round of attempts; false when it is not
   * failed, unless `retryKey` (the admin form's submission) already did so.
   */
  retryFailed(id: number, now: number, retryKey: string): Promise<boolean>;
  /** Deletes up to `limit` e-mails sent before `cutoff`, oldest first; returns how many went. */
  deleteSentBefore(cutoff: number, limit: number): Promise<number>;
  counts(): Promise<OutboxCounts>;
  /** The latest failed e-mails, newest first. */
  failed(limit: number): Promise<OutboxItem[]>;
  /** The latest sent e-mails that went without a file, newest first. */
  sentWithMissingFiles(limit: number): Promise<OutboxItem[]>;
  /** Records a delivery report on the e-mail with this Message-ID; false when there is none (any more). */
  recordBounce(mailMessageId: string, bounce: Bounce): Promise<boolean>;
  /** The latest e-mails a delivery report came back for, newest report first. */
  bounced(limit: number): Promise<OutboxItem[]>;
}

/** The e-mails each change of a ticket causes, built to be queued in the change's own transaction. */
export interface TicketMail {
  /** A new ticket's thread Message-ID: made before the ticket is stored, so it is stored with it. */
  newThreadMessageId(ticketNumber: string): string;
  /** The department's notice of a new ticket (its Message-ID is the ticket's threadMessageId) and the customer's confirmation. */
  forNewTicket(ticket: Ticket, department: Department, message: Message, how?: { openedByMail: boolean }): NewOutboxItem[];
  /** The department's notice of a customer's reply, with earlier messages (newest first) for context. */
  forCustomerReply(ticket: Ticket, department: Department, message: Message, earlier: Message[]): NewOutboxItem[];
  /** The new department's notice of a transferred ticket, with the reason and the thread so far. */
  forTransfer(ticket: Ticket, from: Department, to: Department, reason: string, thread: Message[]): NewOutboxItem[];
  /** Tells the customer their answered request was closed after days of silence. */
  forAutoClose(ticket: Ticket, days: number): NewOutboxItem[];
  /** Tells the customer that staff closed their request. */
  forStaffClose(ticket: Ticket): NewOutboxItem[];
  /** Tells the customer that request `from` was merged into `into`, or closed as a duplicate of it; they continue there. */
  forMerge(from: Ticket, into: Ticket, duplicate: boolean): NewOutboxItem[];
  /** A staff answer to the customer. */
  forStaffReply(ticket: Ticket, department: Department, message: Message): NewOutboxItem[];
  /** Alerts the department to a customer's bad rating of the request. */
  forBadRating(ticket: Ticket, department: Department, rating: Rating): NewOutboxItem[];
  /** Pages an escalation step: nobody has acknowledged the urgent request in `afterMinutes`. */
  forEscalation(ticket: Ticket, department: Department, page: { step: number; afterMinutes: number; to: string[] }): NewOutboxItem[];
  /** Warns `to` (the assignee, or the department) that the request's due time is close ('warn') or has passed ('breach'). */
  forSlaWarning(ticket: Ticket, department: Department, kind: 'warn' | 'breach', to: string[]): NewOutboxItem[];
}

export type TransportState =
  { state: 'none' } | { state: 'unchecked' } | { state: 'ok'; checkedAt: number } | { state: 'error'; checkedAt: number; error: string };

export interface DeliveryActivity {
  lastSentAt: number | null;
  lastFailure: { at: number; error: string } | null;
  /** Set when attempts have been under way since then for longer than `notAnsweringAfterMs`, and none finished meanwhile. */
  notAnsweringSince: number | null;
}

/** Whether the mail transport works: its check at start, and what the real deliveries since showed. */
export interface MailHealth {
  readonly status: TransportState;
  readonly activity: DeliveryActivity;
}

/**
 * Links in e-mail that act on a request: signed, so the page they open knows they came from us
 * and for which request. Opening one records nothing; the page asks first.
 */
export interface SignedLinks {
  /** The signature of links for this request. */
  signatureOf(ticketNumber: string): string;
  /** Whether a link's signature is the request's own. */
  isSignatureOf(ticketNumber: string, signature: string): boolean;
}

/** The links in a customer's e-mail that rate the request. */
export type RatingLinks = SignedLinks;

/** The "I'm on it" link in an urgent request's e-mail to the department and its escalation pages. */
export type AcknowledgeLinks = SignedLinks;
