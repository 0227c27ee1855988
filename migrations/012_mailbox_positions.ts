// Where each IMAP reader stands in its mailbox: the folder's UIDVALIDITY and the highest UID
// taken, so a restart neither skips nor repeats mail.
import type { Knex } from 'knex';
import { createTable, type MigrationTables } from './_shared';

export async function up(knex: Knex, t: MigrationTables): Promise<void> {
  await createTable(knex, t.mailboxPositions, (table) => {
    table.string('mailbox', 32).notNullable().primary();
    table.string('uid_validity', 32).notNullable();
    table.bigInteger('last_uid').notNullable();
    table.bigInteger('updated_at').notNullable();
  });
}

export async function down(knex: Knex, t: MigrationTables): Promise<void> {
  await knex.schema.dropTable(t.mailboxPositions);
}
