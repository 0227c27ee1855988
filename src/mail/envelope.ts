// What every e-mail a ticket causes is built from: an envelope whose content names the EJS
// templates under views/mail and the data they show (rendered when it is sent, see render.ts),
// the ticket's link, its files (attached, or listed with links when too big), and a fresh
// Message-ID. Anything that ends up in a header is one line.
import crypto from 'node:crypto';
import type { Locale } from '../host';
import type { Catalog } from '../i18n';
import type { Attachment, Message, Ticket } from '../model/types';
import type { AcknowledgeLinks, MailEnvelope, NewOutboxItem, RatingLinks } from '../model/mail';
import type { ReplyAddresses } from '../model/inbound';

export interface EnvelopeOptions {
  catalog: Catalog;
  /** Panel address + mount path: a ticket's link is `${ticketsUrl}/${number}`. */
  ticketsUrl: string;
  defaultLocale: Locale;
  /** settings.timeZone: times in e-mail to departments, and to customers whose own zone is not known. */
  defaultTimeZone: string | undefined;
  attachLimitBytes: number;
  /** Domain part of generated Message-IDs. */
  mailMessageIdDomain: string;
  /** With mail in set up: answers go to the request's reply address, and Message-IDs are signed. */
  replies?: ReplyAddresses | null;
  /** With the inbound secret: rating links are signed; without it they are plain. */
  ratingLinks?: RatingLinks | null;
  /** With the inbound secret: "I'm on it" links are signed; without it they are plain. */
  acknowledgeLinks?: AcknowledgeLinks | null;
}

/** One line, no CR/LF or other control characters: safe in a header. */
export function oneLine(text: string): string {
  return text
    .replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** What the templates show of a ticket, and no more: the content is stored until it is sent. */
export function ticketFacts(ticket: Ticket) {
  return { number: ticket.number, subject: ticket.subject, serviceId: ticket.serviceId, serviceLabel: ticket.serviceLabel };
}

/** What the templates show of a message. */
export function messageFacts(message: Message) {
  return { authorName: message.authorName, authorKind: message.authorKind, body: message.body, createdAt: message.createdAt };
}

export function envelopes(options: EnvelopeOptions) {
  function linkOf(ticket: Ticket): string {
    return `${options.ticketsUrl}/${ticket.number}`;
  }

  function newMailMessageId(ticketNumber: string): string {
    if (options.replies) return options.replies.newMessageId(ticketNumber);
    // randomUUID draws from a cached pool, unlike a randomBytes call per id: 18 hex digits of it.
    return `<sr.${ticketNumber}.${crypto.randomUUID().replace(/-/g, '').slice(-18)}@${options.mailMessageIdDomain}>`;
  }

  return {
    linkOf,
    newMailMessageId,
    defaultLocale: options.defaultLocale,
    defaultTimeZone: options.defaultTimeZone,
    translator: (locale: Locale) => options.catalog.translator(locale),

    /** The customer's two links to rate the request; each opens a page that asks before recording. */
    rateLinks(ticket: Ticket): { good: string; bad: string } {
      const signature = options.ratingLinks ? `&sig=${options.ratingLinks.signatureOf(ticket.number)}` : '';
      const link = (choice: string) => `${linkOf(ticket)}/rate?r=${choice}${signature}`;
      return { good: link('good'), bad: link('bad') };
    },

    /** The "I'm on it" link of an urgent request: it opens a page that asks before recording. */
    acknowledgeLink(ticket: Ticket): string {
      const signature = options.acknowledgeLinks ? `?sig=${options.acknowledgeLinks.signatureOf(ticket.number)}` : '';
      return `${linkOf(ticket)}/acknowledge${signature}`;
    },

    /** Where the ticket's e-mails are answered to, when mail in is set up. */
    replyTo(ticket: Ticket, audience: 'customer' | 'department'): Pick<MailEnvelope, 'replyTo'> {
      return options.replies ? { replyTo: options.replies.forTicket(ticket.number, audience) } : {};
    },

    /** Attaches files while their total fits the limit; otherwise lists them with links. */
    filesFor(ticket: Ticket, attachments: Attachment[]) {
      const total = attachments.reduce((sum, a) => sum + a.size, 0);
      const attach = attachments.length > 0 && total <= options.attachLimitBytes;
      return {
        attached: attach
          ? attachments.map((a) => ({ storageKey: a.storageKey, filename: a.originalName, contentType: a.contentType }))
          : [],
        listed: attach ? [] : attachments.map((a) => ({ name: a.originalName, size: a.size, url: `${linkOf(ticket)}/files/${a.id}` })),
      };
    },

    /** The outbox row of one e-mail about a ticket: nothing when it has nobody to go to. A fresh Message-ID unless given. */
    outboxItem(
      ticket: Ticket,
      kind: string,
      urgent: boolean,
      envelope: MailEnvelope,
      mailMessageId = newMailMessageId(ticket.number),
    ): NewOutboxItem[] {
      if (envelope.to.length === 0) return [];
      return [{ ticketId: ticket.id, ticketNumber: ticket.number, kind, urgent, mailMessageId, envelope }];
    },

    /** An e-mail from `<template>.text` and `<template>.html`, in one language, to distinct addresses. */
    envelope(
      template: string,
      locale: Locale,
      to: string[],
      subject: string,
      data: Record<string, unknown>,
      extra: Partial<MailEnvelope> = {},
    ): MailEnvelope {
      return {
        to: [...new Set(to)],
        subject: oneLine(subject),
        content: { template, data },
        headers: {},
        attachments: [],
        locale,
        ...extra,
      };
    },
  };
}

export type Envelopes = ReturnType<typeof envelopes>;
