// The subject, folded for case-insensitive search in any alphabet on every database, filled in
// for existing tickets a chunk at a time.
import type { Knex } from 'knex';
import type { TableNames } from '../src/store/tables';
import { foldForSearch } from '../src/store/search-text';

const CHUNK = 500;

export async function up(knex: Knex, t: TableNames): Promise<void> {
  await knex.schema.alterTable(t.tickets, (table) => {
    table.string('subject_search', 255).nullable();
  });
  for (;;) {
    const rows = (await knex(t.tickets).whereNull('subject_search').orderBy('id').limit(CHUNK).select('id', 'subject')) as Array<{ id: number; subject: string }>;
    if (rows.length === 0) break;
    await knex.transaction(async (trx) => {
      for (const row of rows) await trx(t.tickets).where('id', row.id).update({ subject_search: foldForSearch(row.subject) });
    });
  }
}

export async function down(knex: Knex, t: TableNames): Promise<void> {
  await knex.schema.alterTable(t.tickets, (table) => {
    table.dropColumn('subject_search');
  });
}
