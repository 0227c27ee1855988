// What the domain needs from storage, as interfaces: store/ implements them with knex, tests
// with memory (test/support/memory-store.ts). Refusals of unique indexes and foreign keys come
// back as the model's errors (ConflictError, StillReferencedError, ReferenceMissingError).
import type { IncidentStore } from './incidents';
import type { ReportStore } from './reports';
import type { OutboxStore } from './mail';
import type { DepartmentSettings } from './settings';
import type {
  Attachment,
  Audience,
  CannedReply,
  Department,
  DepartmentMember,
  EscalationStep,
  Message,
  Page,
  Rating,
  RatingChoice,
  StoredFile,
  Ticket,
  TicketEvent,
  TicketPriority,
  TicketStatus,
} from './types';

/** The due-time fields (domain/due.ts); a new ticket without them has nothing due. */
type DueColumns = 'dueAt' | 'dueKind' | 'waitingSince' | 'pausedMs' | 'pausedSince' | 'warnAt';

/** A new ticket is never a transfer, merged or acknowledged yet. */
export type NewTicket = Omit<
  Ticket,
  'id' | 'transferUnseen' | 'mergedIntoId' | 'acknowledgedAt' | 'acknowledgedById' | 'acknowledgedByName' | DueColumns
> &
  Partial<Pick<Ticket, DueColumns>> & {
    /** The create form's submission; the same submission twice is one ticket (ConflictError 'ticketSubmission'). */
    submissionKey?: string | null;
  };

/** What a change to a ticket may set. */
export type TicketChanges = Partial<
  Pick<
    Ticket,
    | 'status'
    | 'priority'
    | 'departmentId'
    | 'updatedAt'
    | 'lastReplyAt'
    | 'closedAt'
    | 'threadMessageId'
    | 'assigneeId'
    | 'assigneeName'
    | 'lastCustomerAt'
    | 'transferUnseen'
    | 'customerSeenAt'
    | 'mergedIntoId'
    | 'acknowledgedAt'
    | 'acknowledgedById'
    | 'acknowledgedByName'
    | DueColumns
  >
>;

export interface TicketStore {
  insert(ticket: NewTicket): Promise<number>;
  /** How many tickets the customer opened at or after `since`. */
  countOpenedSince(customerId: string, since: number): Promise<number>;
  /** The ticket a create form submission of this customer made, if it was made. */
  findBySubmission(customerId: string, submissionKey: string): Promise<Ticket | null>;
  /** The customer's own ticket by its public number; null for anyone else's. */
  findForCustomer(number: string, customerId: string): Promise<Ticket | null>;
  /** Any ticket by its public number, for staff (the domain decides who may see it). */
  findByNumber(number: string): Promise<Ticket | null>;
  /** Any ticket by its row id, for admins (held mail names the request it was about by id). */
  findById(id: number): Promise<Ticket | null>;
  /** A department's open tickets after id `afterId`, by id: a batch of those whose due time a new regulation moves. */
  openInDepartment(departmentId: number, afterId: number, limit: number): Promise<Ticket[]>;
  /** Inside a transaction: re-reads a ticket and holds it until the end, so two changes to it take turns. */
  lock(id: number): Promise<Ticket>;
  /**
   * Open urgent tickets of these departments opened at or after `since` that nobody has
   * acknowledged or answered yet: the escalation chain's candidates, oldest first.
   */
  unacknowledgedUrgent(departmentIds: number[], since: number, limit: number): Promise<Ticket[]>;
  /** Answered tickets whose last staff answer is older than `before`, oldest first. */
  answeredBefore(before: number, limit: number): Promise<Ticket[]>;
  update(id: number, changes: TicketChanges): Promise<void>;
  /** The customer's tickets that match the filter, newest activity first; merged ones are not listed (their number leads on). */
  listForCustomer(customerId: string, filter: CustomerListFilter, cursor: string | null, limit: number): Promise<Page<Ticket>>;
  /** The customer's tickets with a staff answer they have not seen (customerSeenAt null), counted up to `cap`. */
  countUnseenAnswers(customerId: string, cap: number): Promise<number>;
  /**
   * Records that the customer has seen the ticket with its answers up to `answeredUpTo` (the
   * lastReplyAt they were shown): a no-op when nothing was unseen, or when a newer answer came
   * meanwhile, which stays unseen.
   */
  markSeen(id: number, at: number, answeredUpTo: number | null): Promise<void>;
  /** Points the tickets merged into `fromId` at `toId`, which `fromId` is being merged into: a chain stays one step long. */
  repointMerged(fromId: number, toId: number): Promise<void>;
}

