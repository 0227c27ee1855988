// Opaque keyset cursors: a tuple of numbers as base64url text. Anything malformed reads as
// "first page" rather than an error, since cursors come from URLs people can edit. That includes
// a number too big for its column, which PostgreSQL would refuse with an error.
import { MAX_ID } from '../model/types';

/** The largest value of each kind of column a cursor carries. */
export const CURSOR_LIMITS = {
  /** increments() ids: a 4-byte integer, as for every id read from outside. */
  id: MAX_ID,
  /** smallint columns (priority rank). */
  smallint: 32_767,
  /** bigInteger millisecond timestamps, as far as JavaScript numbers are exact. */
  timestamp: Number.MAX_SAFE_INTEGER,
} as const;

export function encodeCursor(values: number[]): string {
  return Buffer.from(values.join('.')).toString('base64url');
}

/** The cursor's values, each a whole number from 0 to its limit, or null for anything else. */
export function decodeCursor(cursor: string | null | undefined, limits: readonly number[]): number[] | null {
  if (!cursor) return null;
  const parts = Buffer.from(cursor, 'base64url').toString().split('.');
  if (parts.length !== limits.length || !parts.every((p) => /^\d{1,16}$/.test(p))) return null;
  const values = parts.map(Number);
  return values.every((v, i) => v <= (limits[i] as number)) ? values : null;
}
