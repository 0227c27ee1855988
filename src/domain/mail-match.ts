// Which request a message answers, and who its sender is there: the intake's matching rules
// (mail-intake.ts). A request is named by a signed reply address, a signed Message-ID in
// In-Reply-To / References, or a "[#N]" subject tag (weakest: the intake asks more of it); a
// sender is the request's customer or staff of its department, or nobody it knows.
import type { HostUser, Locale } from '../host';
import type { IntakeOptions, ParsedMail, ReplyAddresses } from '../model/inbound';
import type { Store } from '../model/store';
import type { Ticket } from '../model/types';
import { isTicketNumber } from './ticket-number';
import { currentTicket } from './merged-tickets';

/** How the id of a department's own mailbox starts when it answers by e-mail: an author who is no one person. */
export const MAILBOX_AUTHOR = 'mail:';

const SUBJECT_TAG = /\[#([1-9]\d{7})\]/;

export interface MailMatchDeps {
  store: Store;
  addresses: ReplyAddresses;
  findUserByEmail?: (email: string) => Promise<HostUser | null>;
  /** The department of mail to the plain support address; null holds such mail. */
  defaultDepartment: string | null;
  /** Mailboxes that open requests in a department, by mailbox name. */
  mailboxDepartments: Map<string, string>;
  /** The language a department's name is written in when it answers by e-mail. */
  defaultLocale: Locale;
}

export type Author = { kind: 'customer'; user: HostUser } | { kind: 'staff'; user: HostUser };

/** How a request was named: `audience` is whose e-mail the reply address was in (null when no reply address named it). */
export type Match =
  | { ticket: Ticket; by: 'token' | 'thread' | 'subject'; audience: 'customer' | 'department' | null }
  | { ticket: null; by: null; audience: null; forged: boolean };

export function mailMatch(deps: MailMatchDeps) {
  const { store, addresses } = deps;
  // The old number of a merged request names the request it went into.
  const byNumber = async (number: string) => currentTicket(store, await store.tickets.findByNumber(number));

  async function findRequest(mail: ParsedMail): Promise<Match> {
    let forged = false;
    for (const recipient of mail.recipients) {
      const meaning = addresses.read(recipient);
      if (meaning.kind === 'forged') forged = true;
      if (meaning.kind !== 'ticket') continue;
      const ticket = await byNumber(meaning.ticketNumber);
      if (ticket) return { ticket, by: 'token', audience: meaning.audience };
    }
    // A reply address of ours with a wrong signature was made up or tampered with: nothing else
    // about the message is taken on trust either.
    if (forged) return { ticket: null, by: null, audience: null, forged };
    // Newest first: a reply's In-Reply-To names the e-mail it answers.
    for (const id of [...mail.inReplyTo, ...[...mail.references].reverse()]) {
      const number = addresses.ticketOfMessageId(id);
      const ticket = number ? await byNumber(number) : null;
      if (ticket) return { ticket, by: 'thread', audience: null };
    }
    const tagged = SUBJECT_TAG.exec(mail.subject)?.[1];
    const ticket = tagged && isTicketNumber(tagged) ? await byNumber(tagged) : null;
    return ticket ? { ticket, by: 'subject', audience: null } : { ticket: null, by: null, audience: null, forged };
  }

  /** Who the sender is on this request: its customer, or staff of its department; null for anyone else. */
  async function authorOf(ticket: Ticket, from: { address: string; name: string }): Promise<Author | null> {
    const address = from.address;
    if (ticket.customerEmail.toLowerCase() === address) {
      return { kind: 'customer', user: { id: ticket.customerId, role: 'client', name: ticket.customerName, email: address } };
    }
    const department = await store.departments.find(ticket.departmentId);
    if (department && [...department.emails, ...department.onCall].some((a) => a.toLowerCase() === address)) {
      // The department's own mailbox answering: written in the department's name.
      const name = from.name || department.name[department.mailLocale ?? deps.defaultLocale];
      return {
        kind: 'staff',
        user: { id: `${MAILBOX_AUTHOR}${address}`, role: 'staff', name, email: address, departments: [department.code] },
      };
    }
    const member = (await store.members.list(ticket.departmentId)).find((m) => m.email.toLowerCase() === address);
    if (member) return { kind: 'staff', user: { id: member.userId, role: 'staff', name: member.name, email: address } };
    const user = deps.findUserByEmail ? await deps.findUserByEmail(address) : null;
    if (user?.role === 'client' && user.id === ticket.customerId) return { kind: 'customer', user };
    if (user && user.role !== 'client') return { kind: 'staff', user };
    return null;
  }

  /** The department a message to a support address opens a request in; undefined when it is not to one. */
  function intakeDepartment(mail: ParsedMail, options: IntakeOptions): string | null | undefined {
    let toSupport = false;
    for (const recipient of mail.recipients) {
      const meaning = addresses.read(recipient);
      if (meaning.kind === 'intake') return meaning.departmentCode;
      if (meaning.kind === 'support') toSupport = true;
    }
    const byMailbox = options.mailbox ? deps.mailboxDepartments.get(options.mailbox) : undefined;
    if (byMailbox) return byMailbox;
    if (toSupport || options.mailbox) return deps.defaultDepartment;
    return undefined;
  }

  return { findRequest, authorOf, intakeDepartment };
}