/** What the customer's list shows: open, closed or all requests, and a search. */
export interface CustomerListFilter {
  /** 'open' = anything not closed. */
  status: 'open' | 'closed' | 'all';
  /** A request number (with or without #), or words of the subject; '' for everything. */
  search: string;
}

export type NewMessage = Omit<Message, 'id' | 'attachments' | 'internal'> & {
  internal?: boolean;
  /** The form submission that made it; the same submission twice is one message (ConflictError 'messageSubmission'). */
  submissionKey?: string | null;
};

export interface MessageStore {
  insert(message: NewMessage): Promise<number>;
  /** Records a message's files and returns them as stored. */
  attach(ticketId: number, messageId: number, files: StoredFile[], createdAt: number): Promise<Attachment[]>;
  /** The thread as the audience may see it, oldest first (by time, then id), each message with its attachments. */
  thread(ticketId: number, audience: Audience): Promise<Message[]>;
  /** A file of the ticket; a customer never reaches the files of an internal note. */
  findAttachment(ticketId: number, attachmentId: number, audience: Audience): Promise<Attachment | null>;
  /** Which of these storage keys an attachment points to. */
  referencedKeys(keys: string[]): Promise<Set<string>>;
  /** Id of the message a submission already made, if it was made. */
  findBySubmission(ticketId: number, submissionKey: string): Promise<number | null>;
  /** Moves every message of one ticket, with its files, to another; their authors, times and storage keys stay. */
  moveAll(fromTicketId: number, toTicketId: number): Promise<void>;
}

/** What an admin sets on a department's form; the code is fixed once it exists, the escalation has its own form. */
export type DepartmentFields = Omit<Department, 'id' | 'code' | 'editedAt' | 'escalation'>;

/** What the plugin's settings say about a department, applied until an admin saves it on the Departments page. */
/** What settings.departments gives a department before an admin edits it (generated from plugin.json). */
export type DepartmentDefaults = DepartmentSettings;

/**
 * Reads may come from a copy a few seconds old (store/department-cache.ts says how old at most);
 * `current` reads the database itself, for the Departments page, which shows what was just saved.
 */
interface DepartmentReadOptions {
  current?: boolean;
}

export interface DepartmentStore {
  list(options: { activeOnly: boolean } & DepartmentReadOptions): Promise<Department[]>;
  find(id: number, options?: DepartmentReadOptions): Promise<Department | null>;
  findByCode(code: string): Promise<Department | null>;
  /** Applies the defaults to a department no admin has saved on the Departments page yet. */
  applySettings(code: string, defaults: DepartmentDefaults): Promise<void>;
  /** ConflictError 'departmentCode' when the code is taken. */
  create(code: string, fields: DepartmentFields, at: number): Promise<number>;
  update(id: number, fields: DepartmentFields, at: number): Promise<void>;
  /** Saves the department's escalation steps (its own form on the Departments page). */
  setEscalation(id: number, steps: EscalationStep[], at: number): Promise<void>;
  /** Removes a department with its members and canned replies; StillReferencedError 'ticketDepartment' while a ticket is filed there. */
  remove(id: number): Promise<void>;
  /** Tickets per department id, closed ones included; departments without any are absent. */
  ticketCounts(): Promise<Map<number, number>>;
  hasTickets(id: number): Promise<boolean>;
}

