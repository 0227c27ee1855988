// The staff queue's order (priority, then the longest-waiting customer) as indexes, one for a
// department's queue and one for everything, so keyset pages never sort the whole table.
import type { Knex } from 'knex';
import type { TableNames } from '../src/store/tables';
import { dialectOf, mysqlHasIndex } from '../src/store/dialect';

export async function up(knex: Knex, t: TableNames): Promise<void> {
  await knex.schema.alterTable(t.tickets, (table) => {
    table.index(['department_id', 'is_open', 'priority_rank', 'last_customer_at', 'id'], t.key('tk_q_dep'));
    table.index(['is_open', 'priority_rank', 'last_customer_at', 'id'], t.key('tk_q_all'));
  });
}

export async function down(knex: Knex, t: TableNames): Promise<void> {
  // MySQL let tk_q_dep serve the department foreign key and dropped the key's own index; give
  // the key an index of its own again before tk_q_dep goes.
  if (dialectOf(knex) === 'mysql' && !(await mysqlHasIndex(knex, t.tickets, t.key('tk_dep_fk')))) {
    await knex.schema.alterTable(t.tickets, (table) => table.index(['department_id'], t.key('tk_dep_fk')));
  }
  await knex.schema.alterTable(t.tickets, (table) => {
    table.dropIndex([], t.key('tk_q_dep'));
    table.dropIndex([], t.key('tk_q_all'));
  });
}
