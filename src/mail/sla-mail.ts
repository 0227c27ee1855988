// A service-level warning: to the assignee, or to the department when nobody is assigned, in the
// department's language and the request's thread, before a target falls due and when it is breached.
import type { Department, Ticket } from '../model/types';
import type { NewOutboxItem } from '../model/mail';
import type { SlaWarningKind } from '../model/store';
import { oneLine, ticketFacts, type Envelopes } from './envelope';

export function slaMail(kit: Envelopes) {
  return {
    forSlaWarning(ticket: Ticket, department: Department, kind: SlaWarningKind, to: string[]): NewOutboxItem[] {
      if (to.length === 0 || ticket.dueAt === null || ticket.dueKind === null) return [];
      const locale = department.mailLocale ?? kit.defaultLocale;
      const t = kit.translator(locale);
      const envelope = kit.envelope(
        'department-sla',
        locale,
        to,
        `[#${ticket.number}] ${t(`sla.mail.subject.${kind}`, { number: ticket.number })}: ${oneLine(ticket.subject)}`,
        {
          ticket: ticketFacts(ticket),
          warning: kind,
          targetKind: ticket.dueKind,
          dueAt: ticket.dueAt,
          link: kit.linkOf(ticket),
        },
        {
          timeZone: kit.defaultTimeZone,
          ...kit.replyTo(ticket, 'department'),
          ...(ticket.threadMessageId ? { inReplyTo: ticket.threadMessageId, references: [ticket.threadMessageId] } : {}),
        },
      );
      return [
        {
          ticketId: ticket.id,
          ticketNumber: ticket.number,
          kind: 'department-sla',
          urgent: kind === 'breach',
          mailMessageId: kit.newMailMessageId(ticket.number),
          envelope,
        },
      ];
    },
  };
}
