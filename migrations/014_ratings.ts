// Customers' ratings of their requests: one row per request, replaced when the customer changes
// their mind. Times are epoch milliseconds, as everywhere.
import type { Knex } from 'knex';
import { createTable, type MigrationTables } from './_shared';

export async function up(knex: Knex, t: MigrationTables): Promise<void> {
  await createTable(knex, t.ratings, (table) => {
    table.increments('id').primary();
    table.integer('ticket_id').unsigned().notNullable();
    // The request's department when it was rated, which the admin's figures count it under. No
    // foreign key: a department without requests may be removed, and its old ratings stay counted.
    table.integer('department_id').unsigned().notNullable();
    // 'good' or 'bad'.
    table.string('rating', 8).notNullable();
    // 1000: LIMITS.ratingComment in src/domain/field-rules.ts.
    table.string('comment', 1000).notNullable().defaultTo('');
    // Whom the rating is about: who last answered the customer, else the assignee.
    table.string('staff_id', 64).nullable();
    table.string('staff_name', 200).nullable();
    table.bigInteger('rated_at').notNullable();
    // When a bad rating last e-mailed the department: a change of mind does not alert it again at once.
    table.bigInteger('alerted_at').nullable();
    table.unique(['ticket_id'], { indexName: t.key('rt_ticket_uq') });
    // The admin's figures for a period, and its latest bad ratings.
    table.index(['rated_at'], t.key('rt_rated'));
    table.index(['rating', 'rated_at'], t.key('rt_choice'));
    table.foreign('ticket_id', t.key('rt_ticket_fk')).references('id').inTable(t.tickets).onDelete('CASCADE');
  });
}

export async function down(knex: Knex, t: MigrationTables): Promise<void> {
  await knex.schema.dropTable(t.ratings);
}
