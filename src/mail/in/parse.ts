// Reads one raw message into what the intake decides on (ParsedMail, model/inbound.ts). mailparser
// does the MIME work (charsets, transfer encodings, RFC 2047 words, format=flowed); this file picks
// the headers that matter and the text a person wrote. A message too complex to read is refused
// with MailTooComplexError; anything else, however garbled, gives a ParsedMail of what could be read.
import {
  parseAddressHeader,
  simpleParser,
  type Attachment,
  type EmailAddress,
  type ParsedMail as Parsed,
  type SimpleParserOptions,
} from 'mailparser';
import { MailTooComplexError } from '../../model/errors';
import type { MailAddress, MailFile, ParsedMail } from '../../model/inbound';
import { oneLine } from '../envelope';
import { authVerdict } from './auth-verdict';
import { automaticBy } from './automatic';
import { REPORT_PART_TYPES, deliveryReport, isDeliveryReport } from './delivery-report';
import { headerValues, messageIds, type HeaderLine } from './header-lines';
import { htmlToText } from './html-text';
import { countMimeParts } from './part-count';
import { newText, normalizeText } from './reply-text';

export interface ParseLimits {
  /** More MIME parts than this and the message is refused (MailTooComplexError). */
  maxParts: number;
}

/** RFC 5322's longest line, which a subject must fit in one. */
const MAX_SUBJECT = 998;

function parserOptions(limits: ParseLimits): SimpleParserOptions {
  return {
    // The text comes from text/plain, or from the HTML through our own conversion (html-text.ts).
    skipHtmlToText: true,
    skipTextToHtml: true,
    skipTextLinks: true,
    // cid: links stay as they are (no images copied into the HTML): they tell which files are inline.
    keepCidLinks: true,
    // A delivery report's status part comes as an attachment, read by delivery-report.ts.
    keepDeliveryStatus: true,
    checksumAlgo: false,
    // The count passed, so this only guards a structure the count did not see (an embedded message).
    maxChildNodes: limits.maxParts,
  };
}

export async function parseMail(raw: Buffer, limits: ParseLimits): Promise<ParsedMail> {
  const partCount = countMimeParts(raw, limits.maxParts);
  try {
    return await read(await simpleParser(raw, parserOptions(limits)), partCount);
  } catch (err) {
    if (isTooManyParts(err)) throw new MailTooComplexError(limits.maxParts);
    // A body mailparser gave up on (a header block past its size limit, a broken part): what the
    // headers say is still worth reading, so the intake can hold the message with its sender.
    try {
      return await read(await simpleParser(headerBlock(raw), parserOptions(limits)), partCount);
    } catch {
      return unreadable(partCount);
    }
  }
}

function isTooManyParts(err: unknown): boolean {
  // mailsplit's own limit (maxChildNodes), for a structure countMimeParts did not see.
  return (err as { code?: string })?.code === 'EMAXLEN' && /child nodes/i.test(String((err as Error).message));
}

/**
 * The message's header block alone, cut at the first empty line, each line cut to 4 KB and the
 * whole to 512 KB: under mailparser's limits, so a header block it refused is read this time.
 */
function headerBlock(raw: Buffer): Buffer {
  const crlf = raw.indexOf('\r\n\r\n');
  const end = crlf >= 0 ? crlf : raw.indexOf('\n\n');
  const head = raw.subarray(0, end >= 0 ? end : Math.min(raw.length, 1024 * 1024)).toString('latin1');
  const lines = head.split(/\r?\n/).map((line) => line.slice(0, 4096));
  return Buffer.from(`${lines.join('\r\n').slice(0, 512 * 1024)}\r\n\r\n`, 'latin1');
}

