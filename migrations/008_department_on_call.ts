// Departments get on-call addresses (urgent mail also goes there) and a language for their mail.
import type { Knex } from 'knex';
import type { TableNames } from '../src/store/tables';
import { dropColumns } from '../src/store/dialect';

export async function up(knex: Knex, t: TableNames): Promise<void> {
  await knex.schema.alterTable(t.departments, (table) => {
    table.string('on_call_emails', 2000).notNullable().defaultTo('[]');
    table.string('mail_locale', 8).nullable();
  });
}

export async function down(knex: Knex, t: TableNames): Promise<void> {
  await dropColumns(knex, t.departments, ['on_call_emails', 'mail_locale']);
}
