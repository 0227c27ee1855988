// The department's alert of a customer's bad rating: in the department's language and the
// request's thread, with the comment, whom it is about and the link to the request.
import type { Department, Rating, Ticket } from '../model/types';
import type { NewOutboxItem } from '../model/mail';
import { oneLine, ticketFacts, type Envelopes } from './envelope';

export function ratingMail(kit: Envelopes) {
  return {
    forBadRating(ticket: Ticket, department: Department, rating: Rating): NewOutboxItem[] {
      const locale = department.mailLocale ?? kit.defaultLocale;
      const t = kit.translator(locale);
      const to = department.urgent ? [...department.emails, ...department.onCall] : department.emails;
      if (to.length === 0) return [];
      const envelope = kit.envelope(
        'department-rating',
        locale,
        to,
        `[#${ticket.number}] ${t('rating.mail.subject')}: ${oneLine(ticket.subject)}`,
        {
          ticket: ticketFacts(ticket),
          customer: { name: oneLine(ticket.customerName), email: ticket.customerEmail },
          comment: rating.comment,
          staffName: rating.staffName,
          link: kit.linkOf(ticket),
        },
        {
          ...kit.replyTo(ticket, 'department'),
          ...(ticket.threadMessageId ? { inReplyTo: ticket.threadMessageId, references: [ticket.threadMessageId] } : {}),
        },
      );
      return [
        {
          ticketId: ticket.id,
          ticketNumber: ticket.number,
          kind: 'department-rating',
          urgent: false,
          mailMessageId: kit.newMailMessageId(ticket.number),
          envelope,
        },
      ];
    },
  };
}
