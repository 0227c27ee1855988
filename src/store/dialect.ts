// The few places where the three databases differ, kept in one file.
import type { Knex } from 'knex';

export type Dialect = 'sqlite' | 'postgres' | 'mysql';

export function dialectOf(knex: Knex): Dialect {
  const name = String(knex.client.config.client ?? knex.client.dialect);
  if (/sqlite/.test(name)) return 'sqlite';
  if (/pg|postgres/.test(name)) return 'postgres';
  if (/mysql|maria/.test(name)) return 'mysql';
  throw new Error(`support-requests: unsupported database client "${name}"`);
}

/** Inserts one row and returns its id (MySQL has no RETURNING). */
export async function insertReturningId(knex: Knex, table: string, row: object): Promise<number> {
  if (dialectOf(knex) === 'mysql') {
    const [id] = await knex(table).insert(row);
    return Number(id);
  }
  const [inserted] = await knex(table).insert(row, ['id']);
  return Number((inserted as { id: number | string }).id);
}

/** A row's numeric column: pg returns BIGINT as text. */
export function num(value: unknown): number {
  return typeof value === 'number' ? value : Number(value);
}

export function numOrNull(value: unknown): number | null {
  return value === null || value === undefined ? null : num(value);
}

/** A transaction the database aborted to break a lock cycle; running it again is safe. */
export function isDeadlock(err: unknown): boolean {
  const e = err as { code?: string; errno?: number } | null;
  return e?.code === 'ER_LOCK_DEADLOCK' || e?.errno === 1213 || e?.code === '40P01' || e?.code === '40001';
}

/** Runs a whole transaction again when the database chose it as a deadlock victim. */
export async function withDeadlockRetry<T>(run: () => Promise<T>, attempts = 4): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (err) {
      if (attempt >= attempts || !isDeadlock(err)) throw err;
      await new Promise((resolve) => setTimeout(resolve, 5 * attempt + Math.random() * 10));
    }
  }
}
