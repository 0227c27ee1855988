// Sends statements compiled once (store/compiled.ts), and a transaction's BEGIN and COMMIT, on the
// connection a knex stands for: a store transaction's (store/bound-knex.ts) or, for the host's
// knex, one taken from its pool for the statement. PostgreSQL and MariaDB/MySQL go through knex's
// client.query, which fires knex's 'query' event (and 'query-error') as for any statement; the
// 'query-response' that knex's runner would add follows here. Why: knex.raw's raw and runner
// objects cost ~10–40 µs of CPU per statement besides the driver's work (measured).
//
// SQLite sends its statements itself, each prepared once per connection and kept, and fires the
// same three events: knex prepares every statement anew, and on SQLite, whose own work is small,
// that was ~20–40 µs of a statement's cost (the create's 6 statements: ~280–470 µs of CPU through
// client.query, ~150–260 µs with prepared statements kept).
import type { Knex } from 'knex';
import type { TableNames } from './tables';
import type { Compiled, SqlValue, Statement } from './compiled';
import { connectionOf, type PooledConnection } from './bound-knex';
import { dialectOf, num, type Dialect } from './dialect';

type Row = Record<string, unknown>;

export interface Outcome {
  /** Rows a read or a RETURNING gave back. */
  rows: Row[];
  /** Rows a write changed. */
  changes: number;
  /** The id an insert made, where the database reports it without RETURNING (MySQL's first). */
  insertId: number | null;
}

/** The id of the row an insert made. */
export function insertedId(outcome: Outcome): number {
  return outcome.insertId ?? num(outcome.rows[0]?.id);
}

/** Compiled statements run on the connection `knex` stands for. */
export function sqlOn(knex: Knex, t: TableNames) {
  const dialect = dialectOf(knex);
  const run = (compiled: Compiled, rows: ReadonlyArray<Record<string, SqlValue>>) =>
    send(knex, dialect, compiled.sql, compiled.bindings(rows));
  return {
    run: <V>(statement: Statement<V>, values: NoInfer<V>) => run(statement.compiled(knex, t, 1), [values as Record<string, SqlValue>]),
    /** An insert of one or more rows (insertStatement). */
    insert: <V>(statement: Statement<V>, rows: NoInfer<V>[]) =>
      run(statement.compiled(knex, t, rows.length), rows as Record<string, SqlValue>[]),
  };
}

async function send(knex: Knex, dialect: Dialect, sql: string, bindings: SqlValue[]): Promise<Outcome> {
  const held = connectionOf(knex);
  if (held) return sendOn(knex.client, dialect, held, sql, bindings);
  const connection = (await knex.client.acquireConnection()) as PooledConnection;
  try {
    return await sendOn(knex.client, dialect, connection, sql, bindings);
  } finally {
    await knex.client.releaseConnection(connection);
  }
}

let queryCount = 0;

/** One statement on a connection the caller holds. */
export async function sendOn(
  client: Knex.Client,
  dialect: Dialect,
  connection: PooledConnection,
  sql: string,
  bindings: SqlValue[],
): Promise<Outcome> {
  const query = { method: 'raw', sql, bindings, options: {}, __knexQueryUid: `support-requests-${++queryCount}` };
  const marked = () => ({ __knexUid: connection.__knexUid, __knexTxId: connection.__knexTxId, ...query });
  if (dialect === 'sqlite') return sendSqlite(client, connection as SqliteConnection, query, marked);
  const { response } = (await client.query(connection, query)) as { response: unknown };
  client.emit('query-response', response, marked());
  return dialect === 'postgres' ? postgresOutcome(response as PgResult) : mysqlOutcome(response as MysqlResponse);
}

interface PgResult {
  command: string;
  rowCount: number | null;
  rows: Row[];
}

function postgresOutcome(result: PgResult): Outcome {
  return { rows: result.rows, changes: result.command === 'SELECT' ? 0 : (result.rowCount ?? 0), insertId: null };
}

type MysqlResponse = [Row[] | { affectedRows: number; insertId: number }, unknown];

function mysqlOutcome([result]: MysqlResponse): Outcome {
  if (Array.isArray(result)) return { rows: result, changes: 0, insertId: null };
  return { rows: [], changes: result.affectedRows, insertId: result.insertId };
}

/** The part of better-sqlite3 used here. */
interface SqliteStatement {
  reader: boolean;
  all(bindings: SqlValue[]): Row[];
  run(bindings: SqlValue[]): { changes: number };
}
interface SqliteConnection extends PooledConnection {
  prepare(sql: string): SqliteStatement;
}

/** Per connection: its prepared statements by SQL. Only compiled statements come here, so the list stays short. */
const prepared = new WeakMap<SqliteConnection, Map<string, SqliteStatement>>();

function preparedOn(connection: SqliteConnection, sql: string): SqliteStatement {
  let statements = prepared.get(connection);
  if (!statements) prepared.set(connection, (statements = new Map()));
  let statement = statements.get(sql);
  if (!statement) statements.set(sql, (statement = connection.prepare(sql)));
  return statement;
}

async function sendSqlite(
  client: Knex.Client,
  connection: SqliteConnection,
  query: { sql: string; bindings: SqlValue[] },
  marked: () => object,
): Promise<Outcome> {
  client.emit('query', marked());
  let outcome: Outcome;
  try {
    const statement = preparedOn(connection, query.sql);
    if (statement.reader) {
      outcome = { rows: statement.all(query.bindings), changes: 0, insertId: null };
    } else {
      outcome = { rows: [], changes: statement.run(query.bindings).changes, insertId: null };
    }
  } catch (err) {
    // As knex words a failed statement's error: the statement with its values, then the cause.
    if (err instanceof Error) err.message = `${client.raw(query.sql, query.bindings).toQuery()} - ${err.message}`;
    client.emit('query-error', err, marked());
    throw err;
  }
  client.emit('query-response', outcome.rows, marked());
  return outcome;
}