async function read(parsed: Parsed, partCount: number): Promise<ParsedMail> {
  const lines: readonly HeaderLine[] = parsed.headerLines ?? [];
  const from = sender(parsed.from?.value ?? []);
  const subject = subjectLine(parsed.subject ?? '');
  const html = typeof parsed.html === 'string' ? parsed.html : '';
  const plain = parsed.text ?? '';
  const lowerHtml = html.toLowerCase();
  const fullText = normalizeText(plain.trim() !== '' ? plain : html !== '' ? htmlToText(html) : '');
  const contentType = parsed.headers?.get('content-type') as { value?: string; params?: Record<string, string> } | undefined;
  const report = isDeliveryReport(contentType?.value ?? '', contentType?.params?.['report-type'])
    ? deliveryReport(parsed.attachments)
    : null;
  return {
    messageId: messageIds(headerValues(lines, 'message-id'))[0] ?? null,
    inReplyTo: messageIds(headerValues(lines, 'in-reply-to')),
    references: messageIds(headerValues(lines, 'references')),
    from,
    recipients: recipients(lines),
    subject,
    date: dateOf(headerValues(lines, 'date')[0]),
    text: await newText(fullText, subject),
    fullText,
    files: parsed.attachments
      .filter((a) => report === null || !REPORT_PART_TYPES.has(a.contentType.toLowerCase()))
      .map((a) => fileOf(a, lowerHtml)),
    automatic: automaticBy(lines),
    report,
    authVerdict: authVerdict(lines, from?.address ?? null),
    partCount,
  };
}

/** The first mailbox of From (a group's first member), its address lower-cased. */
function sender(addresses: EmailAddress[]): MailAddress | null {
  const first = addresses.flatMap((a) => (a.group ? a.group : [a])).find((a) => a.address && a.address.includes('@'));
  return first ? { address: first.address!.trim().toLowerCase(), name: oneLine(first.name ?? '').slice(0, 200) } : null;
}

/** To, Cc, Delivered-To and X-Original-To, each address once, lower-cased. */
function recipients(lines: readonly HeaderLine[]): string[] {
  const values = ['to', 'cc', 'delivered-to', 'x-original-to'].flatMap((key) => headerValues(lines, key));
  if (values.length === 0) return [];
  const addresses = parseAddressHeader(values, { flatten: true }).value.map((a) => (a.address ?? '').trim().toLowerCase());
  return [...new Set(addresses.filter((address) => address.includes('@')))];
}

/** One line: no line breaks or control characters (C0, DEL, C1, line and paragraph separators), at most MAX_SUBJECT characters. */
function subjectLine(subject: string): string {
  const line = oneLine(subject.replace(/[\u0080-\u009f]/g, ' '));
  if (line.length <= MAX_SUBJECT) return line;
  // Not half of a surrogate pair at the end.
  const cut = /[\ud800-\udbff]/.test(line[MAX_SUBJECT - 1]!) ? MAX_SUBJECT - 1 : MAX_SUBJECT;
  return line.slice(0, cut).trimEnd();
}

function dateOf(value: string | undefined): number | null {
  if (value === undefined) return null;
  const time = Date.parse(value);
  return Number.isFinite(time) ? time : null;
}

/** lowerHtml: the HTML body lower-cased, to find the cid: links in. */
function fileOf(attachment: Attachment, lowerHtml: string): MailFile {
  const cid = attachment.cid?.trim().toLowerCase();
  return {
    filename: attachment.filename ?? '',
    declaredType: attachment.contentType,
    content: attachment.content,
    // Inline when the HTML shows it (an <img src="cid:...">), wherever the part sits.
    inline: Boolean(cid) && lowerHtml.includes(`cid:${cid}`),
  };
}

/** Nothing could be read, not even the headers. */
function unreadable(partCount: number): ParsedMail {
  return {
    messageId: null,
    inReplyTo: [],
    references: [],
    from: null,
    recipients: [],
    subject: '',
    date: null,
    text: '',
    fullText: '',
    files: [],
    automatic: null,
    report: null,
    authVerdict: 'none',
    partCount,
  };
}
