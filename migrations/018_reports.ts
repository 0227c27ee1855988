// What the admin's reports read (src/model/reports.ts): a fact per request for its first answer,
// first resolution and first transfer; each day's sums per department and staff member; which
// days are summed, for which time zone; the open backlog as last counted. And tickets by
// opening time, to count a day's openings.
import type { Knex } from 'knex';
import { createTable, type MigrationTables } from './_shared';

export async function up(knex: Knex, t: MigrationTables): Promise<void> {
  await createTable(knex, t.reportFacts, (table) => {
    table.increments('id');
    table.integer('ticket_id').unsigned().notNullable();
    table.string('kind', 16).notNullable();
    table.bigInteger('at').notNullable();
    table.integer('department_id').unsigned().notNullable();
    table.string('staff_id', 64).nullable();
    table.string('staff_name', 200).nullable();
    table.integer('minutes').nullable();
    table.integer('target_minutes').nullable();
    table.boolean('met').nullable();
    table.unique(['ticket_id', 'kind'], { indexName: t.key('rf_kind_uq') });
    table.index(['at'], t.key('rf_at'));
    table.foreign('ticket_id', t.key('rf_tk_fk')).references('id').inTable(t.tickets).onDelete('CASCADE');
  });
  await createTable(knex, t.reportDays, (table) => {
    table.string('day', 10).notNullable();
    table.integer('department_id').unsigned().notNullable();
    // '' for the department's own row.
    table.string('staff_id', 64).notNullable();
    table.string('staff_name', 200).notNullable().defaultTo('');
    table.integer('opened').notNullable().defaultTo(0);
    table.integer('transfers').notNullable().defaultTo(0);
    for (const figure of ['first', 'resolved']) {
      table.integer(`${figure}_count`).notNullable().defaultTo(0);
      table.integer(`${figure}_targeted`).notNullable().defaultTo(0);
      table.integer(`${figure}_met`).notNullable().defaultTo(0);
      // Working minutes → requests, as JSON: a day's times in a few dozen numbers.
      table.text(`${figure}_minutes`).notNullable();
    }
    table.integer('good').notNullable().defaultTo(0);
    table.integer('bad').notNullable().defaultTo(0);
    table.primary(['day', 'department_id', 'staff_id'], t.key('rd_pk'));
  });
  await createTable(knex, t.reportBuilt, (table) => {
    table.string('day', 10).notNullable().primary();
    table.string('time_zone', 64).notNullable();
    table.bigInteger('built_at').notNullable();
  });
  // The open backlog by age as last counted: a report reads a few rows, however many are open.
  await createTable(knex, t.reportBacklog, (table) => {
    table.integer('department_id').unsigned().notNullable();
    table.integer('band').notNullable();
    table.integer('open_count').notNullable();
    table.integer('overdue_count').notNullable();
    table.bigInteger('counted_at').notNullable();
    table.primary(['department_id', 'band'], t.key('rbl_pk'));
  });
  await knex.schema.alterTable(t.tickets, (table) => {
    table.index(['created_at'], t.key('tk_created'));
  });
}

export async function down(knex: Knex, t: MigrationTables): Promise<void> {
  await knex.schema.alterTable(t.tickets, (table) => {
    table.dropIndex(['created_at'], t.key('tk_created'));
  });
  await knex.schema.dropTable(t.reportBacklog);
  await knex.schema.dropTable(t.reportBuilt);
  await knex.schema.dropTable(t.reportDays);
  await knex.schema.dropTable(t.reportFacts);
}
