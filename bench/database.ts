// The database a bench runs on: DATABASE_URL (PostgreSQL or MariaDB/MySQL), or a new SQLite
// file in a temp folder, opened the way a panel runs SQLite (WAL, see bench/README.md).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import { redact } from './common';

export type DbKind = 'sqlite' | 'postgres' | 'mysql';

export interface Database {
  kind: DbKind;
  /** For the report: never contains a password. */
  description: string;
  knex: Knex;
  /** A folder to remove at the end (SQLite's), if any. */
  tempDir?: string;
}

/**
 * A panel's usual SQLite setup, as the demo opens it: WAL, so a commit is one append instead of
 * rewriting a rollback journal and readers never wait for the writer; synchronous=NORMAL, the
 * setting WAL is meant to run with (a commit is durable once the WAL is synced at a checkpoint).
 */
function sqliteWal(conn: { pragma(sql: string): unknown }, done: (err: Error | null, conn: unknown) => void): void {
  try {
    conn.pragma('journal_mode = WAL');
    conn.pragma('synchronous = NORMAL');
    done(null, conn);
  } catch (err) {
    done(err as Error, conn);
  }
}

/** `poolMax` is for PostgreSQL and MySQL; SQLite always has one connection. */
export function openDatabase(poolMax: number, tempPrefix = 'support-bench-db-'): Database {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), tempPrefix));
    const filename = path.join(tempDir, 'bench.sqlite');
    const knex = knexFactory({
      client: 'better-sqlite3',
      connection: { filename },
      useNullAsDefault: true,
      pool: { afterCreate: sqliteWal },
    });
    return { kind: 'sqlite', description: `sqlite WAL, synchronous=NORMAL (${filename})`, knex, tempDir };
  }
  const pool = { min: 0, max: poolMax };
  if (/^postgres(ql)?:\/\//i.test(url)) {
    return {
      kind: 'postgres',
      description: `postgres (${redact(url)}, pool ${pool.max})`,
      knex: knexFactory({ client: 'pg', connection: url, pool }),
    };
  }
  if (/^(mysql|mariadb):\/\//i.test(url)) {
    const uri = url.replace(/^mariadb:/i, 'mysql:');
    const connection = { uri, charset: 'utf8mb4' } as Knex.MySql2ConnectionConfig;
    return {
      kind: 'mysql',
      description: `mysql (${redact(url)}, pool ${pool.max})`,
      knex: knexFactory({ client: 'mysql2', connection, pool }),
    };
  }
  throw new Error('DATABASE_URL must be a postgres://, postgresql://, mysql:// or mariadb:// URL (or unset for SQLite)');
}

/** The WAL setting as the database reports it, to print next to the figures. */
export async function journalMode(db: Database): Promise<string | null> {
  if (db.kind !== 'sqlite') return null;
  const rows = (await db.knex.raw('PRAGMA journal_mode')) as Array<{ journal_mode: string }>;
  return rows[0]?.journal_mode ?? null;
}
