// Statements written with knex's query builder but compiled once per database and table prefix,
// then sent with their values only (store/sql.ts). Why: building and compiling a statement costs
// knex ~30–70 µs of CPU every time (measured on the create's statements, SQLite, PostgreSQL and
// MariaDB), for SQL that never changes. Together with store/sql.ts and store/transaction.ts this
// took the create's transaction from ~600–1,100 µs of CPU to ~250–750 µs (issue 11).
import type { Knex } from 'knex';
import type { TableNames } from './tables';
import { dialectOf } from './dialect';

/** What a compiled statement is sent with; undefined is not one, so a value left out fails to type-check. */
export type SqlValue = string | number | null;

/** A value's place in a compiled statement: the value named `name` of row `row`. */
class Slot {
  constructor(
    readonly row: number,
    readonly name: string,
  ) {}
}

export interface Compiled {
  /** As knex sends it (PostgreSQL's placeholders numbered). */
  sql: string;
  /** The values in the statement's order: knex sorts an insert's columns, for one. */
  bindings(rows: ReadonlyArray<Readonly<Record<string, SqlValue>>>): SqlValue[];
}

function compile(knex: Knex, query: Knex.QueryBuilder | Knex.Raw): Compiled {
  const { sql, bindings } = query.toSQL();
  return {
    sql: knex.client.positionBindings(sql) as string,
    bindings: (rows) => bindings.map((b) => (b instanceof Slot ? (rows[b.row]![b.name] as SqlValue) : (b as SqlValue))),
  };
}

/** Compiled once per knex client, table names and row count. */
function memo(build: (knex: Knex, t: TableNames, rows: number) => Compiled) {
  const byClient = new WeakMap<object, WeakMap<TableNames, Map<number, Compiled>>>();
  return (knex: Knex, t: TableNames, rows: number): Compiled => {
    let byTables = byClient.get(knex.client);
    if (!byTables) byClient.set(knex.client, (byTables = new WeakMap()));
    let byRows = byTables.get(t);
    if (!byRows) byTables.set(t, (byRows = new Map()));
    let compiled = byRows.get(rows);
    if (!compiled) byRows.set(rows, (compiled = build(knex, t, rows)));
    return compiled;
  };
}

export interface Statement<V> {
  compiled(knex: Knex, t: TableNames, rows: number): Compiled;
  /** Only there to carry the type of the values. */
  readonly values?: V;
}

/** What a statement is sent with: `const row: ValuesOf<typeof INSERT> = {…}` names every column, and only those. */
export type ValuesOf<S> = S extends Statement<infer V> ? V : never;

/** A statement with named values: `v('customerId')` stands where the value goes. */
export function statement<V extends Record<string, SqlValue>>(
  build: (knex: Knex, t: TableNames, v: (name: keyof V & string) => Knex.Value) => Knex.QueryBuilder | Knex.Raw,
): Statement<V> {
  // knex takes the slot for a value and hands it back among the bindings.
  const slot = (name: string) => new Slot(0, name) as unknown as Knex.Value;
  return { compiled: memo((knex, t) => compile(knex, build(knex, t, slot))) };
}

/**
 * An insert of rows with these columns, compiled for each number of rows sent. `returning` gives
 * back the new rows' ids or whole rows where the database can (MySQL only reports the first id).
 */
export function insertStatement<C extends string>(
  table: (t: TableNames) => string,
  columns: readonly C[],
  { returning }: { returning?: 'id' | '*' } = {},
): Statement<Record<C, SqlValue>> {
  return {
    compiled: memo((knex, t, rows) => {
      const slots = Array.from({ length: rows }, (_, row) => Object.fromEntries(columns.map((c) => [c, new Slot(row, c)])));
      const query = knex(table(t)).insert(slots);
      if (returning && dialectOf(knex) !== 'mysql') query.returning(returning);
      return compile(knex, query);
    }),
  };
}
