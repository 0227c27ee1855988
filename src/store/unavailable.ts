// Which failures mean "the database is not there right now" (down, unreachable, out of
// connections or disk) rather than a fault in the request or the code. Those answer 503 and
// "try again in a minute"; a change they interrupted may or may not have committed.

/** Node socket errors seen when a database cannot be reached or drops the connection. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/** MariaDB/MySQL: connection lost, server going away or full, too many connections. */
const MYSQL_CODES = new Set([
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'ER_TOO_MANY_USER_CONNECTIONS',
  'ER_SERVER_SHUTDOWN',
  'ER_DISK_FULL',
  'ER_RECORD_FILE_FULL',
  'ER_OUT_OF_RESOURCES',
  'ER_ERROR_ON_WRITE',
  'ER_LOCK_WAIT_TIMEOUT',
]);

/** SQLite: busy past its timeout, disk full, I/O failure, file not openable. */
const SQLITE_CODE = /^SQLITE_(BUSY|LOCKED|FULL|IOERR|CANTOPEN|NOMEM)/;

/** PostgreSQL SQLSTATE: 08 connection exception, 53 insufficient resources (disk full, too many connections), 57P01–03 shutting down or starting. */
const POSTGRES_STATE = /^(08...|53...|57P0[123])$/;

/** node-postgres reports a dropped connection by message only. */
const POSTGRES_MESSAGE = /^Connection terminated|Client has encountered a connection error|Connection terminated unexpectedly/;

export function isDatabaseUnavailable(err: unknown): boolean {
  for (
    let e = err as { code?: unknown; name?: unknown; message?: unknown; cause?: unknown } | null, depth = 0;
    e && depth < 4;
    e = e.cause as typeof e, depth++
  ) {
    const code = typeof e.code === 'string' ? e.code : '';
    // knex's pool gave up waiting for a connection.
    if (e.name === 'KnexTimeoutError') return true;
    if (SOCKET_CODES.has(code) || MYSQL_CODES.has(code) || SQLITE_CODE.test(code) || POSTGRES_STATE.test(code)) return true;
    if (typeof e.message === 'string' && POSTGRES_MESSAGE.test(e.message)) return true;
  }
  return false;
}
