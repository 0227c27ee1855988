// Opaque keyset cursors: a tuple of numbers as base64url text. Anything malformed reads as
// "first page" rather than an error, since cursors come from URLs people can edit. That includes
// a number too big for its column, which PostgreSQL would refuse with an error.
import type { Knex } from 'knex';
import { MAX_ID } from '../model/types';
import { dialectOf } from './dialect';

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

/**
 * Keeps the rows that come after `values` in the order of `columns` (all ascending, or all
 * descending): the keyset page's condition. SQLite and PostgreSQL read a row-value comparison as
 * one range on the index. MariaDB reads every row of the index prefix for it (seconds a deep
 * page at 1M tickets), so there it is written out, with the leading column bounded.
 */
export function whereAfter(
  knex: Knex,
  query: Knex.QueryBuilder,
  columns: readonly string[],
  values: readonly number[],
  order: 'asc' | 'desc',
): void {
  const op = order === 'asc' ? '>' : '<';
  if (dialectOf(knex) !== 'mysql') {
    const marks = columns.map(() => '?').join(', ');
    query.whereRaw(`(${columns.map(() => '??').join(', ')}) ${op} (${marks})`, [...columns, ...values]);
    return;
  }
  // a > x or (a = x and (b > y or (b = y and c > z))), built from the last column outwards.
  const after = (i: number): Knex.Raw => {
    const strictly = knex.raw(`?? ${op} ?`, [columns[i]!, values[i]!]);
    return i === columns.length - 1 ? strictly : knex.raw('(? or (?? = ? and ?))', [strictly, columns[i]!, values[i]!, after(i + 1)]);
  };
  query.where(columns[0]!, `${op}=`, values[0]!).where(after(0));
}
