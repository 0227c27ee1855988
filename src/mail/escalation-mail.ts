// An escalation step's page: nobody has acknowledged an urgent request in so many minutes. Flagged
// like the department's urgent mail, in its language and the request's thread, with the
// "I'm on it" link that stops the chain.
import type { Department, Ticket } from '../model/types';
import type { NewOutboxItem } from '../model/mail';
import { oneLine, ticketFacts, type Envelopes } from './envelope';

export function escalationMail(kit: Envelopes) {
  return {
    forEscalation(ticket: Ticket, department: Department, page: { step: number; afterMinutes: number; to: string[] }): NewOutboxItem[] {
      if (page.to.length === 0) return [];
      const locale = department.mailLocale ?? kit.defaultLocale;
      const t = kit.translator(locale);
      const envelope = kit.envelope(
        'department-escalation',
        locale,
        page.to,
        `${t('mail.emergencyPrefix')} [#${ticket.number}] ${t('escalation.mail.subject', { minutes: page.afterMinutes })}: ${oneLine(ticket.subject)}`,
        {
          ticket: ticketFacts(ticket),
          customer: { name: oneLine(ticket.customerName), email: ticket.customerEmail },
          department: department.name[locale],
          minutes: page.afterMinutes,
          step: page.step,
          openedAt: ticket.createdAt,
          acknowledgeLink: kit.acknowledgeLink(ticket),
          link: kit.linkOf(ticket),
        },
        {
          ...kit.replyTo(ticket, 'department'),
          timeZone: kit.defaultTimeZone,
          headers: { 'X-Priority': '1 (Highest)', Importance: 'high' },
          ...(ticket.threadMessageId ? { inReplyTo: ticket.threadMessageId, references: [ticket.threadMessageId] } : {}),
        },
      );
      return [
        {
          ticketId: ticket.id,
          ticketNumber: ticket.number,
          kind: `escalation-${page.step}`,
          urgent: true,
          mailMessageId: kit.newMailMessageId(ticket.number),
          envelope,
        },
      ];
    },
  };
}
