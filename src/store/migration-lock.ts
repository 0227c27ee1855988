// Two panel instances may start at the same moment with migrations pending. knex's own lock (a
// row in <migrations>_lock) makes the second one fail at once with "Migration table is already
// locked", and two instances creating knex's bookkeeping tables at once can collide too. So the
// whole migration runs under a database lock that waits: PostgreSQL's advisory lock, MariaDB's
// GET_LOCK. Both belong to a connection, so they go away with a process that dies. SQLite has no
// such lock: instances in one process take turns, and the caller waits out knex's lock row.
import type { Knex } from 'knex';
import { dialectOf } from './dialect';

/** Raised when another instance held the lock longer than the wait allows. */
export class MigrationLockTimeout extends Error {
  override name = 'MigrationLockTimeout';
}

const POLL_MS = 250;

/**
 * Runs `work` while holding the database lock named `name`, waiting up to `waitMs` for it. The
 * lock lives on a connection of its own, so the work needs a second one from the pool; with a
 * pool of one (or on SQLite) the work runs unguarded and knex's lock row is the only guard.
 */
export async function withMigrationLock<T>(knex: Knex, name: string, waitMs: number, work: () => Promise<T>): Promise<T> {
  // Instances in one process (sharing a SQLite file, say) take turns here first.
  const turns = inProcessTurns.get(knex) ?? new Map<string, Promise<unknown>>();
  inProcessTurns.set(knex, turns);
  const before = turns.get(name) ?? Promise.resolve();
  const started = Date.now();
  const mine = bounded(before, waitMs, () => timeout(name, waitMs)).then(() =>
    withDatabaseLock(knex, name, waitMs - (Date.now() - started), work),
  );
  turns.set(name, mine);
  try {
    return await mine;
  } finally {
    if (turns.get(name) === mine) turns.delete(name);
  }
}

const inProcessTurns = new WeakMap<Knex, Map<string, Promise<unknown>>>();

/** Waits for `turn` to settle, failed or not, for up to `ms`; then rejects with `onTimeout()`. */
async function bounded(turn: Promise<unknown>, ms: number, onTimeout: () => Error): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(onTimeout()), ms)));
  try {
    await Promise.race([
      turn.then(
        () => {},
        () => {},
      ),
      expired,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

async function withDatabaseLock<T>(knex: Knex, name: string, waitMs: number, work: () => Promise<T>): Promise<T> {
  const dialect = dialectOf(knex);
  const poolMax = (knex.client.pool as { max?: number } | undefined)?.max ?? 1;
  if (dialect === 'sqlite' || poolMax < 2) return work();
  const connection = await knex.client.acquireConnection();
  try {
    await acquire(knex, connection, dialect, name, waitMs);
    try {
      return await work();
    } finally {
      await release(knex, connection, dialect, name);
    }
  } finally {
    await knex.client.releaseConnection(connection);
  }
}

async function acquire(knex: Knex, connection: unknown, dialect: 'postgres' | 'mysql', name: string, waitMs: number): Promise<void> {
  if (dialect === 'mysql') {
    // GET_LOCK waits by itself, in whole seconds; 1 = held, 0 = timed out.
    const [rows] = await knex.raw('select get_lock(?, ?) as held', [name, Math.max(1, Math.ceil(waitMs / 1000))]).connection(connection);
    if (Number((rows as Array<{ held: unknown }>)[0]?.held) !== 1) throw timeout(name, waitMs);
    return;
  }
  const deadline = Date.now() + waitMs;
  for (;;) {
    const result = await knex.raw('select pg_try_advisory_lock(hashtext(?)) as held', [name]).connection(connection);
    if ((result.rows as Array<{ held: boolean }>)[0]?.held) return;
    if (Date.now() >= deadline) throw timeout(name, waitMs);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

async function release(knex: Knex, connection: unknown, dialect: 'postgres' | 'mysql', name: string): Promise<void> {
  const sql = dialect === 'mysql' ? 'select release_lock(?)' : 'select pg_advisory_unlock(hashtext(?))';
  await knex.raw(sql, [name]).connection(connection);
}

function timeout(name: string, waitMs: number): MigrationLockTimeout {
  return new MigrationLockTimeout(
    `support-requests: another panel instance has been migrating the plugin's tables for over ${Math.round(waitMs / 1000)} s (database lock "${name}"); start this one again when it has finished`,
  );
}
