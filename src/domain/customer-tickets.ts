// What a customer can do with their tickets. Every call takes the signed-in customer and only
// ever reaches that customer's tickets; anything else is NotFound, as if it did not exist.
import type { HostService, HostUser, Locale } from '../host';
import type { TicketMail } from '../model/mail';
import type { CustomerListFilter, NewTicket, NewTicketEvent, Store } from '../model/store';
import type { Attachment, Clock, Department, Message, Page, Rating, StoredFile, Ticket } from '../model/types';
import { ConflictError, NotFoundError, ValidationError } from '../model/errors';
import { checkNewTicket, refuseBadMessage, type NewTicketInput, type UploadRules } from './ticket-rules';
import { isTicketNumber, randomTicketNumber } from './ticket-number';
import { isRateable } from './ratings';
import { DuplicateSubmission, keepingFilesOnlyOnSuccess, oncePerSubmission, underTicketLock } from './submissions';
import { knownTimeZone } from '../model/time-zone';
import { pendingUploads, type PendingChoice } from './pending-uploads';
import { currentTicket } from './merged-tickets';
import { linkToOpenIncidents } from './incidents';
import { changeTicket, dueFields, responsePromise } from './due';
import type { Promised } from '../model/regulation';

export interface CustomerTicketDeps {
  store: Store;
  servicesOf(customerId: string): Promise<HostService[]>;
  /** Removes stored upload files; called whenever the files will not be kept. */
  discardFiles(keys: string[]): Promise<void>;
  uploads: UploadRules;
  /** Requests one customer may open in any hour; 0 = no limit. */
  newTicketsPerHour: number;
  /** Builds the e-mails each change causes; they are queued in the change's own transaction. */
  mail: TicketMail;
  /** Called after a commit that queued e-mail, so it goes out at once. */
  mailQueued?: () => void;
  now?: Clock;
}

/**
 * A line between the messages that says what happened to the request, as the customer sees it:
 * a move to another department (where and when, never why), a request merged into this one, a
 * request closed as a duplicate of another (from and to are request numbers).
 */
export type SystemLine =
  | { kind: 'transfer'; createdAt: number; to: Department['name'] }
  | { kind: 'merge' | 'duplicate'; createdAt: number; from: string; to: string };

export interface TicketView {
  ticket: Ticket;
  department: Department | null;
  /** The answer the customer is promised, while staff owe one and are not late yet. */
  promise: Promised | null;
  messages: Message[];
  /** Oldest first, like the messages; the view puts them in the thread by time. */
  systemLines: SystemLine[];
  /** The customer's rating of it, if they rated it, and whether they may rate it now. */
  rating: Rating | null;
  rateable: boolean;
}

const CUSTOMER_PAGE_SIZE = 20;
/** The menu badge counts this far, as the staff badge does; a host shows it as "99+" or the like. */
const BADGE_CAP = 100;

/** An audit-trail entry of what the customer did to their ticket, for staff History. */
function customerEntry(customer: HostUser, ticket: Ticket, action: 'customerClose' | 'customerReopen', at: number): NewTicketEvent {
  return { ticketId: ticket.id, actorId: customer.id, actorName: customer.name, action, detail: { from: ticket.status }, createdAt: at };
}

/**
 * Runs a create again while the random ticket number it drew was taken. Of 90 million numbers a
 * collision is rare, so trying the insert is cheaper than looking the number up every time.
 */
async function withFreshNumber<T>(create: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await create();
    } catch (err) {
      if (attempt >= 5 || !(err instanceof ConflictError) || err.rule !== 'ticketNumber') throw err;
    }
  }
}

