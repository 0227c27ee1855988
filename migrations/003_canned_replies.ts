// Canned replies: a department's ready answers, which staff insert into a reply and edit.
import type { Knex } from 'knex';
import { createTable, type MigrationTables } from './_shared';

export async function up(knex: Knex, t: MigrationTables): Promise<void> {
  await createTable(knex, t.cannedReplies, (table) => {
    table.increments('id').primary();
    table.integer('department_id').unsigned().notNullable();
    table.string('title', 120).notNullable(); // LIMITS.cannedTitle in src/domain/field-rules.ts
    table.text('body').notNullable();
    // The reply's language, shown next to its title; null when it suits either.
    table.string('locale', 8).nullable();
    table.bigInteger('created_at').notNullable();
    table.bigInteger('updated_at').notNullable();
    table.index(['department_id', 'title'], t.key('cr_dep_title'));
    table.foreign('department_id', t.key('cr_dep_fk')).references('id').inTable(t.departments).onDelete('CASCADE');
  });
}

export async function down(knex: Knex, t: MigrationTables): Promise<void> {
  await knex.schema.dropTable(t.cannedReplies);
}
