// Background jobs (auto-close, retention, the orphan sweep...) share one schedule across every
// instance on this database: a row per job with its next due time and the lease of the run
// that holds it, so one instance at a time runs a job.
import type { Knex } from 'knex';
import { createTable, type MigrationTables } from './_shared';

export async function up(knex: Knex, t: MigrationTables): Promise<void> {
  await createTable(knex, t.jobLeases, (table) => {
    table.string('name', 100).notNullable().primary();
    table.bigInteger('due_at').notNullable();
    // When the last run began: a start that asks for a run is satisfied by one that began since.
    table.bigInteger('last_started_at').nullable();
    // The run holding the job, and when its lease ends unless renewed; both null when free.
    table.string('lease_ticket', 64).nullable();
    table.bigInteger('lease_until').nullable();
  });
}

export async function down(knex: Knex, t: MigrationTables): Promise<void> {
  await knex.schema.dropTable(t.jobLeases);
}
