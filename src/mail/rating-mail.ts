// The department's alert of a customer's bad rating, with the comment and whom it is about.
import type { Department, Rating, Ticket } from '../model/types';
import type { NewOutboxItem } from '../model/mail';
import { oneLine, type Envelopes } from './envelope';
import { departmentNotice } from './department-notice';

export function ratingMail(kit: Envelopes) {
  return {
    forBadRating(ticket: Ticket, department: Department, rating: Rating): NewOutboxItem[] {
      return departmentNotice(kit, ticket, department, {
        template: 'department-rating',
        kind: 'department-rating',
        to: department.urgent ? [...department.emails, ...department.onCall] : department.emails,
        urgent: false,
        subject: (t) => `[#${ticket.number}] ${t('rating.mail.subject')}: ${oneLine(ticket.subject)}`,
        data: () => ({
          customer: { name: oneLine(ticket.customerName), email: ticket.customerEmail },
          comment: rating.comment,
          staffName: rating.staffName,
        }),
      });
    },
  };
}
