// The plugin's vocabulary. Plain data, no database or web types.
import type { Locale } from '../host';

export type TicketStatus = 'new' | 'answered' | 'waiting' | 'closed';
export type TicketPriority = 'low' | 'normal' | 'high' | 'urgent';
export type AuthorKind = 'customer' | 'staff';

export interface Department {
  id: number;
  code: string;
  name: Record<Locale, string>;
  guidance: Record<Locale, string>;
  emails: string[];
  urgent: boolean;
  active: boolean;
  order: number;
}

export interface Ticket {
  id: number;
  number: string;
  customerId: string;
  customerName: string;
  customerEmail: string;
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
}

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
  attachments: Attachment[];
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
