// One ticket as staff read it: the thread with internal notes, the audit trail, the linked service
// as the host knows it now, and what the page's forms offer; its files, and the original e-mails
// of messages that came by mail. All only in reach.
import type { HostService, HostUser } from '../host';
import type { MailOriginals } from '../model/inbound';
import type { Store } from '../model/store';
import type { Attachment, CannedReply, Department, Message, Rating, Ticket, TicketEvent } from '../model/types';
import { NotFoundError } from '../model/errors';
import type { StaffAccess } from './staff-access';
import type { Colleague, ColleaguesOf } from './colleagues';
import { forCustomer } from './canned-text';

export interface StaffTicketView {
  ticket: Ticket;
  department: Department | null;
  departments: Department[];
  messages: Message[];
  events: TicketEvent[];
  /** The linked service as the host knows it now; `missing` when it no longer exists. */
  service: HostService | 'missing' | null;
  /** The newest message id: what a reply form is written against. */
  lastMessageId: number;
  /** The ticket's department's canned replies, the customer's language first: the only ones its reply form may take. */
  canned: CannedReply[];
  /** The ticket's department's staff (the panel's and the plugin's list): whom it can be assigned to. */
  members: Colleague[];
  /** Ids of the messages that came by e-mail: each has its original to read. */
  emailed: Set<number>;
  /** The customer's rating of the request, if they rated it. */
  rating: Rating | null;
}

export function staffTicketView(
  store: Store,
  servicesOf: (customerId: string) => Promise<HostService[]>,
  originals: MailOriginals,
  access: StaffAccess,
  colleagues: ColleaguesOf,
) {
  return {
    async view(user: HostUser, number: string): Promise<StaffTicketView> {
      const ticket = await access.reachable(user, number);
      // Someone of the receiving department has opened it now (an admin looking in is not them).
      if (ticket.transferUnseen && user.role !== 'admin') await store.tickets.update(ticket.id, { transferUnseen: false });
      const [department, departments, messages, events, canned, services, rating] = await Promise.all([
        store.departments.find(ticket.departmentId),
        store.departments.list({ activeOnly: false }),
        store.messages.thread(ticket.id, 'staff'),
        store.events.forTicket(ticket.id),
        store.canned.list(ticket.departmentId),
        ticket.serviceId ? servicesOf(ticket.customerId) : Promise.resolve([]),
        store.ratings.find(ticket.id),
      ]);
      const members = department ? await colleagues(department) : [];
      const service = ticket.serviceId ? (services.find((s) => s.id === ticket.serviceId) ?? 'missing') : null;
      const lastMessageId = messages.reduce((max, m) => Math.max(max, m.id), 0);
      const emailed = new Set((await originals.of(messages.map((m) => m.id))).keys());
      return {
        ticket,
        department,
        departments,
        messages,
        events,
        service,
        lastMessageId,
        canned: forCustomer(canned, ticket.customerLocale),
        members,
        emailed,
        rating,
      };
    },

    async attachment(user: HostUser, number: string, attachmentId: number): Promise<Attachment> {
      const ticket = await access.reachable(user, number);
      const attachment = await store.messages.findAttachment(ticket.id, attachmentId, 'staff');
      if (!attachment) throw new NotFoundError('attachment');
      return attachment;
    },

    /** The original e-mail a message of this ticket came as, byte for byte. */
    async original(user: HostUser, number: string, messageId: number): Promise<Buffer> {
      const ticket = await access.reachable(user, number);
      const mail = (await originals.of([messageId])).get(messageId);
      // A message of another ticket is as unknown as a message that never was. Asked of the thread,
      // not of the e-mail's record: a merge moves messages, and their originals go with them.
      const inThread = async () => (await store.messages.thread(ticket.id, 'staff')).some((m) => m.id === messageId);
      if (!mail || !(mail.ticketId === ticket.id || (await inThread()))) throw new NotFoundError('original e-mail');
      const raw = await originals.read(mail);
      if (!raw) throw new NotFoundError('original e-mail file');
      return raw;
    },
  };
}
