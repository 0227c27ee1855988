// E-mails waiting to be sent. Rows are written in the same transaction as the ticket or message
// that causes them, so an e-mail exists exactly when its cause was committed.
import type { Knex } from 'knex';
import { createTable, type MigrationTables } from './_shared';

export async function up(knex: Knex, t: MigrationTables): Promise<void> {
  await createTable(knex, t.outbox, (table) => {
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
    // A JSON array of the file names sent without because they had gone from storage; null when
    // every file was attached.
    table.text('missing_files').nullable();
    table.integer('attempts').notNullable().defaultTo(0);
    table.bigInteger('next_attempt_at').notNullable();
    table.bigInteger('lease_until').nullable();
    table.text('last_error').nullable();
    // The one-time key of an admin's Retry: a double click retries once.
    table.string('retry_key', 64).nullable();
    table.bigInteger('created_at').notNullable();
    table.bigInteger('sent_at').nullable();
    // A delivery report (bounce) that came back for it: when, and a JSON array of the
    // recipients it names with their status and the server's words; null while none came.
    table.bigInteger('bounced_at').nullable();
    table.text('bounce').nullable();
    // The dispatcher's next e-mails.
    table.index(['status', 'priority', 'next_attempt_at', 'id'], t.key('ob_due'));
    table.index(['ticket_id'], t.key('ob_ticket'));
    // Sent e-mails by age, so retention deletes old ones without reading the rest.
    table.index(['status', 'sent_at'], t.key('ob_sent'));
  });
}

export async function down(knex: Knex, t: MigrationTables): Promise<void> {
  await knex.schema.dropTable(t.outbox);
}
