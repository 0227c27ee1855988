// The rows of the memory store (test/support/memory-store.ts): plain arrays, copied in and out,
// so a transaction can be rolled back by restoring a copy.
import type { Incident, IncidentUpdate } from '../../src/model/incidents';
import type { OutboxItem } from '../../src/model/mail';
import type { PendingUpload } from '../../src/model/store';
import type { BacklogCount, ReportDay, ReportFact } from '../../src/model/reports';
import type { Attachment, CannedReply, Department, DepartmentMember, Message, Rating, Ticket, TicketEvent } from '../../src/model/types';

type Keyed = { submissionKey: string | null };

export interface MemoryData {
  departments: Department[];
  tickets: Array<Ticket & Keyed>;
  messages: Array<Omit<Message, 'attachments'> & Keyed>;
  attachments: Attachment[];
  events: Array<TicketEvent & Keyed>;
  outbox: Array<OutboxItem & { retryKey: string | null }>;
  members: DepartmentMember[];
  canned: CannedReply[];
  gates: string[];
  ratings: Rating[];
  pendingUploads: PendingUpload[];
  incidents: Array<Incident & Keyed>;
  incidentLinks: Array<{ incidentId: number; ticketId: number; linkedBy: string | null; linkedAt: number }>;
  incidentUpdates: Array<Omit<IncidentUpdate, 'reached'> & Keyed>;
  incidentDeliveries: Array<{ updateId: number; ticketId: number; messageId: number }>;
  escalationPages: Array<{ ticketId: number; step: number; pagedAt: number }>;
  slaWarnings: Array<{ ticketId: number; dueAt: number; kind: string; sentAt: number }>;
  reportFacts: ReportFact[];
  reportDays: ReportDay[];
  /** Month rows, their `day` the month (YYYY-MM). */
  reportMonths: ReportDay[];
  reportBuilt: Array<{ day: string; timeZone: string; builtAt: number }>;
  reportBacklog: { counts: BacklogCount[]; countedAt: number } | null;
  /** The last id given, for every table: ids only grow, as with increments(). */
  lastId: number;
}

export function emptyData(): MemoryData {
  return {
    departments: [],
    tickets: [],
    messages: [],
    attachments: [],
    events: [],
    outbox: [],
    members: [],
    canned: [],
    gates: [],
    ratings: [],
    pendingUploads: [],
    incidents: [],
    incidentLinks: [],
    incidentUpdates: [],
    incidentDeliveries: [],
    escalationPages: [],
    slaWarnings: [],
    reportFacts: [],
    reportDays: [],
    reportMonths: [],
    reportBuilt: [],
    reportBacklog: null,
    lastId: 0,
  };
}

export function nextId(data: MemoryData): number {
  return ++data.lastId;
}

/** A stored row as a caller gets it: a copy without the store's own columns. */
export function copyOf<T extends object>(row: T, without: string[] = ['submissionKey', 'retryKey']): T {
  const copy = structuredClone(row) as Record<string, unknown>;
  for (const key of without) delete copy[key];
  return copy as T;
}

/** Ascending order by several keys, as ORDER BY a, b, c. */
export function byKeys<T>(...keys: Array<(row: T) => number | string>): (a: T, b: T) => number {
  return (a, b) => {
    for (const key of keys) {
      const x = key(a);
      const y = key(b);
      if (x !== y) return x < y ? -1 : 1;
    }
    return 0;
  };
}
