// One row per customer, locked while their new request is counted against the hourly limit, so
// the limit is counted by one request at a time. Made on a customer's first request.
import type { Knex } from 'knex';
import { createTable, type MigrationTables } from './_shared';

export async function up(knex: Knex, t: MigrationTables): Promise<void> {
  await createTable(knex, t.customerGates, (table) => {
    table.string('customer_id', 64).notNullable().primary();
    table.bigInteger('locked_at').notNullable();
  });
}

export async function down(knex: Knex, t: MigrationTables): Promise<void> {
  await knex.schema.dropTable(t.customerGates);
}
