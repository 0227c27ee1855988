// Files attached to a form that came back with a problem (a missing field, the emergency
// confirmation, a reply without text): they wait here for that form's next submit, which attaches
// them, instead of being asked for again. The row ties the file to its user (the customer, or the
// staff member, whose form it is) and the form's submission key; the token is what the re-shown
// form carries. Abandoned ones are swept.
import type { Knex } from 'knex';
import { createTable, type MigrationTables } from './_shared';

export async function up(knex: Knex, t: MigrationTables): Promise<void> {
  await createTable(knex, t.pendingUploads, (table) => {
    table.increments('id').primary();
    table.string('token', 64).notNullable();
    table.string('user_id', 64).notNullable();
    table.string('submission_key', 64).notNullable();
    // Shown to people only; never part of a path.
    table.string('original_name', 255).notNullable();
    table.string('storage_key', 64).notNullable();
    table.bigInteger('size_bytes').notNullable();
    table.string('content_type', 100).notNullable();
    table.string('sha256', 64).notNullable();
    table.bigInteger('created_at').notNullable();
    table.unique(['token'], { indexName: t.key('pend_token_uq') });
    table.unique(['storage_key'], { indexName: t.key('pend_key_uq') });
    table.index(['user_id', 'submission_key'], t.key('pend_form'));
    table.index(['created_at'], t.key('pend_created'));
  });
}

export async function down(knex: Knex, t: MigrationTables): Promise<void> {
  await knex.schema.dropTable(t.pendingUploads);
}
