// The boundary for text: every form field and query filter is read through here, so every
// database stores the same text. Control characters are stripped (PostgreSQL refuses NUL; the
// others only hide or garble text), and text that was not valid UTF-8 is refused.
//
// How invalid UTF-8 is detected. The parsers decode bytes before we see them:
// - multipart fields (busboy) and query strings (node's querystring) turn every byte sequence
//   that is not UTF-8 into U+FFFD, the replacement character;
// - url-encoded bodies (qs) leave an undecodable %XX sequence as literal text, so those are
//   checked on the raw body instead (urlencodedBytesCheck, body-parser's verify hook), decoded
//   by the WHATWG rules, which also yield U+FFFD.
// So U+FFFD marks the damage. Nobody types it: when it is sent as such, the text was already
// damaged on its way to the browser, and asking to type it again is the honest answer too.
// Where it is refused: multipart forms in uploads.ts (with their files removed), url-encoded
// forms by refuseUnreadable before the change runs, the queue's text filters on its page.
import type { IncomingMessage } from 'node:http';
import type { Request } from 'express';
import { ValidationError, type Problem } from '../model/errors';

/** C0 controls except tab, LF and CR; DEL; C1 controls. */
const CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;
/** The replacement character, or half of a surrogate pair without its other half. */
const UNREADABLE = /\uFFFD|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const UNREADABLE_PROBLEM: Problem = { key: 'errors.text.unreadable' };

/** Names of url-encoded fields whose raw bytes were not UTF-8, found by urlencodedBytesCheck. */
const undecodable = new WeakMap<IncomingMessage, Set<string>>();

function stripControls(text: string): string {
  return text.replace(CONTROLS, '');
}

function isReadable(text: string): boolean {
  return !UNREADABLE.test(text);
}

/** body-parser's verify hook for url-encoded forms: notes the fields whose bytes are not UTF-8. */
export function urlencodedBytesCheck(req: IncomingMessage, _res: unknown, raw: Buffer): void {
  const names = new Set<string>();
  for (const [name, value] of new URLSearchParams(raw.toString('utf8'))) if (!isReadable(value)) names.add(name);
  if (names.size > 0) undecodable.set(req, names);
}

/** The first value of a text parameter ("" when absent or not text), controls stripped. */
function firstText(value: unknown): string {
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? stripControls(first) : '';
}

/** Every value of a repeated field of a parsed form (a list of checkboxes), controls stripped. */
export function formFields(req: Request, name: string): string[] {
  const value = (req.body as Record<string, unknown> | undefined)?.[name];
  return (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string').map(stripControls);
}

/** A text field of a parsed form; repeated or missing fields read as their first value or "". */
export function formField(req: Request, name: string): string {
  return firstText((req.body as Record<string, unknown> | undefined)?.[name]);
}

/** A query parameter as text, trimmed; repeated ones read as their first value. */
export function queryText(req: Request, name: string): string {
  return firstText(req.query[name]).trim();
}

/** The form's fields that were not valid UTF-8, each with its problem. */
export function unreadableFields(req: Request): Record<string, Problem> {
  const problems: Record<string, Problem> = {};
  for (const name of undecodable.get(req) ?? []) problems[name] = UNREADABLE_PROBLEM;
  for (const [name, value] of Object.entries((req.body as Record<string, unknown> | undefined) ?? {})) {
    const values = Array.isArray(value) ? value : [value];
    if (values.some((v) => typeof v === 'string' && !isReadable(v))) problems[name] = UNREADABLE_PROBLEM;
  }
  return problems;
}

/** Throws the form's unreadable fields as a ValidationError, so the form shows them like any other problem. */
export function refuseUnreadable(req: Request): void {
  const problems = unreadableFields(req);
  if (Object.keys(problems).length > 0) throw new ValidationError(problems);
}

/** The query parameters among `names` that were not valid UTF-8, each with its problem. */
export function unreadableQuery(req: Request, names: string[]): Record<string, Problem> {
  const values = (name: string) => [req.query[name]].flat();
  return Object.fromEntries(
    names.filter((n) => values(n).some((v) => typeof v === 'string' && !isReadable(v))).map((n) => [n, UNREADABLE_PROBLEM]),
  );
}
