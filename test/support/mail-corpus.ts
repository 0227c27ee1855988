// The corpus of real-shaped messages in test/mail-in/corpus/: .eml files as mail clients, mail
// servers and auto-responders write them (CRLF line endings), with placeholders for the addresses,
// the thread and the request number that a test fills in, and index.json saying what each is and
// what a correct intake does with it.
import fs from 'node:fs';
import path from 'node:path';
import { PLUGIN_ROOT } from '../../src/paths';

const CORPUS_DIR = path.join(PLUGIN_ROOT, 'test', 'mail-in', 'corpus');

/** What the placeholders stand for; the *_DOMAIN ones are taken from the addresses. */
export interface CorpusValues {
  /** {{REPLY_TO}}: the request's reply address (support+<number>.<signature>@...). */
  replyTo: string;
  /** {{THREAD_ID}}: the Message-ID the request's e-mails thread on, with its angle brackets. */
  threadId: string;
  /** {{NUMBER}}: the request's number. */
  number: string;
  /** {{CUSTOMER}}: the customer's address. */
  customer: string;
  /** {{STAFF}}: a department's address, a staff member of that department. */
  staff: string;
  /** {{SUPPORT}}: the plain support address. */
  support: string;
}

export interface CorpusEntry {
  file: string;
  /** Who sent it: the request's customer, a staff member, someone else, a mail server, or our own mail. */
  from: 'customer' | 'staff' | 'stranger' | 'mailer-daemon' | 'support';
  /** What a correct intake answers (IntakeOutcome). */
  expect: 'stored' | 'opened' | 'held' | 'ignored' | 'bounce';
  /** Why it is held or ignored: a HeldReason or IgnoredReason of model/inbound.ts. */
  reason?: string;
  /** ParsedMail.subject, placeholders unfilled. */
  subject: string;
  /** ParsedMail.text: what the parser hands the intake, placeholders unfilled. */
  text: string;
  /** A staff member's "#note": an internal note, the "#note" line left out of what is stored. */
  note?: boolean;
  /** The files it carries, in order, and whether the upload rules accept each. */
  files?: Array<{ filename: string; inline: boolean; accepted: boolean }>;
  /** A delivery report: the recipients to mark as bounced on our e-mail with Message-ID {{THREAD_ID}}. */
  bounced?: string[];
  /** What the case is about, for whoever reads a failure. */
  about: string;
}

export function corpusIndex(): CorpusEntry[] {
  return (JSON.parse(fs.readFileSync(path.join(CORPUS_DIR, 'index.json'), 'utf8')) as { messages: CorpusEntry[] }).messages;
}

/** Replaces the placeholders in a text (an expected text or subject, or a message read as latin1). */
export function fillPlaceholders(text: string, values: CorpusValues): string {
  const domainOf = (address: string) => address.slice(address.lastIndexOf('@') + 1);
  const byName: Record<string, string> = {
    REPLY_TO: values.replyTo,
    THREAD_ID: values.threadId,
    NUMBER: values.number,
    CUSTOMER: values.customer,
    STAFF: values.staff,
    SUPPORT: values.support,
    CUSTOMER_DOMAIN: domainOf(values.customer),
    STAFF_DOMAIN: domainOf(values.staff),
  };
  return text.replace(/\{\{([A-Z_]+)\}\}/g, (placeholder, name: string) => byName[name] ?? placeholder);
}

/**
 * One message's bytes with the placeholders filled. The placeholders sit only where the bytes are
 * ASCII (headers, 8bit and quoted-printable bodies, never inside base64), so replacing them in the
 * latin1 reading leaves every other byte as it was.
 */
export function corpusMessage(file: string, values: CorpusValues): Buffer {
  return Buffer.from(fillPlaceholders(fs.readFileSync(path.join(CORPUS_DIR, file), 'latin1'), values), 'latin1');
}

/** The .eml files present, to check index.json names each once. */
export function corpusFiles(): string[] {
  return fs
    .readdirSync(CORPUS_DIR)
    .filter((name) => name.endsWith('.eml'))
    .sort();
}
