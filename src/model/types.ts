// The plugin's vocabulary: what a ticket, a message, a department are. Plain data, no database,
// mail or web types; the ground floor every other part of the plugin builds on.
import type { Locale } from '../host';

/** The time in milliseconds since the epoch; Date.now, or a test's own clock. */
export type Clock = () => number;

/** The largest value of a signed 32-bit integer column, the type of every id column. */
export const MAX_ID = 2_147_483_647;

export type TicketStatus = 'new' | 'answered' | 'waiting' | 'closed';
export type TicketPriority = 'low' | 'normal' | 'high' | 'urgent';
export type AuthorKind = 'customer' | 'staff';

/**
 * Words that make a request look like a department's, with the topic they are about. The create
 * form suggests the department from them: «Похоже на вопрос {topic} — это «…»».
 */
export interface KeywordGroup {
  /** As it reads after «Похоже на вопрос» / "Looks like a question": «об оплате», "about payment"; "" for none. */
  topic: string;
  /** Stems and phrases, matched at the start of the text's words: «оплат», «не работает». */
  words: string[];
}

export interface Department {
  id: number;
  code: string;
  name: Record<Locale, string>;
  guidance: Record<Locale, string>;
  /** What the create form suggests the department by, per language. */
  keywords: Record<Locale, KeywordGroup[]>;
  emails: string[];
  /** Urgent mail also goes to these. */
  onCall: string[];
  /** Language of the department's e-mail; the plugin default when null. */
  mailLocale: Locale | null;
  urgent: boolean;
  /** Whom an unacknowledged urgent request pages, step by step; empty: no escalation. */
  escalation: EscalationStep[];
  /** Its response regulation: the targets customers are promised and staff are warned by. */
  regulation: DepartmentRegulation;
  active: boolean;
  order: number;
  /** When an admin last saved it on the Departments page; settings.departments no longer apply after that. */
  editedAt: number | null;
}

/**
 * A step of a department's emergency escalation: an urgent request that nobody has acknowledged
 * ("I'm on it") or answered `afterMinutes` after it was opened pages `to`: a list of addresses (a
 * second on-call list), or "admins" (settings.escalation.adminEmails).
 */
export interface EscalationStep {
  afterMinutes: number;
  to: string[] | 'admins';
}

/** A staff member of a department, as recorded on the admin page for hosts that do not give HostUser.departments. */
export interface DepartmentMember {
  id: number;
  departmentId: number;
  /** HostUser.id */
  userId: string;
  name: string;
  email: string;
}

/** A department's ready answer, which staff insert into a reply and edit before sending. */
export interface CannedReply {
  id: number;
  departmentId: number;
  title: string;
  body: string;
  /** The language it is written in; null when it does not matter. */
  locale: Locale | null;
  createdAt: number;
  updatedAt: number;
}

export interface Ticket {
  id: number;
  number: string;
  customerId: string;
  customerName: string;
  customerEmail: string;
  /** The customer's language when the ticket was opened, for e-mail to them. */
  customerLocale: Locale | null;
  /** The customer's time zone (IANA) when the ticket was opened, for times in e-mail to them; the plugin's when null. */
  customerTimeZone: string | null;
  serviceId: string | null;
  serviceLabel: string | null;
  departmentId: number;
  subject: string;
  status: TicketStatus;
  priority: TicketPriority;
  createdAt: number;
  updatedAt: number;
  lastReplyAt: number | null;
  closedAt: number | null;
  /** Message-ID of the ticket's first e-mail; every later e-mail refers to it. */
  threadMessageId: string | null;
  /** The staff member working on it, if any. */
  assigneeId: string | null;
  assigneeName: string | null;
  /** The kind of the linked service when the ticket was opened (vps, domain...). */
  serviceKind: string | null;
  /** When the customer last wrote: the queue's waiting clock. */
  lastCustomerAt: number;
  /** Transferred here and not yet opened by anyone of this department: the menu badge counts it. */
  transferUnseen: boolean;
  /**
   * When the customer last saw the request with its latest staff answer (opened its page, or
   * wrote in it); null while a staff answer waits unseen: the list shows it bold and the menu
   * badge counts it.
   */
  customerSeenAt: number | null;
  /** Staff merged it into this ticket (the final one of any chain): its number leads there. */
  mergedIntoId: number | null;
  /** When a staff member said "I'm on it" (urgent requests): it stops the escalation chain. */
  acknowledgedAt: number | null;
  acknowledgedById: string | null;
  acknowledgedByName: string | null;
  /** When the regulation's nearest target falls due (see domain/due.ts); null: nothing is due. */
  dueAt: number | null;
  dueKind: DueKind | null;
  /** When the current wait for staff began: the opening, or the customer's reply after an answer. */
  waitingSince: number;
  /** Working time spent waiting for the customer, which the resolution target does not count. */
  pausedMs: number;
  /** Since when it waits for the customer; null while it does not. */
  pausedSince: number | null;
  /** When the next service-level warning is due (the warning share, then the breach); null: none left. */
  warnAt: number | null;
}

