// Runs the plugin's own migrations against the host's database, with the plugin's own
// migrations table. Only compiled .js files are read, so a migration's recorded name is the
// same in tests and in production. Each migration receives the prefixed table names.
import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import type { TableNames } from './tables';
import { MigrationLockTimeout, withMigrationLock } from './migration-lock';

/** How long migrate() waits for another instance that is migrating the same tables. */
const MIGRATION_LOCK_WAIT_MS = 60_000;
const LOCK_POLL_MS = 250;

interface MigrationModule {
  up(knex: Knex, tables: TableNames): Promise<void>;
  down(knex: Knex, tables: TableNames): Promise<void>;
}

class PluginMigrationSource implements Knex.MigrationSource<string> {
  constructor(
    private readonly directory: string,
    private readonly tables: TableNames,
  ) {}

  async getMigrations(): Promise<string[]> {
    return fs
      .readdirSync(this.directory)
      .filter((f) => /^\d+_[\w-]+\.js$/.test(f))
      .sort();
  }

  getMigrationName(file: string): string {
    return file;
  }

  async getMigration(file: string): Promise<Knex.Migration> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a migration file is found at run time, by name
    const mod = require(path.join(this.directory, file)) as MigrationModule;
    return {
      up: (knex: Knex) => mod.up(knex, this.tables),
      down: (knex: Knex) => mod.down(knex, this.tables),
    };
  }
}

function config(directory: string, tables: TableNames): Knex.MigratorConfig {
  return { tableName: tables.migrations, migrationSource: new PluginMigrationSource(directory, tables) };
}

/**
 * Applies pending migrations. Another instance migrating the same tables is waited for, up to
 * `waitMs`; after it, nothing is left to do. knex's lock row still set after the wait means a
 * migration that crashed (or one of an instance that predates the database lock): the error says
 * how to clear it.
 */
export async function migrateLatest(knex: Knex, directory: string, tables: TableNames, waitMs = MIGRATION_LOCK_WAIT_MS): Promise<void> {
  const deadline = Date.now() + waitMs;
  await withMigrationLock(knex, `support-requests:${tables.migrations}`, waitMs, async () => {
    for (;;) {
      try {
        return await knex.migrate.latest(config(directory, tables));
      } catch (err) {
        if ((err as Error).name !== 'MigrationLocked') throw err;
        if (Date.now() >= deadline) throw staleLock(tables, waitMs);
        await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
      }
    }
  });
}

function staleLock(tables: TableNames, waitMs: number): MigrationLockTimeout {
  const lock = `${tables.migrations}_lock`;
  return new MigrationLockTimeout(
    `support-requests: the plugin's migrations have been locked for over ${Math.round(waitMs / 1000)} s (table ${lock}, is_locked = 1). ` +
      `If no other panel instance is starting, a migration was interrupted and left the lock behind: ` +
      `check that the plugin's tables are intact, run "UPDATE ${lock} SET is_locked = 0", and start the panel again.`,
  );
}

/** Undoes every migration, newest first, and drops the migrations bookkeeping tables. */
export async function migrateDownAll(knex: Knex, directory: string, tables: TableNames): Promise<void> {
  await knex.migrate.rollback(config(directory, tables), true);
  await knex.schema.dropTableIfExists(tables.migrations);
  await knex.schema.dropTableIfExists(`${tables.migrations}_lock`);
}
