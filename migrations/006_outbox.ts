// E-mails waiting to be sent. Rows are written in the same transaction as the ticket or message
// that causes them, so an e-mail exists exactly when its cause was committed.
import type { Knex } from 'knex';
import type { TableNames } from '../src/store/tables';
import { tableCharset } from '../src/store/dialect';

export async function up(knex: Knex, t: TableNames): Promise<void> {
  await knex.schema.createTable(t.outbox, (table) => {
    tableCharset(knex, table);
    table.increments('id').primary();
    table.integer('ticket_id').unsigned().nullable();
    table.string('ticket_number', 12).nullable();
    table.string('kind', 32).notNullable();
    // Lower goes first: urgent mail overtakes mail that was queued earlier.
    table.integer('priority').notNullable();
    table.string('status', 16).notNullable();
    // Fixed before the first attempt, so a re-send after a crash carries the same id.
    table.string('message_id', 255).notNullable();
    table.text('envelope', 'mediumtext').notNullable();
    table.integer('attempts').notNullable().defaultTo(0);
    table.bigInteger('next_attempt_at').notNullable();
    table.bigInteger('lease_until').nullable();
    table.text('last_error').nullable();
    table.bigInteger('created_at').notNullable();
    table.bigInteger('sent_at').nullable();
    table.index(['status', 'priority', 'next_attempt_at', 'id'], t.key('ob_due'));
    table.index(['ticket_id'], t.key('ob_ticket'));
  });
}

export async function down(knex: Knex, t: TableNames): Promise<void> {
  await knex.schema.dropTable(t.outbox);
}
