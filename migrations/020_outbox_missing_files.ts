// The files an e-mail was sent without because they had gone from storage, for the admin page.
import type { Knex } from 'knex';
import type { TableNames } from '../src/store/tables';
import { dropColumns } from '../src/store/dialect';

export async function up(knex: Knex, t: TableNames): Promise<void> {
  await knex.schema.alterTable(t.outbox, (table) => {
    // A JSON array of file names; null when every file was attached.
    table.text('missing_files').nullable();
  });
}

export async function down(knex: Knex, t: TableNames): Promise<void> {
  await dropColumns(knex, t.outbox, ['missing_files']);
}
