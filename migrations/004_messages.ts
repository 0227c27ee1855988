import type { Knex } from 'knex';
import type { TableNames } from '../src/store/tables';
import { tableCharset } from '../src/store/dialect';

export async function up(knex: Knex, t: TableNames): Promise<void> {
  await knex.schema.createTable(t.messages, (table) => {
    tableCharset(knex, table);
    table.increments('id').primary();
    table.integer('ticket_id').unsigned().notNullable();
    table.string('author_kind', 16).notNullable();
    table.string('author_id', 64).notNullable();
    table.string('author_name', 200).notNullable();
    // mediumtext on MySQL: 20,000 characters of 4-byte UTF-8 do not fit TEXT's 64 KB.
    table.text('body', 'mediumtext').notNullable();
    table.bigInteger('created_at').notNullable();
    table.index(['ticket_id', 'id'], t.key('msg_ticket'));
    table.foreign('ticket_id', t.key('msg_ticket_fk')).references('id').inTable(t.tickets).onDelete('CASCADE');
  });
}

export async function down(knex: Knex, t: TableNames): Promise<void> {
  await knex.schema.dropTable(t.messages);
}
