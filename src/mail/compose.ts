// Builds the e-mails a ticket causes, as envelopes for the outbox: department notices, the
// customer's confirmation. Text and HTML parts come from EJS templates under views/mail; the
// HTML escapes every user field, and anything that ends up in a header is one line.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import ejs from 'ejs';
import type { Locale } from '../host';
import type { Catalog } from '../i18n';
import { formatSize } from '../i18n/format';
import type { Attachment, Department, MailEnvelope, Message, NewOutboxItem, Ticket } from '../domain/types';

export interface ComposerOptions {
  catalog: Catalog;
  viewsDir: string;
  /** Panel address + mount path: a ticket's link is `${ticketsUrl}/${number}`. */
  ticketsUrl: string;
  defaultLocale: Locale;
  attachLimitBytes: number;
  /** Domain part of generated Message-IDs. */
  messageIdDomain: string;
  confirmToCustomer: boolean;
}

/** Urgent mail is claimed before everything else that is due. */
export const URGENT_PRIORITY = 0;
export const NORMAL_PRIORITY = 1;

/** One line, no CR/LF or other control characters: safe in a header. */
export function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').replace(/\s+/g, ' ').trim();
}

export function composer(options: ComposerOptions) {
  const render = (name: string, data: object, html: boolean): string => template(options.viewsDir, name, html)(data);

  function newMessageId(ticketNumber: string): string {
    return `<sr.${ticketNumber}.${crypto.randomBytes(9).toString('hex')}@${options.messageIdDomain}>`;
  }

  function linkOf(ticket: Ticket): string {
    return `${options.ticketsUrl}/${ticket.number}`;
  }

  /** Attaches files while their total fits the limit; otherwise lists them with links. */
  function filesFor(ticket: Ticket, attachments: Attachment[]) {
    const total = attachments.reduce((sum, a) => sum + a.size, 0);
    const attach = attachments.length > 0 && total <= options.attachLimitBytes;
    return {
      attached: attach ? attachments.map((a) => ({ storageKey: a.storageKey, filename: a.originalName, contentType: a.contentType })) : [],
      listed: attach ? [] : attachments.map((a) => ({ name: a.originalName, size: a.size, url: `${linkOf(ticket)}/files/${a.id}` })),
    };
  }

  function envelope(
    template: string,
    locale: Locale,
    to: string[],
    subject: string,
    data: object,
    extra: Partial<MailEnvelope> = {},
  ): MailEnvelope {
    const t = options.catalog.translator(locale);
    const view = { ...data, t, locale, size: (bytes: number) => formatSize(bytes, locale) };
    return {
      to: [...new Set(to)],
      subject: oneLine(subject),
      text: render(`${template}.text`, view, false),
      html: render(`${template}.html`, view, true),
      headers: {},
      attachments: [],
      ...extra,
    };
  }

  function departmentMail(kind: 'new' | 'reply', ticket: Ticket, department: Department, message: Message, earlier: Message[], threadId: string | null) {
    const locale = department.mailLocale ?? options.defaultLocale;
    const t = options.catalog.translator(locale);
    const files = filesFor(ticket, message.attachments);
    const prefix = department.urgent ? `${t('mail.emergencyPrefix')} ` : '';
    const subject = `${prefix}[#${ticket.number}] ${oneLine(ticket.subject)} (${department.name[locale]})`;
    const to = department.urgent ? [...department.emails, ...department.onCall] : department.emails;
    const mail = envelope(`department-${kind}`, locale, to, subject, {
      ticket,
      department,
      message,
      earlier,
      link: linkOf(ticket),
      listed: files.listed,
      customer: { name: oneLine(ticket.customerName), email: ticket.customerEmail },
    }, {
      attachments: files.attached,
      headers: department.urgent ? { 'X-Priority': '1 (Highest)', Importance: 'high' } : {},
      ...(threadId ? { inReplyTo: threadId, references: [threadId] } : {}),
    });
    return mail;
  }

  return {
    newMessageId,

    /** The department's notice of a new ticket, and the customer's confirmation. The first is the thread's start. */
    forNewTicket(ticket: Ticket, department: Department, message: Message): { items: NewOutboxItem[]; threadMessageId: string } {
      const threadMessageId = newMessageId(ticket.number);
      const priority = department.urgent ? URGENT_PRIORITY : NORMAL_PRIORITY;
      const items: NewOutboxItem[] = [];
      const notice = departmentMail('new', ticket, department, message, [], null);
      if (notice.to.length > 0) {
        items.push({ ticketId: ticket.id, ticketNumber: ticket.number, kind: 'department-new', priority, messageId: threadMessageId, envelope: notice });
      }
      if (options.confirmToCustomer) {
        const locale = ticket.customerLocale ?? options.defaultLocale;
        const t = options.catalog.translator(locale);
        const confirmation = envelope('customer-confirmation', locale, [ticket.customerEmail], t('mail.confirmationSubject', { number: ticket.number, subject: oneLine(ticket.subject) }), {
          ticket,
          link: linkOf(ticket),
          departmentName: department.name[locale],
          customer: { name: oneLine(ticket.customerName) },
        }, { inReplyTo: threadMessageId, references: [threadMessageId] });
        items.push({ ticketId: ticket.id, ticketNumber: ticket.number, kind: 'customer-confirmation', priority, messageId: newMessageId(ticket.number), envelope: confirmation });
      }
      return { items, threadMessageId };
    },

    /** The department's notice of a customer's reply, in the ticket's thread, with earlier messages for context. */
    forCustomerReply(ticket: Ticket, department: Department, message: Message, earlier: Message[]): NewOutboxItem[] {
      const mail = departmentMail('reply', ticket, department, message, earlier, ticket.threadMessageId);
      if (mail.to.length === 0) return [];
      return [{
        ticketId: ticket.id,
        ticketNumber: ticket.number,
        kind: 'department-reply',
        priority: department.urgent ? URGENT_PRIORITY : NORMAL_PRIORITY,
        messageId: newMessageId(ticket.number),
        envelope: mail,
      }];
    },
  };
}

export type Composer = ReturnType<typeof composer>;

/** Compiled templates, once per process. Text parts are not HTML-escaped; header values never come from them. */
const compiled = new Map<string, ejs.TemplateFunction>();

function template(viewsDir: string, name: string, html: boolean): ejs.TemplateFunction {
  const file = path.join(viewsDir, 'mail', `${name}.ejs`);
  const key = `${file}|${html}`;
  let fn = compiled.get(key);
  if (!fn) {
    fn = ejs.compile(fs.readFileSync(file, 'utf8'), { filename: file, ...(html ? {} : { escape: (value: unknown) => String(value) }) });
    compiled.set(key, fn);
  }
  return fn;
}
