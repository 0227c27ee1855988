import type { Knex } from 'knex';
import type { TableNames } from '../src/store/tables';
import { tableCharset } from '../src/store/dialect';

export async function up(knex: Knex, t: TableNames): Promise<void> {
  await knex.schema.createTable(t.tickets, (table) => {
    tableCharset(knex, table);
    table.increments('id').primary();
    // The number customers quote; random, so it says nothing about how many tickets exist.
    table.string('number', 12).notNullable();
    table.string('customer_id', 64).notNullable();
    table.string('customer_name', 200).notNullable();
    table.string('customer_email', 254).notNullable();
    table.string('service_id', 64).nullable();
    table.string('service_label', 200).nullable();
    table.integer('department_id').unsigned().notNullable();
    table.string('subject', 200).notNullable();
    table.string('status', 16).notNullable();
    table.string('priority', 8).notNullable();
    // Times are epoch milliseconds: the same on all three databases, and exact for keyset cursors.
    table.bigInteger('created_at').notNullable();
    table.bigInteger('updated_at').notNullable();
    table.bigInteger('last_reply_at').nullable();
    table.bigInteger('closed_at').nullable();
    table.unique(['number'], { indexName: t.key('tk_number_uq') });
    table.index(['customer_id', 'updated_at', 'id'], t.key('tk_cust_upd'));
    table.foreign('department_id', t.key('tk_dep_fk')).references('id').inTable(t.departments);
  });
}

export async function down(knex: Knex, t: TableNames): Promise<void> {
  await knex.schema.dropTable(t.tickets);
}
