// What every e-mail a ticket causes is built from: an envelope whose text and HTML parts come from
// EJS templates under views/mail, the ticket's link, its files (attached, or listed with links when
// too big), and a fresh Message-ID. The HTML escapes every user field, and anything that ends up in
// a header is one line.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import ejs from 'ejs';
import type { Locale } from '../host';
import type { Catalog } from '../i18n';
import { formatSize } from '../i18n/format';
import type { Attachment, Ticket } from '../model/types';
import type { MailEnvelope } from '../model/mail';

export interface EnvelopeOptions {
  catalog: Catalog;
  viewsDir: string;
  /** Panel address + mount path: a ticket's link is `${ticketsUrl}/${number}`. */
  ticketsUrl: string;
  defaultLocale: Locale;
  attachLimitBytes: number;
  /** Domain part of generated Message-IDs. */
  mailMessageIdDomain: string;
}

/** One line, no CR/LF or other control characters: safe in a header. */
export function oneLine(text: string): string {
  return text
    .replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export function envelopes(options: EnvelopeOptions) {
  const render = (name: string, data: object, html: boolean): string => template(options.viewsDir, name, html)(data);

  function linkOf(ticket: Ticket): string {
    return `${options.ticketsUrl}/${ticket.number}`;
  }

  return {
    render,
    linkOf,
    defaultLocale: options.defaultLocale,
    translator: (locale: Locale) => options.catalog.translator(locale),

    newMailMessageId(ticketNumber: string): string {
      return `<sr.${ticketNumber}.${crypto.randomBytes(9).toString('hex')}@${options.mailMessageIdDomain}>`;
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

    /** An e-mail from `<template>.text` and `<template>.html`, in one language, to distinct addresses. */
    envelope(
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
    },
  };
}

export type Envelopes = ReturnType<typeof envelopes>;

/** Compiled templates, once per process. Text parts are not HTML-escaped; header values never come from them. */
const compiled = new Map<string, ejs.TemplateFunction>();

function template(viewsDir: string, name: string, html: boolean): ejs.TemplateFunction {
  const file = path.join(viewsDir, 'mail', `${name}.ejs`);
  const key = `${file}|${html}`;
  let fn = compiled.get(key);
  if (!fn) {
    // cache: the partials a template includes are compiled once too, not at every e-mail; root:
    // they are named from the views folder, so sending never asks the disk where they are.
    fn = ejs.compile(fs.readFileSync(file, 'utf8'), {
      filename: file,
      root: viewsDir,
      cache: true,
      ...(html ? {} : { escape: (value: unknown) => String(value) }),
    });
    compiled.set(key, fn);
  }
  return fn;
}
