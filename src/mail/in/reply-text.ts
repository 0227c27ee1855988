// What the sender wrote this time: the text with the quoted history and the signature cut off.
// email-reply-parser does the cutting it knows (">" quotes, English and other attribution lines,
// "-----Original Message-----", "-- " signatures, "Sent from my iPhone"); before it, a pass of
// ours handles what Russian clients and Outlook write (quote-markers.ts) and keeps a forwarded
// message whole, since there the forwarded part is what the sender means us to read.
import crypto from 'node:crypto';
import {
  LINE_LIMIT,
  isAttribution,
  isForwardMarker,
  isForwardSubject,
  isOriginalMessageSeparator,
  isOutlookHeaderBlock,
  isQuoted,
  isSignOff,
} from './quote-markers';

/** Only the start of a long text is cut: a request's message is far shorter, and the parser's cost grows with the length. */
const CUT_LIMIT = 100_000;

/**
 * The text as stored: LF line endings, no control characters but tabs and line breaks (PostgreSQL
 * refuses NUL), no byte-order marks, no spaces at line ends, at most one empty line in a row, trimmed.
 */
export function normalizeText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufeff]/g, '')
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Drops the rules left at the end once the history below them is cut ("-- ", "____", an <hr> turned into dashes). */
function withoutTrailingRules(text: string): string {
  const lines = text.split('\n');
  while (lines.length > 0 && /^[-_=*~]*$/.test(lines[lines.length - 1]!)) lines.pop();
  return lines.join('\n');
}

/** The new part of a normalized text; subject tells a forward ("Fwd:", "FW:"). '' when nothing is left. */
export async function newText(fullText: string, subject: string): Promise<string> {
  const lines = fullText.slice(0, CUT_LIMIT).split('\n');
  const { head, forwarded } = splitHistory(lines, isForwardSubject(subject));
  const visible = await visibleText(head);
  return normalizeText([withoutTrailingRules(normalizeText(visible)), forwarded].filter(Boolean).join('\n\n'));
}

/**
 * Our pass: the lines the parser still has to look at, and the forwarded message kept as it is.
 * Outlook's block and "-----Original Message-----" end the new text; a Russian attribution line
 * goes with the ">" lines after it (an answer may follow them), or ends the new text when no
 * quote follows; a sign-off ends it too.
 */
function splitHistory(lines: string[], forwardSubject: boolean): { head: string[]; forwarded: string } {
  const head: string[] = [];
  const rest = (from: number) => lines.slice(from).join('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (isQuoted(line) || line.length > LINE_LIMIT) {
      head.push(line);
      continue;
    }
    if (isForwardMarker(line)) return { head, forwarded: rest(i) };
    if (isOriginalMessageSeparator(line) || isOutlookHeaderBlock(lines, i)) {
      return { head, forwarded: forwardSubject ? rest(i) : '' };
    }
    const wrapped = !isAttribution(line) && i + 1 < lines.length && isAttribution(`${line} ${lines[i + 1]}`);
    if (isAttribution(line) || wrapped) {
      let next = wrapped ? i + 2 : i + 1;
      while (next < lines.length && lines[next]!.trim() === '') next++;
      if (next >= lines.length || !isQuoted(lines[next]!)) return { head, forwarded: '' };
      while (next < lines.length && (isQuoted(lines[next]!) || lines[next]!.trim() === '')) next++;
      i = next - 1;
      continue;
    }
    if (isSignOff(line)) {
      const forward = forwardAfter(lines, i + 1);
      return { head, forwarded: forward < 0 ? '' : rest(forward) };
    }
    head.push(line);
  }
  return { head, forwarded: '' };
}

/** Where a forwarded message starts after a signature, or -1 when history comes first (a forward inside it is history too). */
function forwardAfter(lines: string[], from: number): number {
  for (let i = from; i < lines.length; i++) {
    const line = lines[i]!;
    if (isForwardMarker(line)) return i;
    if (isQuoted(line) || isAttribution(line) || isOriginalMessageSeparator(line) || isOutlookHeaderBlock(lines, i)) return -1;
  }
  return -1;
}

interface ReplyParser {
  parseReply(text: string): string;
}
let parser: Promise<ReplyParser> | null = null;

/** email-reply-parser is an ES module: loaded once, when the first message is read. */
function replyParser(): Promise<ReplyParser> {
  parser ??= import('email-reply-parser').then(({ default: EmailReplyParser }) => new EmailReplyParser());
  return parser;
}

/**
 * The parser's visible text. Its patterns test every line, some with a cost that grows with the
 * square of the line's length; a line longer than LINE_LIMIT is no header or signature, so it goes
 * through as a short placeholder and comes back after.
 */
async function visibleText(lines: string[]): Promise<string> {
  const nonce = crypto.randomBytes(6).toString('hex');
  const long = new Map<string, string>();
  const text = lines
    .map((line) => {
      if (line.length <= LINE_LIMIT) return line;
      const token = `long-line-${nonce}-${long.size}`;
      long.set(token, line);
      return token;
    })
    .join('\n');
  const visible = (await replyParser()).parseReply(text);
  return long.size === 0 ? visible : visible.replace(new RegExp(`long-line-${nonce}-\\d+`, 'g'), (token) => long.get(token) ?? '');
}
