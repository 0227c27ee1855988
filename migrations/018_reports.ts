// What the admin's reports read (src/model/reports.ts): a fact per request for its first answer,
// first resolution and first transfer; each day's and each month's sums per department and staff
// member; which days are summed, for which time zone; the open backlog as last counted. And
// tickets by opening time, to count a day's openings.
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
  // A day's sums, and a month's (its days' summed), per department ('' staff) and staff member.
  for (const [table, key, bytes] of [
    [t.reportDays, 'day', 10],
    [t.reportMonths, 'month', 7],
  ] as const) {
    await createTable(knex, table, (builder) => {
      builder.string(key, bytes).notNullable();
      builder.integer('department_id').unsigned().notNullable();
      // '' for the department's own row.
      builder.string('staff_id', 64).notNullable();
      builder.string('staff_name', 200).notNullable().defaultTo('');
      builder.integer('opened').notNullable().defaultTo(0);
      builder.integer('transfers').notNullable().defaultTo(0);
      for (const figure of ['first', 'resolved']) {
        builder.integer(`${figure}_count`).notNullable().defaultTo(0);
        builder.integer(`${figure}_targeted`).notNullable().defaultTo(0);
        builder.integer(`${figure}_met`).notNullable().defaultTo(0);
        // Requests per time band, as a JSON array: a few dozen numbers however many requests.
        builder.text(`${figure}_bands`).notNullable();
      }
      builder.integer('good').notNullable().defaultTo(0);
      builder.integer('bad').notNullable().defaultTo(0);
      builder.primary([key, 'department_id', 'staff_id'], t.key(key === 'day' ? 'rd_pk' : 'rm_pk'));
    });
  }
  // A report's daily charts read the departments' rows of a period alone.
  await knex.schema.alterTable(t.reportDays, (table) => {
    table.index(['staff_id', 'day', 'department_id'], t.key('rd_dep'));
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
  await knex.schema.dropTable(t.reportMonths);
  await knex.schema.dropTable(t.reportDays);
  await knex.schema.dropTable(t.reportFacts);
}
