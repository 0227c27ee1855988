// A ticket's messages: the customer's and staff's replies, and internal notes only staff see.
import type { Knex } from 'knex';
import { createTable, type MigrationTables } from './_shared';

export async function up(knex: Knex, t: MigrationTables): Promise<void> {
  await createTable(knex, t.messages, (table) => {
    table.increments('id').primary();
    table.integer('ticket_id').unsigned().notNullable();
    table.string('author_kind', 16).notNullable();
    table.string('author_id', 64).notNullable();
    table.string('author_name', 200).notNullable();
    // 1 for an internal note.
    table.smallint('internal').notNullable().defaultTo(0);
    // mediumtext on MySQL: 20,000 characters of 4-byte UTF-8 do not fit TEXT's 64 KB.
    table.text('body', 'mediumtext').notNullable();
    // The reply form's one-time key: a double-clicked reply is one.
    table.string('submission_key', 64).nullable();
    table.bigInteger('created_at').notNullable();
    table.index(['ticket_id', 'id'], t.key('msg_ticket'));
    table.unique(['ticket_id', 'submission_key'], { indexName: t.key('msg_sub_uq') });
    table.foreign('ticket_id', t.key('msg_ticket_fk')).references('id').inTable(t.tickets).onDelete('CASCADE');
  });
}

export async function down(knex: Knex, t: MigrationTables): Promise<void> {
  await knex.schema.dropTable(t.messages);
}