export function customerTickets(deps: CustomerTicketDeps) {
  const { store } = deps;
  const now = deps.now ?? Date.now;
  const pending = pendingUploads(deps);

  async function ownTicket(customer: HostUser, number: string): Promise<Ticket> {
    // A merged request's number leads to the one it went into, of the same customer.
    const ticket = await currentTicket(store, isTicketNumber(number) ? await store.tickets.findForCustomer(number, customer.id) : null);
    if (!ticket || ticket.customerId !== customer.id) throw new NotFoundError('ticket');
    return ticket;
  }

  /**
   * Refuses a request beyond the hourly limit; what was typed comes back with the reason. Runs
   * inside the creating transaction while it holds the customer's gate, so concurrent requests
   * of one customer are counted one after another and the limit holds exactly.
   */
  async function checkOpeningRate(tx: Store, customer: HostUser, at: number): Promise<void> {
    const max = deps.newTicketsPerHour;
    if (max > 0 && (await tx.tickets.countOpenedSince(customer.id, at - 3_600_000)) >= max) {
      throw new ValidationError({ form: { key: 'errors.tooManyNew', params: { max } } });
    }
  }

  /** What the create form offers: only active departments and only this customer's services. */
  async function formChoices(customer: HostUser): Promise<{ departments: Department[]; services: HostService[] }> {
    const [departments, services] = await Promise.all([store.departments.list({ activeOnly: true }), deps.servicesOf(customer.id)]);
    return { departments, services };
  }

  return {
    list(customer: HostUser, filter: CustomerListFilter, cursor: string | null): Promise<Page<Ticket>> {
      return store.tickets.listForCustomer(customer.id, filter, cursor, CUSTOMER_PAGE_SIZE);
    },

    /** Requests with a staff answer the customer has not seen yet, for the menu badge; BADGE_CAP means "that many or more". */
    unseenAnswers(customer: HostUser): Promise<number> {
      return store.tickets.countUnseenAnswers(customer.id, BADGE_CAP);
    },

    formChoices,

    /** The files a create form kept from its earlier tries, to show with it. */
    pendingFiles: pending.list,

    /** Removes up to `limit` files of forms abandoned before `cutoff` (a job's step); returns how many. */
    sweepPendingBefore: pending.sweepBefore,

    /** Every department, inactive ones too: old tickets keep showing where they were filed. */
    allDepartments(): Promise<Department[]> {
      return store.departments.list({ activeOnly: false });
    },

    /**
     * Creates the ticket, its first message and its attachments in one transaction. The form's
     * submission key makes a double click one ticket, and tells whether a create whose COMMIT
     * went unanswered was made. A form (`kept` given) keeps its files when it is refused: they
     * wait as pending uploads and go with its next submit, as the customer chose.
     */
    async create(
      customer: HostUser,
      input: NewTicketInput,
      newFiles: StoredFile[],
      locale: Locale,
      submissionKey: string,
      kept?: PendingChoice,
    ): Promise<Ticket> {
      const form = await pending.forSubmit(customer, submissionKey, newFiles, kept);
      const { files } = form;
      const ticket = await oncePerSubmission(store, {
        files: newFiles,
        discard: deps.discardFiles,
        ...form.refusal,
        // Under the customer's gate: a create whose connection died still holds it until the
        // server has committed or rolled it back, so the answer is final.
        made: () =>
          store.transaction(async (tx) =>
            (await tx.gates.hold(customer.id, now())) ? tx.tickets.findBySubmission(customer.id, submissionKey) : null,
          ),
        change: async () => {
          const { departments, services } = await formChoices(customer);
          const problems = checkNewTicket(input, files, { services, departments, uploads: deps.uploads });
          if (Object.keys(problems).length > 0) throw new ValidationError(problems);

          const department = departments.find((d) => String(d.id) === input.departmentId) as Department;
          const service = services.find((s) => s.id === input.serviceId) ?? null;
          const at = now();
          const fields: Omit<NewTicket, 'number' | 'threadMessageId'> = {
            customerId: customer.id,
            customerName: customer.name,
            customerEmail: customer.email,
            customerLocale: locale,
            customerTimeZone: knownTimeZone(customer.timeZone) ?? null,
            serviceId: service?.id ?? null,
            serviceLabel: service?.label ?? null,
            departmentId: department.id,
            subject: input.subject.trim(),
            status: 'new',
            priority: department.urgent ? 'urgent' : 'normal',
            createdAt: at,
            updatedAt: at,
            lastReplyAt: null,
            closedAt: null,
            assigneeId: null,
            assigneeName: null,
            serviceKind: service?.kind ?? null,
            lastCustomerAt: at,
            // The customer's own words: nothing to see yet.
            customerSeenAt: at,
          };
          // null when the customer has no gate row yet (their first request): made once, then tried again.
          const createUnderGate = () =>
            store.transaction(async (tx) => {
              if (!(await tx.gates.hold(customer.id, at))) return null;
              // A second copy of this form is not looked for here: its insert breaks the unique
              // (customer, submission key) index, and oncePerSubmission answers with the first.
              await checkOpeningRate(tx, customer, at);
              // The number is not looked up first: its unique index refuses a taken one (see below).
              // The thread's Message-ID is made now, so the ticket is stored with it in one statement.
              const number = randomTicketNumber();
              const ticket: Ticket = {
                id: 0,
                number,
                threadMessageId: deps.mail.newThreadMessageId(number),
                ...fields,
                transferUnseen: false,
                mergedIntoId: null,
                acknowledgedAt: null,
                acknowledgedById: null,
                acknowledgedByName: null,
                // Stored with the ticket in its one insert.
                ...dueFields(null, fields, department, at),
              };
              ticket.id = await tx.tickets.insert({ ...ticket, submissionKey });
              const first = {
                ticketId: ticket.id,
                authorKind: 'customer' as const,
                authorId: customer.id,
                authorName: customer.name,
                body: input.message,
                createdAt: at,
              };
              const messageId = await tx.messages.insert(first);
              await form.settle(tx);
              const attachments = await tx.messages.attach(ticket.id, messageId, files, at);
              await linkToOpenIncidents(tx, ticket, at);
              await tx.outbox.enqueue(
                deps.mail.forNewTicket(
                  ticket,
                  department,
                  { id: messageId, ...first, internal: false, attachments },
                  {
                    openedByMail: input.openedByMail === true,
                  },
                ),
                at,
              );
              return ticket;
            });
          let created = await withFreshNumber(createUnderGate);
          if (!created) {
            await store.gates.ensure(customer.id, at);
            created = await withFreshNumber(createUnderGate);
            if (!created) throw new Error('support-requests: customer gate row missing');
          }
          deps.mailQueued?.();
          return created;
        },
      });
      await form.finish();
      return ticket;
    },

    /** The request's page; showing it to the customer counts as seeing its answers so far. */
    async view(customer: HostUser, number: string): Promise<TicketView> {
      const ticket = await ownTicket(customer, number);
      const [department, messages, events, departments, rating] = await Promise.all([
        store.departments.find(ticket.departmentId),
        store.messages.thread(ticket.id, 'customer'),
        store.events.forTicket(ticket.id),
        store.departments.list({ activeOnly: false }),
        store.ratings.find(ticket.id),
        // One UPDATE only while an answer is unseen; an answer newer than the ticket read here stays unseen.
        ticket.customerSeenAt === null ? store.tickets.markSeen(ticket.id, now(), ticket.lastReplyAt) : null,
      ]);
      const names = new Map(departments.map((d) => [d.code, d.name]));
      const systemLines = events.flatMap((e): SystemLine[] => {
        const { from, to } = e.detail;
        if ((e.action === 'merge' || e.action === 'duplicate') && from && to) return [{ kind: e.action, createdAt: e.createdAt, from, to }];
        // Only the target department is taken from the audit entry: its reason is internal.
        const department = e.action === 'department' && to ? names.get(to) : undefined;
        return department ? [{ kind: 'transfer', createdAt: e.createdAt, to: department }] : [];
      });
      const promise = department ? responsePromise(ticket, department, now()) : null;
      return { ticket, department, messages, systemLines, rating, rateable: isRateable(ticket, messages), promise };
    },

    /**
     * Adds the customer's message; a closed ticket is reopened by it. The submission key makes a
     * double click one message. A form (`kept` given) keeps its files when it is refused, as the
     * create form does: they wait as pending uploads and go with its next submit.
     */
    async reply(
      customer: HostUser,
      number: string,
      body: string,
      newFiles: StoredFile[],
      submissionKey: string,
      kept?: PendingChoice,
    ): Promise<number> {
      // Not the customer's ticket: nothing will keep the files.
      const ticket = await keepingFilesOnlyOnSuccess(deps.discardFiles, newFiles, () => ownTicket(customer, number));
      const form = await pending.forSubmit(customer, submissionKey, newFiles, kept);
      const { files } = form;
      const messageId = await oncePerSubmission(store, {
        files: newFiles,
        discard: deps.discardFiles,
        ...form.refusal,
        made: () => underTicketLock(store, ticket.id, (tx) => tx.messages.findBySubmission(ticket.id, submissionKey)),
        change: async () => {
          refuseBadMessage(body, files, deps.uploads);
          const at = now();
          const messageId = await store.transaction(async (tx) => {
            // The status as it is now, under the lock: staff may have closed or reopened it meanwhile.
            const current = await tx.tickets.lock(ticket.id);
            if (await tx.messages.findBySubmission(ticket.id, submissionKey)) throw new DuplicateSubmission();
            await form.settle(tx);
            const earlier = await tx.messages.thread(ticket.id, 'customer');
            const reply = {
              ticketId: ticket.id,
              authorKind: 'customer' as const,
              authorId: customer.id,
              authorName: customer.name,
              body,
              createdAt: at,
            };
            const id = await tx.messages.insert({ ...reply, submissionKey });
            const attachments = await tx.messages.attach(ticket.id, id, files, at);
            // Still unanswered stays "new"; otherwise the ball is in the staff's court again.
            const department = await tx.departments.find(current.departmentId);
            await changeTicket(
              tx,
              current,
              {
                status: current.status === 'new' ? 'new' : 'waiting',
                updatedAt: at,
                closedAt: null,
                lastCustomerAt: at,
                // Writing in the request, the customer has seen what it says (by e-mail too).
                ...(current.customerSeenAt === null ? { customerSeenAt: at } : {}),
              },
              at,
              department,
            );
            if (current.status === 'closed') await tx.events.record([customerEntry(customer, current, 'customerReopen', at)]);
            if (department) {
              const items = deps.mail.forCustomerReply(
                ticket,
                department,
                { id, ...reply, internal: false, attachments },
                earlier.reverse(),
              );
              await tx.outbox.enqueue(items, at);
              // A ticket without mail so far starts its thread here.
              if (!ticket.threadMessageId && items[0]) await tx.tickets.update(ticket.id, { threadMessageId: items[0].mailMessageId });
            }
            return id;
          });
          deps.mailQueued?.();
          return messageId;
        },
      });
      await form.finish();
      return messageId;
    },

    /** Closes the customer's ticket, in staff History as the customer's doing; a closed one stays as it is. */
    async close(customer: HostUser, number: string): Promise<void> {
      const found = await ownTicket(customer, number);
      await store.transaction(async (tx) => {
        const ticket = await tx.tickets.lock(found.id);
        if (ticket.status === 'closed') return;
        const at = now();
        await changeTicket(tx, ticket, { status: 'closed', closedAt: at, updatedAt: at }, at);
        await tx.events.record([customerEntry(customer, ticket, 'customerClose', at)]);
      });
    },

    async attachment(customer: HostUser, number: string, attachmentId: number): Promise<Attachment> {
      const ticket = await ownTicket(customer, number);
      const attachment = await store.messages.findAttachment(ticket.id, attachmentId, 'customer');
      if (!attachment) throw new NotFoundError('attachment');
      return attachment;
    },
  };
}

export type CustomerTickets = ReturnType<typeof customerTickets>;
