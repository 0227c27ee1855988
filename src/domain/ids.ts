// The one parser for row ids that come from outside (a path, a form field, a query): only the
// canonical decimal text of a positive integer that fits the tables' integer columns. "1.5",
// "1e3", "0x10", " 7", "007" and "99999999999" are not ids; PostgreSQL would refuse the last.
import { MAX_ID } from '../model/types';

/** The id the text names, or null when it names none. */
export function parseId(text: unknown): number | null {
  if (typeof text !== 'string' || !/^[1-9]\d{0,9}$/.test(text)) return null;
  const id = Number(text);
  return id <= MAX_ID ? id : null;
}
