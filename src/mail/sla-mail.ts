// A service-level warning: to the assignee, or to the department when nobody is assigned, before a
// target falls due and when it is breached.
import type { Department, Ticket } from '../model/types';
import type { NewOutboxItem } from '../model/mail';
import type { SlaWarningKind } from '../model/store';
import { oneLine, type Envelopes } from './envelope';
import { departmentNotice } from './department-notice';

export function slaMail(kit: Envelopes) {
  return {
    forSlaWarning(ticket: Ticket, department: Department, kind: SlaWarningKind, to: string[]): NewOutboxItem[] {
      if (ticket.dueAt === null || ticket.dueKind === null) return [];
      return departmentNotice(kit, ticket, department, {
        template: 'department-sla',
        kind: 'department-sla',
        to,
        urgent: kind === 'breach',
        subject: (t) => `[#${ticket.number}] ${t(`sla.mail.subject.${kind}`, { number: ticket.number })}: ${oneLine(ticket.subject)}`,
        data: () => ({ warning: kind, targetKind: ticket.dueKind, dueAt: ticket.dueAt }),
      });
    },
  };
}
