// Service-level warnings already sent: one row per ticket, due time and kind ('warn' before the
// breach, 'breach' at it), written in the same transaction as the warning's outbox row, so two
// instances or a restart never send one twice. A new due time (after a reply) is a new breach.
import type { Knex } from 'knex';
import { createTable, type MigrationTables } from './_shared';

export async function up(knex: Knex, t: MigrationTables): Promise<void> {
  await createTable(knex, t.slaWarnings, (table) => {
    table.integer('ticket_id').unsigned().notNullable();
    table.bigInteger('due_at').notNullable();
    table.string('kind', 8).notNullable();
    table.bigInteger('sent_at').notNullable();
    table.unique(['ticket_id', 'due_at', 'kind'], { indexName: t.key('slaw_uq') });
    table.foreign('ticket_id', t.key('slaw_tk_fk')).references('id').inTable(t.tickets);
  });
}

export async function down(knex: Knex, t: MigrationTables): Promise<void> {
  await knex.schema.dropTable(t.slaWarnings);
}
