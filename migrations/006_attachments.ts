// Files attached to a message. The bytes are on disk under storage_key; the row says what they are.
import type { Knex } from 'knex';
import { createTable, type MigrationTables } from './_shared';

export async function up(knex: Knex, t: MigrationTables): Promise<void> {
  await createTable(knex, t.attachments, (table) => {
    table.increments('id').primary();
    table.integer('message_id').unsigned().notNullable();
    // Kept beside message_id so a download checks its ticket's owner in one lookup.
    table.integer('ticket_id').unsigned().notNullable();
    // Shown to people only; never part of a path.
    table.string('original_name', 255).notNullable();
    table.string('storage_key', 64).notNullable();
    table.bigInteger('size_bytes').notNullable();
    table.string('content_type', 100).notNullable();
    table.string('sha256', 64).notNullable();
    table.bigInteger('created_at').notNullable();
    table.unique(['storage_key'], { indexName: t.key('att_key_uq') });
    table.index(['message_id'], t.key('att_msg'));
    table.index(['ticket_id'], t.key('att_ticket'));
    table.foreign('message_id', t.key('att_msg_fk')).references('id').inTable(t.messages).onDelete('CASCADE');
    table.foreign('ticket_id', t.key('att_tk_fk')).references('id').inTable(t.tickets).onDelete('CASCADE');
  });
}

export async function down(knex: Knex, t: MigrationTables): Promise<void> {
  await knex.schema.dropTable(t.attachments);
}
