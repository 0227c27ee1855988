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

export interface Department {
  id: number;
  code: string;
  name: Record<Locale, string>;
  guidance: Record<Locale, string>;
  emails: string[];
  /** Urgent mail also goes to these. */
  onCall: string[];
  /** Language of the department's e-mail; the plugin default when null. */
  mailLocale: Locale | null;
  urgent: boolean;
  active: boolean;
  order: number;
  /** When an admin last saved it on the Departments page; settings.departments no longer apply after that. */
  editedAt: number | null;
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
  /**
   * When the customer last saw the request with its latest staff answer (opened its page, or
   * wrote in it); null while a staff answer waits unseen: the list shows it bold and the menu
   * badge counts it.
   */
  customerSeenAt: number | null;
}

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
  /** customerClose and customerReopen: the actor is the customer, who closed it or reopened it by replying. */
  action: 'status' | 'priority' | 'assignee' | 'department' | 'note' | 'reply' | 'customerClose' | 'customerReopen';
  detail: Record<string, string | null>;
  createdAt: number;
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
