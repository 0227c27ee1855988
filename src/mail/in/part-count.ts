// How many MIME parts a message has, counted from its raw lines before anything is decoded, so a
// message built of thousands of parts is refused for the price of one pass over its bytes.
import { MailTooComplexError } from '../../model/errors';

/** Every boundary a Content-Type declares, quoted or not (RFC 2046 allows up to 70 characters). */
const BOUNDARY_PARAM = /boundary\s*=\s*(?:"([^"\r\n]{1,200})"|([^\s";]{1,200}))/gi;

/**
 * The message itself plus one for each part its multipart bodies open (containers included, and
 * the parts of an attached message that is not encoded). Throws MailTooComplexError as soon as the
 * count passes maxParts.
 */
export function countMimeParts(raw: Buffer, maxParts: number): number {
  // latin1 maps each byte to one character: the scan sees the bytes whatever the charset.
  const text = raw.toString('latin1');
  const boundaries = new Set<string>();
  for (const match of text.matchAll(BOUNDARY_PARAM)) boundaries.add((match[1] ?? match[2]) as string);
  let count = 1;
  if (boundaries.size === 0) return count;
  // Each line that starts with "--": a delimiter when the rest, less trailing white space, is a
  // boundary (so the closing "--b--" is not counted).
  let start = text.startsWith('--') ? 0 : nextDashesLine(text, 0);
  while (start >= 0) {
    const newline = text.indexOf('\n', start);
    const end = newline < 0 ? text.length : newline;
    if (end - start <= 210 && boundaries.has(text.slice(start + 2, end).replace(/[ \t\r]+$/, ''))) {
      count += 1;
      if (count > maxParts) throw new MailTooComplexError(maxParts);
    }
    start = newline < 0 ? -1 : nextDashesLine(text, newline);
  }
  return count;
}

/** Where the next line starting with "--" starts, looking from a line break at or after `from`; -1 when none. */
function nextDashesLine(text: string, from: number): number {
  const at = text.indexOf('\n--', from);
  return at < 0 ? -1 : at + 1;
}
