// A short notice to a department about one request (a bad rating, an escalation page, a
// service-level warning): in the department's language and the request's thread, answered to
// the request's department reply address, with the request's facts and link.
import type { Translate } from '../i18n';
import type { Locale } from '../host';
import type { Department, Ticket } from '../model/types';
import type { MailEnvelope, NewOutboxItem } from '../model/mail';
import { ticketFacts, type Envelopes } from './envelope';

export interface DepartmentNotice {
  /** The templates under views/mail, and the outbox kind. */
  template: string;
  kind: string;
  to: string[];
  urgent: boolean;
  subject: (t: Translate) => string;
  /** What the templates show besides the request's facts and link, in the notice's language. */
  data: (locale: Locale) => Record<string, unknown>;
  headers?: MailEnvelope['headers'];
}

export function departmentNotice(kit: Envelopes, ticket: Ticket, department: Department, notice: DepartmentNotice): NewOutboxItem[] {
  const locale = department.mailLocale ?? kit.defaultLocale;
  const envelope = kit.envelope(
    notice.template,
    locale,
    notice.to,
    notice.subject(kit.translator(locale)),
    { ticket: ticketFacts(ticket), ...notice.data(locale), link: kit.linkOf(ticket) },
    {
      ...kit.replyTo(ticket, 'department'),
      timeZone: kit.defaultTimeZone,
      ...(notice.headers ? { headers: notice.headers } : {}),
      ...(ticket.threadMessageId ? { inReplyTo: ticket.threadMessageId, references: [ticket.threadMessageId] } : {}),
    },
  );
  return kit.outboxItem(ticket, notice.kind, notice.urgent, envelope);
}
