// An escalation step's page: nobody has acknowledged an urgent request in so many minutes. Flagged
// like the department's urgent mail, with the "I'm on it" link that stops the chain.
import type { Department, Ticket } from '../model/types';
import type { NewOutboxItem } from '../model/mail';
import { oneLine, type Envelopes } from './envelope';
import { departmentNotice } from './department-notice';

export function escalationMail(kit: Envelopes) {
  return {
    forEscalation(ticket: Ticket, department: Department, page: { step: number; afterMinutes: number; to: string[] }): NewOutboxItem[] {
      return departmentNotice(kit, ticket, department, {
        template: 'department-escalation',
        kind: `escalation-${page.step}`,
        to: page.to,
        urgent: true,
        subject: (t) =>
          `${t('mail.emergencyPrefix')} [#${ticket.number}] ${t('escalation.mail.subject', { minutes: page.afterMinutes })}: ${oneLine(ticket.subject)}`,
        data: (locale) => ({
          customer: { name: oneLine(ticket.customerName), email: ticket.customerEmail },
          department: department.name[locale],
          minutes: page.afterMinutes,
          step: page.step,
          openedAt: ticket.createdAt,
          acknowledgeLink: kit.acknowledgeLink(ticket),
        }),
        headers: { 'X-Priority': '1 (Highest)', Importance: 'high' },
      });
    },
  };
}
