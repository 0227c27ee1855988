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
import type { Attachment, Department, Message, Ticket } from '../model/types';
import type { MailEnvelope, NewOutboxItem } from '../model/mail';

export interface ComposerOptions {
  catalog: Catalog;
  viewsDir: string;
  /** Panel address + mount path: a ticket's link is `${ticketsUrl}/${number}`. */
  ticketsUrl: string;
  defaultLocale: Locale;
  attachLimitBytes: number;
  /** Domain part of generated Message-IDs. */
  mailMessageIdDomain: string;
  confirmToCustomer: boolean;
}

/** One line, no CR/LF or other control characters: safe in a header. */
export function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').replace(/\s+/g, ' ').trim();
}

export function composer(options: ComposerOptions) {
  const render = (name: string, data: object, html: boolean): string => template(options.viewsDir, name, html)(data);

  function newMailMessageId(ticketNumber: string): string {
    return `<sr.${ticketNumber}.${crypto.randomBytes(9).toString('hex')}@${options.mailMessageIdDomain}>`;
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
      locale,
      ...extra,
    };
  }

  type DepartmentMailKind = { kind: 'new' } | { kind: 'reply' } | { kind: 'transfer'; from: Department; reason: string };

  function departmentMail(why: DepartmentMailKind, ticket: Ticket, department: Department, message: Message, earlier: Message[], threadId: string | null) {
    const locale = department.mailLocale ?? options.defaultLocale;
    const t = options.catalog.translator(locale);
    // A transfer is the new department's first sight of the ticket: every file so far, not only the latest message's.
    const files = filesFor(ticket, why.kind === 'transfer' ? [...earlier, message].flatMap((m) => m.attachments) : message.attachments);
    const prefix = department.urgent ? `${t('mail.emergencyPrefix')} ` : '';
    const subject = `${prefix}[#${ticket.number}] ${oneLine(ticket.subject)} (${department.name[locale]})`;
    const to = department.urgent ? [...department.emails, ...department.onCall] : department.emails;
    const headline =
      why.kind === 'new'
        ? t('mail.newTicket', { department: department.name[locale] })
        : why.kind === 'reply'
          ? t('mail.customerReply', { number: ticket.number })
          : t('mail.transferred', { number: ticket.number, from: why.from.name[locale] });
    return envelope('department', locale, to, subject, {
      headline,
      reason: why.kind === 'transfer' ? why.reason : '',
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
  }

  function departmentItem(kind: string, ticket: Ticket, department: Department, envelope: MailEnvelope, mailMessageId: string): NewOutboxItem[] {
    if (envelope.to.length === 0) return [];
    return [{ ticketId: ticket.id, ticketNumber: ticket.number, kind, urgent: department.urgent, mailMessageId, envelope }];
  }

  return {
    newMailMessageId,

    /**
     * The envelope with a note at the top, in its recipient's language, naming files that were
     * gone from storage when it was sent (so they are not attached).
     */
    noteMissingFiles(mail: MailEnvelope, names: string[]): MailEnvelope {
      const locale = mail.locale ?? options.defaultLocale;
      const view = { t: options.catalog.translator(locale), names };
      const html = render('partials/missing-files.html', view, true);
      // After <body>, so mail clients show it first; the html part is ours, with one body tag.
      const bodyTag = /<body[^>]*>/i.exec(mail.html);
      const at = bodyTag ? bodyTag.index + bodyTag[0].length : 0;
      return {
        ...mail,
        text: `${render('partials/missing-files.text', view, false)}\n${mail.text}`,
        html: `${mail.html.slice(0, at)}\n${html}${mail.html.slice(at)}`,
      };
    },

    /** The department's notice of a new ticket, and the customer's confirmation. The first is the thread's start. */
    forNewTicket(ticket: Ticket, department: Department, message: Message): { items: NewOutboxItem[]; threadMessageId: string } {
      const threadMessageId = newMailMessageId(ticket.number);
      const notice = departmentMail({ kind: 'new' }, ticket, department, message, [], null);
      const items = departmentItem('department-new', ticket, department, notice, threadMessageId);
      if (options.confirmToCustomer) {
        const locale = ticket.customerLocale ?? options.defaultLocale;
        const t = options.catalog.translator(locale);
        const confirmation = envelope('customer-confirmation', locale, [ticket.customerEmail], t('mail.confirmationSubject', { number: ticket.number, subject: oneLine(ticket.subject) }), {
          ticket,
          link: linkOf(ticket),
          departmentName: department.name[locale],
          customer: { name: oneLine(ticket.customerName) },
        }, { inReplyTo: threadMessageId, references: [threadMessageId] });
        items.push({ ticketId: ticket.id, ticketNumber: ticket.number, kind: 'customer-confirmation', urgent: department.urgent, mailMessageId: newMailMessageId(ticket.number), envelope: confirmation });
      }
      return { items, threadMessageId };
    },

    /** The department's notice of a customer's reply, in the ticket's thread, with earlier messages for context. */
    forCustomerReply(ticket: Ticket, department: Department, message: Message, earlier: Message[]): NewOutboxItem[] {
      const mail = departmentMail({ kind: 'reply' }, ticket, department, message, earlier, ticket.threadMessageId);
      return departmentItem('department-reply', ticket, department, mail, newMailMessageId(ticket.number));
    },

    /** The new department's notice of a transferred ticket: like an arrival, with the reason and the thread so far. */
    forTransfer(ticket: Ticket, from: Department, to: Department, reason: string, thread: Message[]): NewOutboxItem[] {
      const [latest, ...before] = [...thread].reverse();
      if (!latest) return [];
      const mail = departmentMail({ kind: 'transfer', from, reason }, ticket, to, latest, before, ticket.threadMessageId);
      return departmentItem('department-transfer', ticket, to, mail, newMailMessageId(ticket.number));
    },

    /** Tells the customer their answered request was closed after days of silence. */
    forAutoClose(ticket: Ticket, days: number): NewOutboxItem[] {
      const locale = ticket.customerLocale ?? options.defaultLocale;
      const t = options.catalog.translator(locale);
      const thread = ticket.threadMessageId ? { inReplyTo: ticket.threadMessageId, references: [ticket.threadMessageId] } : {};
      const mail = envelope('customer-closed', locale, [ticket.customerEmail], t('mail.closedSubject', { number: ticket.number, subject: oneLine(ticket.subject) }), {
        ticket,
        days: Math.round(days * 10) / 10,
        link: linkOf(ticket),
        customer: { name: oneLine(ticket.customerName) },
      }, thread);
      return [{ ticketId: ticket.id, ticketNumber: ticket.number, kind: 'customer-closed', urgent: false, mailMessageId: newMailMessageId(ticket.number), envelope: mail }];
    },

    /** A staff answer to the customer, in their language and the ticket's thread. */
    forStaffReply(ticket: Ticket, department: Department, message: Message): NewOutboxItem[] {
      const locale = ticket.customerLocale ?? options.defaultLocale;
      const t = options.catalog.translator(locale);
      const files = filesFor(ticket, message.attachments);
      const thread = ticket.threadMessageId ? { inReplyTo: ticket.threadMessageId, references: [ticket.threadMessageId] } : {};
      const mail = envelope('customer-reply', locale, [ticket.customerEmail], t('mail.replySubject', { number: ticket.number, subject: oneLine(ticket.subject) }), {
        ticket,
        message,
        link: linkOf(ticket),
        listed: files.listed,
        departmentName: department.name[locale],
        customer: { name: oneLine(ticket.customerName) },
      }, { attachments: files.attached, ...thread });
      return [{ ticketId: ticket.id, ticketNumber: ticket.number, kind: 'customer-reply', urgent: false, mailMessageId: newMailMessageId(ticket.number), envelope: mail }];
    },
  };
}

/** Compiled templates, once per process. Text parts are not HTML-escaped; header values never come from them. */
const compiled = new Map<string, ejs.TemplateFunction>();

function template(viewsDir: string, name: string, html: boolean): ejs.TemplateFunction {
  const file = path.join(viewsDir, 'mail', `${name}.ejs`);
  const key = `${file}|${html}`;
  let fn = compiled.get(key);
  if (!fn) {
    // cache: the partials a template includes are compiled once too, not at every e-mail.
    fn = ejs.compile(fs.readFileSync(file, 'utf8'), { filename: file, cache: true, ...(html ? {} : { escape: (value: unknown) => String(value) }) });
    compiled.set(key, fn);
  }
  return fn;
}
