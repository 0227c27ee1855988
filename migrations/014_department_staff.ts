// Who works in which department, for hosts that do not say so themselves (HostUser.departments).
import type { Knex } from 'knex';
import type { TableNames } from '../src/store/tables';
import { tableCharset } from '../src/store/dialect';

export async function up(knex: Knex, t: TableNames): Promise<void> {
  await knex.schema.createTable(t.departmentStaff, (table) => {
    tableCharset(knex, table);
    table.increments('id').primary();
    table.integer('department_id').unsigned().notNullable();
    // The host's user id, as HostUser.id gives it.
    table.string('user_id', 64).notNullable();
    table.string('name', 200).notNullable();
    table.string('email', 254).notNullable();
    table.unique(['department_id', 'user_id'], { indexName: t.key('ds_dep_user_uq') });
    table.index(['user_id'], t.key('ds_user'));
    table.foreign('department_id', t.key('ds_dep_fk')).references('id').inTable(t.departments).onDelete('CASCADE');
  });
}

export async function down(knex: Knex, t: TableNames): Promise<void> {
  await knex.schema.dropTable(t.departmentStaff);
}
