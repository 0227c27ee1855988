// The emergency escalation steps paged for each urgent request: one row per (request, step), made
// in the same transaction as the page's e-mail, so a step is paged at most once however many
// panel instances look at the request.
import type { Knex } from 'knex';
import { createTable, type MigrationTables } from './_shared';

export async function up(knex: Knex, t: MigrationTables): Promise<void> {
  await createTable(knex, t.escalationPages, (table) => {
    table.increments('id').primary();
    table.integer('ticket_id').unsigned().notNullable();
    // 1 for the department's first step, 2 for the next...
    table.smallint('step').notNullable();
    table.bigInteger('paged_at').notNullable();
    table.unique(['ticket_id', 'step'], { indexName: t.key('ep_step_uq') });
    table.foreign('ticket_id', t.key('ep_ticket_fk')).references('id').inTable(t.tickets).onDelete('CASCADE');
  });
}

export async function down(knex: Knex, t: MigrationTables): Promise<void> {
  await knex.schema.dropTable(t.escalationPages);
}
