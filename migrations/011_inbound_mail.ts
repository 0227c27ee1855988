// Every message the intake took into a request or held for an admin, with its original kept in
// file storage for staff to read. Noise (auto-replies, our own mail coming back) and delivery
// reports are not kept here.
import type { Knex } from 'knex';
import { createTable, type MigrationTables } from './_shared';

export async function up(knex: Knex, t: MigrationTables): Promise<void> {
  await createTable(knex, t.inboundMail, (table) => {
    table.increments('id').primary();
    table.bigInteger('received_at').notNullable();
    // imap, pipe, smtp or api; and the configured mailbox it was read from.
    table.string('source', 16).notNullable();
    table.string('mailbox', 32).nullable();
    // The message's own Message-ID header, as sent; null when it had none.
    table.string('mail_message_id', 255).nullable();
    // SHA-256 of the Message-ID (or of the whole message without one) and the request it went
    // to: the same message delivered twice is taken once per request.
    table.string('dedupe_key', 64).notNullable();
    table.string('from_address', 255).notNullable();
    table.string('from_name', 255).notNullable();
    table.string('subject', 255).notNullable();
    // The original, as received, in file storage.
    table.string('raw_key', 64).notNullable();
    table.bigInteger('raw_size').notNullable();
    // What the receiving server's Authentication-Results said: pass, fail or none.
    table.string('auth_verdict', 16).notNullable();
    // stored, opened, held or discarded.
    table.string('status', 16).notNullable();
    // Why it was held, as a code the admin page explains, and any detail for that page.
    table.string('reason', 32).nullable();
    table.text('detail').nullable();
    table.integer('ticket_id').unsigned().nullable();
    table.integer('message_id').unsigned().nullable();
    // Who attached, opened or discarded a held message, and when.
    table.string('handled_by', 255).nullable();
    table.bigInteger('handled_at').nullable();
    table.unique(['dedupe_key'], { indexName: t.key('in_dedupe_uq') });
    // The held list and its purge, newest first.
    table.index(['status', 'received_at'], t.key('in_status'));
    // One sender's messages in the last hour.
    table.index(['from_address', 'received_at'], t.key('in_from'));
    // The original of a message in a thread.
    table.index(['message_id'], t.key('in_message'));
  });
}

export async function down(knex: Knex, t: MigrationTables): Promise<void> {
  await knex.schema.dropTable(t.inboundMail);
}
