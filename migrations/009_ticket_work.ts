// What staff work with on a ticket: who has it, how urgent it is as a sortable number, when the
// customer last wrote (the queue's "waiting" clock), whether it is open, and the service's kind.
import type { Knex } from 'knex';
import type { TableNames } from '../src/store/tables';
import { dropColumns } from '../src/store/dialect';

export async function up(knex: Knex, t: TableNames): Promise<void> {
  await knex.schema.alterTable(t.tickets, (table) => {
    table.string('assignee_id', 64).nullable();
    table.string('assignee_name', 200).nullable();
    // 0 urgent, 1 high, 2 normal, 3 low: the queue sorts on it.
    table.smallint('priority_rank').notNullable().defaultTo(2);
    table.bigInteger('last_customer_at').notNullable().defaultTo(0);
    table.smallint('is_open').notNullable().defaultTo(1);
    table.string('service_kind', 32).nullable();
  });
  await knex(t.tickets).update({ last_customer_at: knex.ref('created_at') });
  await knex(t.tickets).where('status', 'closed').update({ is_open: 0 });
  await knex(t.tickets).where('priority', 'urgent').update({ priority_rank: 0 });
}

export async function down(knex: Knex, t: TableNames): Promise<void> {
  await dropColumns(knex, t.tickets, ['assignee_id', 'assignee_name', 'priority_rank', 'last_customer_at', 'is_open', 'service_kind']);
}
