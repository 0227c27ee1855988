// Every form that sends mail carries a one-time submission key, so a double click makes one
// change and one e-mail: a new request (per customer), a transfer (its audit entry) and an
// admin's retry (the e-mail row itself). The customer gates give each customer one row to lock,
// so the hourly limit on new requests is counted by one request at a time.
import type { Knex } from 'knex';
import type { TableNames } from '../src/store/tables';
import { dropColumns, tableCharset } from '../src/store/dialect';

export async function up(knex: Knex, t: TableNames): Promise<void> {
  await knex.schema.alterTable(t.tickets, (table) => {
    table.string('submission_key', 64).nullable();
    table.unique(['customer_id', 'submission_key'], { indexName: t.key('tk_sub_uq') });
  });
  await knex.schema.alterTable(t.events, (table) => {
    table.string('submission_key', 64).nullable();
    table.unique(['ticket_id', 'submission_key'], { indexName: t.key('ev_sub_uq') });
  });
  await knex.schema.alterTable(t.outbox, (table) => {
    table.string('retry_key', 64).nullable();
  });
  await knex.schema.createTable(t.customerGates, (table) => {
    tableCharset(knex, table);
    table.string('customer_id', 64).notNullable().primary();
    table.bigInteger('locked_at').notNullable();
  });
}

export async function down(knex: Knex, t: TableNames): Promise<void> {
  await knex.schema.dropTable(t.customerGates);
  await dropColumns(knex, t.outbox, ['retry_key']);
  await knex.schema.alterTable(t.events, (table) => table.dropUnique([], t.key('ev_sub_uq')));
  await dropColumns(knex, t.events, ['submission_key']);
  await knex.schema.alterTable(t.tickets, (table) => table.dropUnique([], t.key('tk_sub_uq')));
  await dropColumns(knex, t.tickets, ['submission_key']);
}
