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

/** MySQL tables get utf8mb4 explicitly: a server default of latin1 would mangle Cyrillic. */
export function tableCharset(knex: Knex, table: Knex.CreateTableBuilder): void {
  if (dialectOf(knex) === 'mysql') {
    table.charset('utf8mb4');
    table.collate('utf8mb4_unicode_ci');
  }
}

/** A row's numeric column: pg returns BIGINT as text. */
export function num(value: unknown): number {
  return typeof value === 'number' ? value : Number(value);
}

export function numOrNull(value: unknown): number | null {
  return value === null || value === undefined ? null : num(value);
}
