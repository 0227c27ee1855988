// The Mailbox's Reply: an answer to a caught e-mail, written as the person it was addressed to
// (a department, a customer) and sent over SMTP to the demo's MX, as their mail client would: a
// short text, their signature, a little of the original quoted, and the thread's headers.
import type { Knex } from 'knex';
import nodemailer from 'nodemailer';
import type { Locale } from 'support-requests';
import { findAccountByEmail } from './accounts';
import { PANEL_NAME, strings } from './i18n';
import type { CaughtAddress, CaughtMail } from './mail-catcher';

/** Who a reply comes from and goes to, and the headers that put it in the original's thread. */
export interface ReplyEnvelope {
  /** The original's first To address (its first SMTP recipient when it has no To). */
  from: CaughtAddress;
  /** The original's Reply-To, else its From. */
  to: CaughtAddress[];
  subject: string;
  inReplyTo: string | null;
  /** The original's References, then its Message-ID (RFC 5322 order). */
  references: string[];
}

/** The person replying: a department of the demo, a panel account, or just an address. */
export interface Replier {
  name: string;
  department: boolean;
  signature: string[];
}

/** How much of the original the draft quotes. */
const QUOTED_LINES = 12;

/** The reply's envelope, or null when the e-mail names nobody to answer as or to. */
export function replyEnvelope(mail: CaughtMail): ReplyEnvelope | null {
  const envelopeTo = mail.envelope.to[0];
  const from = mail.addresses.to[0] ?? (envelopeTo ? { name: '', address: envelopeTo } : undefined);
  const to = mail.addresses.replyTo.length > 0 ? mail.addresses.replyTo : mail.addresses.from;
  if (!from || to.length === 0) return null;
  const references = [...new Set([...mail.references, ...(mail.messageId ? [mail.messageId] : [])])];
  return {
    from,
    to,
    subject: /^re:/i.test(mail.subject.trim()) ? mail.subject : `Re: ${mail.subject}`,
    inReplyTo: mail.messageId || null,
    references,
  };
}

/** Finds who an address belongs to: the demo's department addresses first, then its accounts. */
export function replierLookup(knex: Knex, departmentEmails: Record<string, string>) {
  return async (address: string, locale: Locale): Promise<Replier> => {
    const code = Object.keys(departmentEmails).find((c) => departmentEmails[c]?.toLowerCase() === address.toLowerCase());
    if (code) {
      const name = strings[locale].departments[code] ?? code;
      return { name, department: true, signature: [name, PANEL_NAME] };
    }
    const account = await findAccountByEmail(knex, address);
    if (account) return { name: account.name, department: false, signature: [account.name] };
    return { name: '', department: false, signature: [address] };
  };
}

function who(address: CaughtAddress | undefined, fallback: string): string {
  if (!address) return fallback;
  return address.name ? `${address.name} <${address.address}>` : address.address;
}

/** The text the form starts with: a few words, the signature, and the original's first lines quoted. */
export function replyDraft(mail: CaughtMail, replier: Replier, locale: Locale): string {
  const s = strings[locale].mailbox.reply;
  const when = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(mail.date ?? mail.receivedAt);
  const lines = mail.text.replace(/\r\n?/g, '\n').trimEnd().split('\n');
  const quoted = lines.slice(0, QUOTED_LINES).map((line) => (line ? `> ${line}` : '>'));
  if (lines.length > QUOTED_LINES) quoted.push('> …');
  return [
    replier.department ? s.draftStaff : s.draftCustomer,
    '',
    // "-- " with its space: the signature separator mail programs (and reply parsers) look for.
    '-- ',
    ...replier.signature,
    '',
    s.quoteHeader.replace('{date}', when).replace('{who}', who(mail.addresses.from[0], mail.from)),
    ...quoted,
    '',
  ].join('\n');
}

/** What the MX said to a reply: its last answer ("250 stored #12345678") and the recipients it took. */
export interface SentReply {
  response: string;
  accepted: string[];
}

/** Sends the reply to the MX. */
export async function sendReply(port: number, envelope: ReplyEnvelope, text: string): Promise<SentReply> {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, connectionTimeout: 5000 });
  try {
    const info = await transport.sendMail({
      from: envelope.from,
      to: envelope.to,
      subject: envelope.subject,
      text,
      ...(envelope.inReplyTo ? { inReplyTo: envelope.inReplyTo } : {}),
      ...(envelope.references.length > 0 ? { references: envelope.references } : {}),
    });
    // What the server took, not what the form meant to send: the Mailbox's confirmation says this.
    const accepted = (info.accepted as Array<string | { address: string }>).map((a) => (typeof a === 'string' ? a : a.address));
    return { response: info.response, accepted };
  } finally {
    transport.close();
  }
}