/** Which of the regulation's targets a due time is. */
export type DueKind = 'firstResponse' | 'nextResponse' | 'resolution';

/** The queue's order: smaller first. */
export const PRIORITY_RANK: Record<TicketPriority, number> = { urgent: 0, high: 1, normal: 2, low: 3 };
export const PRIORITIES: TicketPriority[] = ['low', 'normal', 'high', 'urgent'];

export interface Attachment {
  id: number;
  messageId: number;
  ticketId: number;
  originalName: string;
  storageKey: string;
  size: number;
  contentType: string;
  sha256: string;
  createdAt: number;
}

export interface Message {
  id: number;
  ticketId: number;
  authorKind: AuthorKind;
  authorId: string;
  authorName: string;
  body: string;
  createdAt: number;
  /** An internal note: staff only, never shown or e-mailed to the customer. */
  internal: boolean;
  attachments: Attachment[];
}

/** Who a thread is read for: the customer never gets internal notes. */
export type Audience = 'customer' | 'staff';

/** One line of a ticket's audit trail. */
export interface TicketEvent {
  id: number;
  ticketId: number;
  actorId: string;
  actorName: string;
  /**
   * customerClose and customerReopen: the actor is the customer, who closed it or reopened it by
   * replying. merge ({ from, to } numbers) is on both tickets; duplicate ({ from, to }: `from` was
   * closed as a duplicate of `to`) too. acknowledged: someone said "I'm on it"; escalated ({ step }):
   * the escalation chain paged its next step.
   */
  action:
    | 'status'
    | 'priority'
    | 'assignee'
    | 'department'
    | 'note'
    | 'reply'
    | 'customerClose'
    | 'customerReopen'
    | 'rating'
    | 'merge'
    | 'duplicate'
    | 'acknowledged'
    | 'escalated';
  detail: Record<string, string | null>;
  createdAt: number;
}

export type RatingChoice = 'good' | 'bad';
export const RATING_CHOICES: RatingChoice[] = ['good', 'bad'];

/** The customer's rating of a request: one per request, the latest choice counts. */
export interface Rating {
  ticketId: number;
  /** The request's department when it was rated: what the admin's figures count it under. */
  departmentId: number;
  rating: RatingChoice;
  comment: string;
  /** Whom it is about: the staff member who last answered the customer, else the assignee. */
  staffId: string | null;
  staffName: string | null;
  ratedAt: number;
  /** When a bad rating last alerted the department by e-mail. */
  alertedAt: number | null;
}

/** A file already streamed to storage, waiting to be attached to a message. */
export interface StoredFile {
  storageKey: string;
  originalName: string;
  size: number;
  /** Detected from the content, not from the name. */
  contentType: string;
  sha256: string;
}

/** A page of a keyset-paginated list, with the cursor of the next page if there is one. */
export interface Page<T> {
  items: T[];
  next: string | null;
}

/** An ISO weekday: 1 is Monday, 7 is Sunday. */
export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

/** A stretch of a working day, as the clock on the wall shows it: "09:00" to "18:00" ("24:00" ends at midnight). */
export type WorkingSpan = [from: string, to: string];

/**
 * When a department works: a week in its time zone, holidays, and days worked although the week
 * says otherwise (a Saturday that makes up for a holiday). Response targets count only these hours.
 */
export interface WorkingHours {
  /** IANA name, e.g. "Europe/Moscow". */
  timeZone: string;
  /** Spans per weekday; a day without spans is a day off. */
  week: Partial<Record<Weekday, WorkingSpan[]>>;
  /** Days off (YYYY-MM-DD in the time zone), whatever the week says. */
  holidays: string[];
  /** Days worked (YYYY-MM-DD) although the week or the holidays say otherwise, with their hours. */
  workingDays: Array<{ date: string; spans: WorkingSpan[] }>;
}

/** Working minutes a department gives itself; null where it promises nothing. */
export interface ResponseTargets {
  /** To the first staff answer of a new request. */
  firstResponse: number | null;
  /** To the staff answer after a customer's reply. */
  nextResponse: number | null;
  /** From opening to closing, not counting the time spent waiting for the customer. */
  resolution: number | null;
}

/**
 * A department's regulation as stored: hours null is round the clock (an emergency service), so
 * targets count calendar time; warnPercent is the share of a target after which staff are warned.
 */
export interface DepartmentRegulation {
  targets: ResponseTargets;
  byPriority: Partial<Record<TicketPriority, Partial<ResponseTargets>>>;
  hours: WorkingHours | null;
  warnPercent: number;
}

/** A department's response regulation as due times are counted: its targets, a priority's own where set, in its working hours (round the clock made explicit). */
export type Regulation = Omit<DepartmentRegulation, 'hours' | 'warnPercent'> & { hours: WorkingHours };
