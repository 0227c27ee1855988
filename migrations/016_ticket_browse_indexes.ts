// Keyset pages over every status (a department's whole history, closed included), and search
// by customer e-mail, without a scan at a million tickets.
import type { Knex } from 'knex';
import type { TableNames } from '../src/store/tables';

export async function up(knex: Knex, t: TableNames): Promise<void> {
  await knex.schema.alterTable(t.tickets, (table) => {
    table.index(['department_id', 'priority_rank', 'last_customer_at', 'id'], t.key('tk_h_dep'));
    table.index(['priority_rank', 'last_customer_at', 'id'], t.key('tk_h_all'));
    table.index(['customer_email'], t.key('tk_email'));
  });
}

export async function down(knex: Knex, t: TableNames): Promise<void> {
  await knex.schema.alterTable(t.tickets, (table) => {
    table.dropIndex([], t.key('tk_h_dep'));
    table.dropIndex([], t.key('tk_h_all'));
    table.dropIndex([], t.key('tk_email'));
  });
}
