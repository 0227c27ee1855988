// The audit trail: every change staff make to a ticket, with who and when.
import type { Knex } from 'knex';
import type { TableNames } from '../src/store/tables';
import { tableCharset } from '../src/store/dialect';

export async function up(knex: Knex, t: TableNames): Promise<void> {
  await knex.schema.createTable(t.events, (table) => {
    tableCharset(knex, table);
    table.increments('id').primary();
    table.integer('ticket_id').unsigned().notNullable();
    table.string('actor_id', 64).notNullable();
    table.string('actor_name', 200).notNullable();
    table.string('action', 32).notNullable();
    // JSON: the values before and after, a transfer's reason.
    table.text('detail').notNullable();
    table.bigInteger('created_at').notNullable();
    table.index(['ticket_id', 'id'], t.key('ev_ticket'));
    table.foreign('ticket_id', t.key('ev_ticket_fk')).references('id').inTable(t.tickets).onDelete('CASCADE');
  });
}

export async function down(knex: Knex, t: TableNames): Promise<void> {
  await knex.schema.dropTable(t.events);
}
