// The databases the suite runs on: SQLite always; PostgreSQL and MariaDB/MySQL when their URLs
// are set. A database that is not configured is named in the output, never skipped silently.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import knexFactory, { type Knex } from 'knex';

export interface TestDatabase {
  name: 'sqlite' | 'postgres' | 'mysql';
  /** A new connection; each suite gets its own table prefix, so suites never share rows. */
  connect(): Connection;
  /** Where a server database listens (none for SQLite). */
  address?: { host: string; port: number };
}

export interface Connection {
  knex: Knex;
  /** Closes the connection and removes whatever the database kept on disk for the test. */
  release(): Promise<void>;
}

function sqlite(): TestDatabase {
  return {
    name: 'sqlite',
    connect() {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'support-sqlite-'));
      const knex = knexFactory({
        client: 'better-sqlite3',
        connection: { filename: path.join(dir, 'test.sqlite') },
        useNullAsDefault: true,
      });
      return {
        knex,
        async release() {
          await knex.destroy();
          fs.rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  };
}

/** knex's own console warnings, silenced where a test breaks the connection on purpose. */
const quiet = { warn() {}, error() {}, debug() {}, deprecate() {} };

function server(name: 'postgres' | 'mysql', url: string, log?: typeof quiet): TestDatabase {
  const parsed = new URL(url);
  return {
    name,
    address: { host: parsed.hostname, port: Number(parsed.port) || (name === 'postgres' ? 5432 : 3306) },
    connect() {
      const knex = knexFactory(
        name === 'postgres'
          ? { client: 'pg', connection: url, pool: { min: 0, max: 5 }, log }
          : {
              client: 'mysql2',
              connection: { uri: url, charset: 'utf8mb4' } as Knex.MySql2ConnectionConfig,
              pool: { min: 0, max: 5 },
              log,
            },
      );
      return { knex, release: () => knex.destroy() };
    },
  };
}

function configured(): TestDatabase[] {
  const list = [sqlite()];
  const pg = process.env.TEST_POSTGRES_URL;
  const my = process.env.TEST_MYSQL_URL;
  if (pg) list.push(server('postgres', pg));
  else console.log('NOTE: PostgreSQL suite NOT RUN: TEST_POSTGRES_URL is not set');
  if (my) list.push(server('mysql', my));
  else console.log('NOTE: MariaDB/MySQL suite NOT RUN: TEST_MYSQL_URL is not set');
  console.log(`Databases under test: ${list.map((d) => d.name).join(', ')}`);
  return list;
}

export const databases: TestDatabase[] = configured();

/** Declares the same suite once per database. */
export function forEachDatabase(title: string, suite: (db: TestDatabase) => void): void {
  for (const db of databases) describe(`${title} [${db.name}]`, () => suite(db));
}

/** The same server database reached through another local port, such as a test proxy's (whose failures are the point). */
export function throughPort(db: TestDatabase, port: number): TestDatabase {
  const url = new URL(db.name === 'postgres' ? (process.env.TEST_POSTGRES_URL as string) : (process.env.TEST_MYSQL_URL as string));
  url.hostname = '127.0.0.1';
  url.port = String(port);
  return server(db.name as 'postgres' | 'mysql', url.toString(), quiet);
}

/** Server databases only: what a network failure can happen to. */
export function forEachServerDatabase(title: string, suite: (db: TestDatabase) => void): void {
  const list = databases.filter((d) => d.name !== 'sqlite');
  if (list.length === 0) console.log(`NOTE: "${title}" NOT RUN: no server database is configured`);
  for (const db of list) describe(`${title} [${db.name}]`, () => suite(db));
}

/** A table prefix no other suite uses. */
export function uniquePrefix(): string {
  return `t${crypto.randomBytes(4).toString('hex')}_`;
}
