// Runs the plugin's own migrations against the host's database, with the plugin's own
// migrations table. Only compiled .js files are read, so a migration's recorded name is the
// same in tests and in production. Each migration receives the prefixed table names.
import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import type { TableNames } from './tables';

interface MigrationModule {
  up(knex: Knex, tables: TableNames): Promise<void>;
  down(knex: Knex, tables: TableNames): Promise<void>;
}

class PluginMigrationSource implements Knex.MigrationSource<string> {
  constructor(private readonly directory: string, private readonly tables: TableNames) {}

  async getMigrations(): Promise<string[]> {
    return fs.readdirSync(this.directory).filter((f) => /^\d+_[\w-]+\.js$/.test(f)).sort();
  }

  getMigrationName(file: string): string {
    return file;
  }

  async getMigration(file: string): Promise<Knex.Migration> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
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

export async function migrateLatest(knex: Knex, directory: string, tables: TableNames): Promise<void> {
  await knex.migrate.latest(config(directory, tables));
}

/** Undoes every migration, newest first, and drops the migrations bookkeeping tables. */
export async function migrateDownAll(knex: Knex, directory: string, tables: TableNames): Promise<void> {
  await knex.migrate.rollback(config(directory, tables), true);
  await knex.schema.dropTableIfExists(tables.migrations);
  await knex.schema.dropTableIfExists(`${tables.migrations}_lock`);
}
