// Incidents: a known problem that staff declare once (an outage of a service kind, of some
// services, or of everything), the requests linked to it, the updates sent to every linked
// request, and which request each update has reached. Four tables in one migration: they are
// one feature and none of them means anything without the others.
import type { Knex } from 'knex';
import { createTable, type MigrationTables } from './_shared';

export async function up(knex: Knex, t: MigrationTables): Promise<void> {
  await createTable(knex, t.incidents, (table) => {
    table.increments('id').primary();
    // The department whose staff manage it (admins manage all).
    table.integer('department_id').unsigned().notNullable();
    // 120 and 4000: LIMITS.incidentTitle and LIMITS.incidentText in src/domain/field-rules.ts.
    table.string('title_ru', 120).notNullable();
    table.string('title_en', 120).notNullable();
    table.text('body_ru').notNullable();
    table.text('body_en').notNullable();
    // everyone | kinds | services; targets is a JSON array of service kinds or service ids.
    table.string('affects', 16).notNullable();
    table.text('targets').notNullable();
    table.string('author_id', 64).notNullable();
    table.string('author_name', 200).notNullable();
    // The declare form's one-time key: a double click declares one incident.
    table.string('submission_key', 64).nullable();
    table.bigInteger('created_at').notNullable();
    table.bigInteger('resolved_at').nullable();
    table.unique(['submission_key'], { indexName: t.key('in_sub_uq') });
    table.index(['department_id', 'resolved_at'], t.key('in_dep'));
    table.index(['resolved_at'], t.key('in_open'));
    table.foreign('department_id', t.key('in_dep_fk')).references('id').inTable(t.departments).onDelete('CASCADE');
  });

  await createTable(knex, t.incidentLinks, (table) => {
    table.integer('incident_id').unsigned().notNullable();
    table.integer('ticket_id').unsigned().notNullable();
    // Who linked it by hand; null when the request was linked as it was created.
    table.string('linked_by_id', 64).nullable();
    table.string('linked_by_name', 200).nullable();
    table.bigInteger('created_at').notNullable();
    // A request is linked to an incident once.
    table.primary(['incident_id', 'ticket_id'], t.key('il_pk'));
    table.index(['ticket_id'], t.key('il_ticket'));
    table.foreign('incident_id', t.key('il_inc_fk')).references('id').inTable(t.incidents).onDelete('CASCADE');
    table.foreign('ticket_id', t.key('il_tk_fk')).references('id').inTable(t.tickets).onDelete('CASCADE');
  });

  await createTable(knex, t.incidentUpdates, (table) => {
    table.increments('id').primary();
    table.integer('incident_id').unsigned().notNullable();
    table.text('body_ru').notNullable();
    table.text('body_en').notNullable();
    // The resolution's message; with close_linked it also closes the requests it reaches.
    table.boolean('is_final').notNullable().defaultTo(false);
    table.boolean('close_linked').notNullable().defaultTo(false);
    table.string('author_id', 64).notNullable();
    table.string('author_name', 200).notNullable();
    // The update form's one-time key: a double click sends one update.
    table.string('submission_key', 64).nullable();
    table.bigInteger('created_at').notNullable();
    // Set once every linked request it is meant for has it; null while it is being sent.
    table.bigInteger('finished_at').nullable();
    table.unique(['submission_key'], { indexName: t.key('iu_sub_uq') });
    table.index(['incident_id', 'id'], t.key('iu_inc'));
    table.index(['finished_at'], t.key('iu_unfinished'));
    table.foreign('incident_id', t.key('iu_inc_fk')).references('id').inTable(t.incidents).onDelete('CASCADE');
  });

  await createTable(knex, t.incidentDeliveries, (table) => {
    table.integer('update_id').unsigned().notNullable();
    table.integer('ticket_id').unsigned().notNullable();
    // The staff message the update became on that request.
    table.integer('message_id').unsigned().notNullable();
    table.bigInteger('created_at').notNullable();
    // Each request gets each update at most once, however often sending it is resumed.
    table.primary(['update_id', 'ticket_id'], t.key('idl_pk'));
    table.index(['ticket_id'], t.key('idl_ticket'));
    table.foreign('update_id', t.key('idl_upd_fk')).references('id').inTable(t.incidentUpdates).onDelete('CASCADE');
    table.foreign('ticket_id', t.key('idl_tk_fk')).references('id').inTable(t.tickets).onDelete('CASCADE');
  });
}

export async function down(knex: Knex, t: MigrationTables): Promise<void> {
  await knex.schema.dropTable(t.incidentDeliveries);
  await knex.schema.dropTable(t.incidentUpdates);
  await knex.schema.dropTable(t.incidentLinks);
  await knex.schema.dropTable(t.incidents);
}
