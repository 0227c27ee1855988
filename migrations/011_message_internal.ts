// Internal notes are messages only staff see; a submission key makes a double-clicked reply one.
import type { Knex } from 'knex';
import type { TableNames } from '../src/store/tables';
import { dropColumns } from '../src/store/dialect';

export async function up(knex: Knex, t: TableNames): Promise<void> {
  await knex.schema.alterTable(t.messages, (table) => {
    table.smallint('internal').notNullable().defaultTo(0);
    table.string('submission_key', 64).nullable();
    table.unique(['ticket_id', 'submission_key'], { indexName: t.key('msg_sub_uq') });
  });
}

export async function down(knex: Knex, t: TableNames): Promise<void> {
  await knex.schema.alterTable(t.messages, (table) => table.dropUnique([], t.key('msg_sub_uq')));
  await dropColumns(knex, t.messages, ['internal', 'submission_key']);
}
