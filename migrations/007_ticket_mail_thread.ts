// What a ticket's e-mails need: the customer's language for their mail, and the Message-ID of
// the ticket's first e-mail, which every later e-mail of the ticket refers to.
import type { Knex } from 'knex';
import type { TableNames } from '../src/store/tables';
import { dropColumns } from '../src/store/dialect';

export async function up(knex: Knex, t: TableNames): Promise<void> {
  await knex.schema.alterTable(t.tickets, (table) => {
    table.string('customer_locale', 8).nullable();
    table.string('thread_message_id', 255).nullable();
  });
}

export async function down(knex: Knex, t: TableNames): Promise<void> {
  await dropColumns(knex, t.tickets, ['customer_locale', 'thread_message_id']);
}
