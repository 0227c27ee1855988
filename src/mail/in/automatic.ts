// Which header marks a message as written by a machine rather than a person: an auto-reply (an
// out-of-office, a vacation notice) or bulk mail. The intake neither answers nor stores such mail,
// so a vacation notice cannot answer our answer, and so on forever (RFC 3834).
import { oneLine } from '../envelope';
import { headerValues, type HeaderLine } from './header-lines';

const PRECEDENCE_BULK = new Set(['bulk', 'junk', 'list', 'auto_reply']);
/** Exchange's X-Auto-Response-Suppress names what should not answer; these cover auto-replies. */
const SUPPRESSES_REPLIES = new Set(['all', 'autoreply', 'oof']);

/**
 * The header that says so, as "Name: value", or null for mail a person wrote.
 *
 * List-Id counts too: mail a mailing list relays is list traffic, not someone writing to us
 * (RFC 2919). A Google Group or another list used as a company's shared address adds List-Id as
 * well, so mail such a group sends is ignored; its members write from their own addresses.
 * Whether the sender is a mailer daemon or postmaster is for the intake to see in From: bounces
 * without these headers exist.
 */
export function automaticBy(lines: readonly HeaderLine[]): string | null {
  const first = (key: string) => headerValues(lines, key)[0];
  const word = (value: string) => value.split(/[;(]/)[0]!.trim().toLowerCase();

  const autoSubmitted = first('auto-submitted');
  if (autoSubmitted !== undefined && word(autoSubmitted) !== 'no' && word(autoSubmitted) !== '')
    return said('Auto-Submitted', autoSubmitted);

  for (const [key, name] of [
    ['x-autoreply', 'X-Autoreply'],
    ['x-autorespond', 'X-Autorespond'],
  ] as const) {
    const value = first(key);
    // Present is enough, unless it says no.
    if (value !== undefined && !['no', 'false', '0'].includes(word(value))) return said(name, value);
  }

  const suppress = first('x-auto-response-suppress');
  if (suppress !== undefined && suppress.split(/[\s,]+/).some((token) => SUPPRESSES_REPLIES.has(token.toLowerCase()))) {
    return said('X-Auto-Response-Suppress', suppress);
  }

  const precedence = first('precedence');
  if (precedence !== undefined && PRECEDENCE_BULK.has(word(precedence))) return said('Precedence', precedence);

  const listId = first('list-id');
  if (listId !== undefined) return said('List-Id', listId);

  return null;
}

/** "Name: value" for the log and the admin page: one line, the value cut to 200 characters. */
function said(name: string, value: string): string {
  return `${name}: ${oneLine(value).slice(0, 200)}`;
}
