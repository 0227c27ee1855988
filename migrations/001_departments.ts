import type { Knex } from 'knex';
import type { TableNames } from '../src/store/tables';
import { tableCharset } from '../src/store/dialect';

export async function up(knex: Knex, t: TableNames): Promise<void> {
  await knex.schema.createTable(t.departments, (table) => {
    tableCharset(knex, table);
    table.increments('id').primary();
    table.string('code', 32).notNullable();
    table.string('name_ru', 100).notNullable();
    table.string('name_en', 100).notNullable();
    table.text('guidance_ru').notNullable();
    table.text('guidance_en').notNullable();
    // JSON array of addresses, filled from settings.departments.<code>.emails.
    table.string('emails', 2000).notNullable().defaultTo('[]');
    table.boolean('is_urgent').notNullable().defaultTo(false);
    table.boolean('is_active').notNullable().defaultTo(true);
    table.integer('sort_order').notNullable().defaultTo(0);
    table.unique(['code'], { indexName: t.key('dep_code_uq') });
  });
}

export async function down(knex: Knex, t: TableNames): Promise<void> {
  await knex.schema.dropTable(t.departments);
}
