// Customers rate their requests once staff have answered them: good or bad, with an optional
// comment, and may change their mind (the latest rating counts). A bad rating alerts the
// department by e-mail, queued with the rating itself; admins read the figures per department
// and per staff member.
import type { HostUser } from '../host';
import type { TicketMail } from '../model/mail';
import type { RatedTicket, Store } from '../model/store';
import { RATING_CHOICES, type Clock, type Department, type Message, type Rating, type RatingChoice, type Ticket } from '../model/types';
import { NotFoundError, ValidationError, type Problem } from '../model/errors';
import { checkText, LIMITS } from './field-rules';
import { isTicketNumber } from './ticket-number';
import { currentTicket } from './merged-tickets';
import { MAILBOX_AUTHOR } from './mail-match';

/** After an alert, a bad rating again (changed to good and back) does not e-mail the department again for this long. */
export const ALERT_PAUSE_MS = 60 * 60_000;
/** The latest bad ratings the admin's page lists. */
const LATEST_BAD = 20;

/** Whether the customer may rate it: answered or closed, and staff have answered it at least once. */
export function isRateable(ticket: Ticket, thread: Message[]): boolean {
  return (ticket.status === 'answered' || ticket.status === 'closed') && thread.some((m) => m.authorKind === 'staff' && !m.internal);
}

/**
 * Whom a rating is about: the staff member who last answered the customer, else (the answers came
 * from a department's mailbox, no one person) the assignee, else that mailbox.
 */
function ratedStaff(ticket: Ticket, thread: Message[]): { id: string; name: string } | null {
  const answers = thread.filter((m) => m.authorKind === 'staff' && !m.internal).reverse();
  const answer = answers.find((m) => !m.authorId.startsWith(MAILBOX_AUTHOR));
  if (answer) return { id: answer.authorId, name: answer.authorName };
  if (ticket.assigneeId) return { id: ticket.assigneeId, name: ticket.assigneeName ?? '' };
  return answers[0] ? { id: answers[0].authorId, name: answers[0].authorName } : null;
}

/** The rating form as typed; checked here. */
export interface RatingInput {
  rating: string;
  comment: string;
}

export interface RatingFigures {
  good: number;
  bad: number;
  /** Good of all, 0..1; null without any. */
  goodShare: number | null;
}

export interface RatingOverview {
  departments: Array<RatingFigures & { department: Department | null; departmentId: number }>;
  staff: Array<RatingFigures & { staffId: string; staffName: string }>;
  latestBad: RatedTicket[];
}

const figures = (count: { good: number; bad: number }): RatingFigures => ({
  good: count.good,
  bad: count.bad,
  goodShare: count.good + count.bad > 0 ? count.good / (count.good + count.bad) : null,
});

export interface RatingDeps {
  store: Store;
  mail: TicketMail;
  /** Called after a commit that queued e-mail, so it goes out at once. */
  mailQueued?: () => void;
  now?: Clock;
}

export function ratings(deps: RatingDeps) {
  const { store } = deps;
  const now = deps.now ?? Date.now;

  return {
    /**
     * Records the customer's rating of their request, replacing an earlier one. The same rating
     * and comment again changes nothing. A change to bad e-mails the department, unless it was
     * alerted about this request within ALERT_PAUSE_MS.
     */
    async rate(customer: HostUser, number: string, input: RatingInput): Promise<void> {
      const problems: Record<string, Problem> = {};
      const choice = input.rating as RatingChoice;
      if (!RATING_CHOICES.includes(choice)) problems.rating = { key: 'rating.errors.choice' };
      const comment = checkText(problems, 'comment', input.comment, { max: LIMITS.ratingComment, tooLong: 'rating.errors.commentTooLong' });
      // A rating link of a merged request rates the request it went into.
      const found = await currentTicket(store, isTicketNumber(number) ? await store.tickets.findForCustomer(number, customer.id) : null);
      if (!found || found.customerId !== customer.id) throw new NotFoundError('ticket');
      if (Object.keys(problems).length > 0) throw new ValidationError(problems);

      const queued = await store.transaction(async (tx) => {
        // Under the request's lock: two ratings sent at once take turns, and only one alerts.
        const ticket = await tx.tickets.lock(found.id);
        const thread = await tx.messages.thread(ticket.id, 'customer');
        if (!isRateable(ticket, thread)) throw new ValidationError({ rating: { key: 'rating.errors.notYet' } });
        const before = await tx.ratings.find(ticket.id);
        if (before && before.rating === choice && before.comment === comment) return false;

        const at = now();
        const alert =
          choice === 'bad' && before?.rating !== 'bad' && (before?.alertedAt == null || at - before.alertedAt >= ALERT_PAUSE_MS);
        const staff = ratedStaff(ticket, thread);
        const rating: Rating = {
          ticketId: ticket.id,
          departmentId: ticket.departmentId,
          rating: choice,
          comment,
          staffId: staff?.id ?? null,
          staffName: staff?.name ?? null,
          ratedAt: at,
          alertedAt: alert ? at : (before?.alertedAt ?? null),
        };
        await tx.ratings.save(rating);
        await tx.events.record([
          {
            ticketId: ticket.id,
            actorId: customer.id,
            actorName: customer.name,
            action: 'rating',
            detail: { rating: choice, from: before?.rating ?? null },
            createdAt: at,
          },
        ]);
        if (!alert) return false;
        const department = await tx.departments.find(ticket.departmentId);
        const items = department ? deps.mail.forBadRating(ticket, department, rating) : [];
        await tx.outbox.enqueue(items, at);
        return items.length > 0;
      });
      if (queued) deps.mailQueued?.();
    },

    /** The admin's figures for [from, to): per department, per staff member, and the latest bad ratings. */
    async overview(from: number, to: number): Promise<RatingOverview> {
      const [counts, latestBad, departments] = await Promise.all([
        store.ratings.counts(from, to),
        store.ratings.latest('bad', from, to, LATEST_BAD),
        store.departments.list({ activeOnly: false }),
      ]);
      const byId = new Map(departments.map((d) => [d.id, d]));
      return {
        departments: counts.departments
          .map((c) => ({ ...figures(c), departmentId: c.departmentId, department: byId.get(c.departmentId) ?? null }))
          .sort((a, b) => (a.department?.order ?? Infinity) - (b.department?.order ?? Infinity) || a.departmentId - b.departmentId),
        staff: counts.staff
          .map((c) => ({ ...figures(c), staffId: c.staffId, staffName: c.staffName }))
          .sort((a, b) => a.staffName.localeCompare(b.staffName) || a.staffId.localeCompare(b.staffId)),
        latestBad,
      };
    },
  };
}

export type Ratings = ReturnType<typeof ratings>;
