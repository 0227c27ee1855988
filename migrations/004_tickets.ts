// Tickets: what the panel calls a request. Times are epoch milliseconds: the same on all three
// databases, and exact for keyset cursors.
import type { Knex } from 'knex';
import { createTable, NO_DUE, type MigrationTables } from './_shared';

export async function up(knex: Knex, t: MigrationTables): Promise<void> {
  await createTable(knex, t.tickets, (table) => {
    table.increments('id').primary();
    // The number customers quote; random, so it says nothing about how many tickets exist.
    table.string('number', 12).notNullable();
    table.string('customer_id', 64).notNullable();
    table.string('customer_name', 200).notNullable();
    table.string('customer_email', 254).notNullable();
    // The language of the customer's mail.
    table.string('customer_locale', 8).nullable();
    // The customer's time zone (IANA name), for times in e-mail to them.
    table.string('customer_time_zone', 64).nullable();
    table.string('service_id', 64).nullable();
    table.string('service_label', 200).nullable();
    table.string('service_kind', 32).nullable();
    table.integer('department_id').unsigned().notNullable();
    // 120: LIMITS.subject in src/domain/field-rules.ts, the longest subject the form accepts.
    table.string('subject', 120).notNullable();
    // The subject folded for case-insensitive search in any alphabet on every database; folding
    // may lengthen it, hence the room.
    table.string('subject_search', 255).nullable();
    table.string('status', 16).notNullable();
    // 1 until the ticket is closed: the staff queue shows open tickets.
    table.smallint('is_open').notNullable().defaultTo(1);
    table.string('priority', 8).notNullable();
    // The priority as a number the queue sorts on: 0 urgent, 1 high, 2 normal, 3 low.
    table.smallint('priority_rank').notNullable().defaultTo(2);
    table.string('assignee_id', 64).nullable();
    table.string('assignee_name', 200).nullable();
    // The Message-ID of the ticket's first e-mail, which every later e-mail of the ticket refers to.
    table.string('thread_message_id', 255).nullable();
    // The new-request form's one-time key: a double click makes one ticket.
    table.string('submission_key', 64).nullable();
    table.bigInteger('created_at').notNullable();
    table.bigInteger('updated_at').notNullable();
    table.bigInteger('last_reply_at').nullable();
    // When the customer last wrote: the queue's "waiting" clock.
    table.bigInteger('last_customer_at').notNullable().defaultTo(0);
    table.bigInteger('closed_at').nullable();
    // 1 from a transfer until someone of the receiving department opens the ticket: the menu
    // badge counts it then even when it is not waiting for an answer.
    table.smallint('transfer_unseen').notNullable().defaultTo(0);
    // When the customer last saw the request with its latest staff answer; null while a staff
    // answer (never an internal note) waits unseen, so the menu badge counts an index range.
    table.bigInteger('customer_seen_at').nullable();
    // Set when staff merged this ticket into another: its thread, files and history live there
    // now, and its number leads there. Always the final ticket: a later merge of that one rewrites it.
    table.integer('merged_into_id').unsigned().nullable();
    // Who said "I'm on it" for an urgent request, and when: it stops the escalation chain.
    table.bigInteger('acknowledged_at').nullable();
    table.string('acknowledged_by_id', 64).nullable();
    table.string('acknowledged_by_name', 200).nullable();
    // The response regulation (src/domain/due.ts): when the nearest target falls due and which it
    // is (null: nothing due), when the current wait for staff began, and the working time spent
    // waiting for the customer (paused_ms) with when that wait began (paused_since).
    table.bigInteger('due_at').nullable();
    table.string('due_kind', 16).nullable();
    table.bigInteger('waiting_since').notNullable().defaultTo(0);
    table.bigInteger('paused_ms').notNullable().defaultTo(0);
    table.bigInteger('paused_since').nullable();
    // When the warning job next has something to say about it: the warning share of the target,
    // then the breach (due_at); null once both are sent or nothing is due.
    table.bigInteger('warn_at').nullable();
    // due_at for the queue's order: NO_DUE (src/store/queue.ts) where nothing is due, so the
    // keyset never meets a null.
    table.bigInteger('queue_due').notNullable().defaultTo(NO_DUE);

    table.unique(['number'], { indexName: t.key('tk_number_uq') });
    table.unique(['customer_id', 'submission_key'], { indexName: t.key('tk_sub_uq') });
    // A customer's own list, newest activity first.
    table.index(['customer_id', 'updated_at', 'id'], t.key('tk_cust_upd'));
    // ...and only the open (or only the closed) ones, for the list's filter.
    table.index(['customer_id', 'is_open', 'updated_at', 'id'], t.key('tk_cust_open'));
    // The customer's menu badge: their requests with an unseen answer (customer_seen_at null).
    table.index(['customer_id', 'customer_seen_at'], t.key('tk_cust_seen'));
    // The staff queue's order (priority, the soonest due, then the longest-waiting customer), one
    // index for a department's queue and one for everything, so keyset pages never sort the whole
    // table and "overdue / due soon" is a range on queue_due within a priority...
    table.index(['department_id', 'is_open', 'priority_rank', 'queue_due', 'last_customer_at', 'id'], t.key('tk_q_dep'));
    table.index(['is_open', 'priority_rank', 'queue_due', 'last_customer_at', 'id'], t.key('tk_q_all'));
    // ...and the same over every status (a department's whole history, closed included).
    table.index(['department_id', 'priority_rank', 'queue_due', 'last_customer_at', 'id'], t.key('tk_h_dep'));
    table.index(['priority_rank', 'queue_due', 'last_customer_at', 'id'], t.key('tk_h_all'));
    // The warning job: open tickets by when it next has a warning to send.
    table.index(['is_open', 'warn_at'], t.key('tk_warn'));
    // Staff search by customer e-mail.
    table.index(['customer_email'], t.key('tk_email'));
    // The tickets merged into one, whose pointers a merge of that ticket rewrites.
    table.index(['merged_into_id'], t.key('tk_merged'));
    // tk_q_dep starts with department_id, so MySQL needs no index of the key's own.
    table.foreign('department_id', t.key('tk_dep_fk')).references('id').inTable(t.departments);
    table.foreign('merged_into_id', t.key('tk_merged_fk')).references('id').inTable(t.tickets);
  });
}

export async function down(knex: Knex, t: MigrationTables): Promise<void> {
  await knex.schema.dropTable(t.tickets);
}
