// The audit trail: every change staff make to a ticket, with who and when.
import type { Knex } from 'knex';
import { createTable, type MigrationTables } from './_shared';

export async function up(knex: Knex, t: MigrationTables): Promise<void> {
  await createTable(knex, t.events, (table) => {
    table.increments('id').primary();
    table.integer('ticket_id').unsigned().notNullable();
    table.string('actor_id', 64).notNullable();
    table.string('actor_name', 200).notNullable();
    table.string('action', 32).notNullable();
    // JSON: the values before and after, a transfer's reason.
    table.text('detail').notNullable();
    // The transfer form's one-time key: a double click transfers (and e-mails) once.
    table.string('submission_key', 64).nullable();
    table.bigInteger('created_at').notNullable();
    table.index(['ticket_id', 'id'], t.key('ev_ticket'));
    table.unique(['ticket_id', 'submission_key'], { indexName: t.key('ev_sub_uq') });
    table.foreign('ticket_id', t.key('ev_ticket_fk')).references('id').inTable(t.tickets).onDelete('CASCADE');
  });
}

export async function down(knex: Knex, t: MigrationTables): Promise<void> {
  await knex.schema.dropTable(t.events);
}
