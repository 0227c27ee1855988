// Builds the e-mails a ticket causes, as envelopes for the outbox: the model's TicketMail, made of
// department mail and customer mail.
import type { TicketMail } from '../model/mail';
import { customerMail } from './customer-mail';
import { departmentMail } from './department-mail';
import { ratingMail } from './rating-mail';
import { escalationMail } from './escalation-mail';
import { envelopes, type EnvelopeOptions } from './envelope';
import { slaMail } from './sla-mail';

export interface ComposerOptions extends EnvelopeOptions {
  confirmToCustomer: boolean;
}

export function composer(options: ComposerOptions): TicketMail {
  const kit = envelopes(options);
  const department = departmentMail(kit);
  const customer = customerMail(kit);

  return {
    newThreadMessageId: kit.newMailMessageId,

    /** The department's notice of a new ticket, and the customer's confirmation. The first is the thread's start. */
    forNewTicket(ticket, dept, message, how) {
      const threadMessageId = ticket.threadMessageId ?? kit.newMailMessageId(ticket.number);
      const items = department.forNewTicket(ticket, dept, message, threadMessageId);
      if (options.confirmToCustomer) items.push(...customer.forNewTicket(ticket, dept, threadMessageId, how?.openedByMail === true));
      return items;
    },
    forCustomerReply: department.forCustomerReply,
    forTransfer: department.forTransfer,
    forAutoClose: customer.forAutoClose,
    forStaffClose: customer.forStaffClose,
    forStaffReply: customer.forStaffReply,
    forMerge: customer.forMerge,
    forBadRating: ratingMail(kit).forBadRating,
    forEscalation: escalationMail(kit).forEscalation,
    forSlaWarning: slaMail(kit).forSlaWarning,
  };
}
