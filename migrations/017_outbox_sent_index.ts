// Finding sent e-mails by age, so the retention chore deletes old ones without reading the rest.
import type { Knex } from 'knex';
import type { TableNames } from '../src/store/tables';

export async function up(knex: Knex, t: TableNames): Promise<void> {
  await knex.schema.alterTable(t.outbox, (table) => {
    table.index(['status', 'sent_at'], t.key('ob_sent'));
  });
}

export async function down(knex: Knex, t: TableNames): Promise<void> {
  await knex.schema.alterTable(t.outbox, (table) => {
    table.dropIndex([], t.key('ob_sent'));
  });
}
