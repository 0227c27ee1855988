// Who works in which department, for hosts that do not say so themselves (HostUser.departments).
import type { Knex } from 'knex';
import { createTable, type MigrationTables } from './_shared';

export async function up(knex: Knex, t: MigrationTables): Promise<void> {
  await createTable(knex, t.departmentStaff, (table) => {
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

export async function down(knex: Knex, t: MigrationTables): Promise<void> {
  await knex.schema.dropTable(t.departmentStaff);
}