export type NewDepartmentMember = Omit<DepartmentMember, 'id'>;

/** Staff membership of departments, kept by the plugin for hosts that do not give HostUser.departments. */
export interface DepartmentStaffStore {
  /** Members of one department, or of all when departmentId is null; by name. */
  list(departmentId: number | null): Promise<DepartmentMember[]>;
  departmentIdsOf(userId: string): Promise<number[]>;
  /** ConflictError 'memberUser' when the user is a member already. */
  add(member: NewDepartmentMember): Promise<void>;
  /** Removes one member row of a department; false when there was none. */
  remove(departmentId: number, id: number): Promise<boolean>;
}

/** What an admin writes; times are the store's. */
export type CannedReplyFields = Pick<CannedReply, 'departmentId' | 'title' | 'body' | 'locale'>;

export interface CannedReplyStore {
  /** One department's replies, or every department's when departmentId is null; by title. */
  list(departmentId: number | null): Promise<CannedReply[]>;
  find(id: number): Promise<CannedReply | null>;
  create(fields: CannedReplyFields, at: number): Promise<number>;
  /** False when there is no such reply. */
  update(id: number, fields: CannedReplyFields, at: number): Promise<boolean>;
  remove(id: number): Promise<boolean>;
}

export interface QueueFilter {
  /** The departments the reader may see; null means all (admins). */
  departmentIds: number[] | null;
  /** 'open' = anything not closed. */
  status: TicketStatus | 'open' | 'all';
  priority: TicketPriority | null;
  serviceKind: string | null;
  /** A staff id: only theirs; '' : only unassigned; null: anyone's. */
  assignee: string | null;
  /** A ticket number, a customer e-mail, or words of the subject. */
  search: string;
  /** Only those due at or before this instant (overdue, or due soon); null: any. */
  dueBefore: number | null;
}

/** The staff queue: open tickets, most urgent first, then the soonest due, then the customer who has waited longest. */
export interface QueueStore {
  page(filter: QueueFilter, cursor: string | null, limit: number): Promise<Page<Ticket>>;
  /** Tickets waiting for a staff answer (new, customer replied, or transferred here and not yet opened) in these departments, counted up to `cap`. */
  waitingCount(departmentIds: number[] | null, cap: number): Promise<number>;
}

export type NewTicketEvent = Omit<TicketEvent, 'id'> & {
  /** The form submission that made it; the same submission twice is refused (ConflictError 'eventSubmission'). */
  submissionKey?: string | null;
};

/** The audit trail of changes to tickets. */
export interface EventStore {
  record(events: NewTicketEvent[]): Promise<void>;
  /** Whether this actor's submission already made its change to the ticket. */
  madeBySubmission(ticketId: number, actorId: string, submissionKey: string): Promise<boolean>;
  /** Oldest first (by time, then id): entries moved in by a merge fall in among the ticket's own. */
  forTicket(ticketId: number): Promise<TicketEvent[]>;
  /** Moves a ticket's whole audit trail to another ticket. */
  moveAll(fromTicketId: number, toTicketId: number): Promise<void>;
}

/** One row per customer that a transaction holds to act for that customer alone. */
export interface CustomerGateStore {
  /** Makes sure the customer's row exists; called outside a transaction. */
  ensure(customerId: string, at: number): Promise<void>;
  /** Inside a transaction: waits for, then holds until the end, this customer's row; false if it does not exist. */
  hold(customerId: string, at: number): Promise<boolean>;
}

/** Good and bad ratings counted under one department or one staff member. */
export interface RatingCount {
  good: number;
  bad: number;
}

/** A bad rating in the admin's list, with the request it is about. */
export interface RatedTicket extends Rating {
  ticketNumber: string;
  subject: string;
}

