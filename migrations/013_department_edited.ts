// Departments remember when an admin last saved them on the Departments page: from then on the
// page, not settings.departments, decides their addresses, language and urgency.
import type { Knex } from 'knex';
import type { TableNames } from '../src/store/tables';
import { dropColumns } from '../src/store/dialect';

export async function up(knex: Knex, t: TableNames): Promise<void> {
  await knex.schema.alterTable(t.departments, (table) => {
    table.bigInteger('edited_at').nullable();
  });
}

export async function down(knex: Knex, t: TableNames): Promise<void> {
  await dropColumns(knex, t.departments, ['edited_at']);
}