/** Customers' ratings of their requests; a period is [from, to) on the time of the latest rating. */
export interface RatingStore {
  find(ticketId: number): Promise<Rating | null>;
  /** Stores the request's rating, replacing the one it had. */
  save(rating: Rating): Promise<void>;
  /** Counts per department id (as rated), and per staff id with the latest name seen. */
  counts(
    from: number,
    to: number,
  ): Promise<{
    departments: Array<RatingCount & { departmentId: number }>;
    staff: Array<RatingCount & { staffId: string; staffName: string }>;
  }>;
  /** The latest ratings of one choice in the period, newest first. */
  latest(choice: RatingChoice, from: number, to: number, limit: number): Promise<RatedTicket[]>;
  /** Which of these requests are rated bad now (the queue marks them). */
  ratedBad(ticketIds: number[]): Promise<number[]>;
}

/** A file of a form that came back with a problem, kept for that form's next submit. */
export interface PendingUpload extends StoredFile {
  id: number;
  /** What the re-shown form carries for it: random, so only its own page knows it. */
  token: string;
  /** Whose form it is: a customer's, or a staff member's. */
  userId: string;
  /** The submission key of the form it belongs to. */
  submissionKey: string;
  createdAt: number;
}

export interface PendingUploadStore {
  add(uploads: Omit<PendingUpload, 'id'>[]): Promise<void>;
  /** The user's files kept for the form with this key, oldest first. */
  forForm(userId: string, submissionKey: string): Promise<PendingUpload[]>;
  /** Deletes these rows; returns how many there were (fewer: some went meanwhile). */
  remove(ids: number[]): Promise<number>;
  /** Up to `limit` rows made before `cutoff`, oldest first. */
  madeBefore(cutoff: number, limit: number): Promise<PendingUpload[]>;
  /** Which of these storage keys a pending row points to. */
  referencedKeys(keys: string[]): Promise<Set<string>>;
}

/** The escalation steps paged for urgent requests: each (request, step) once. */
export interface EscalationPageStore {
  /** The steps (1, 2...) already paged, per request of these (a request with none is absent). */
  pagedSteps(ticketIds: number[]): Promise<Map<number, number[]>>;
  /** Records a step as paged; ConflictError 'escalationPage' when it was already. */
  record(ticketId: number, step: number, at: number): Promise<void>;
}

/** A service-level warning: before the breach (the warning share of the target), or at it. */
export type SlaWarningKind = 'warn' | 'breach';

/** Service-level warnings: which tickets have one to send now, and which were sent (one per ticket, due time and kind). */
export interface SlaWarningStore {
  /** Open tickets whose next warning time has come, soonest first. */
  due(now: number, limit: number): Promise<Ticket[]>;
  /** Whether this warning of this due time was sent already (asked under the ticket's lock). */
  sent(ticketId: number, dueAt: number, kind: SlaWarningKind): Promise<boolean>;
  /** Notes it sent, in the transaction that queues its e-mail; the unique key refuses a second (ConflictError). */
  record(ticketId: number, dueAt: number, kind: SlaWarningKind, at: number): Promise<void>;
}

/** The storage as one object, so the domain can run the same calls inside a transaction. */
export interface Store {
  departments: DepartmentStore;
  tickets: TicketStore;
  messages: MessageStore;
  outbox: OutboxStore;
  queue: QueueStore;
  events: EventStore;
  members: DepartmentStaffStore;
  canned: CannedReplyStore;
  gates: CustomerGateStore;
  ratings: RatingStore;
  pendingUploads: PendingUploadStore;
  incidents: IncidentStore;
  escalationPages: EscalationPageStore;
  slaWarnings: SlaWarningStore;
  reports: ReportStore;
  /**
   * Runs fn with a store bound to one transaction: all of it commits, or none of it. A deadlock
   * victim is run again from the start, so fn must not have effects outside the database.
   */
  transaction<T>(fn: (store: Store) => Promise<T>): Promise<T>;
  /**
   * Whether an error means the database is not there right now (down, unreachable, out of
   * connections or disk), so a change it interrupted may or may not have committed.
   */
  isUnavailable(err: unknown): boolean;
}
