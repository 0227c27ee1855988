// The plugin's migrations, on each database: up, down and up again; short prefixed names.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { activate, HOST_API_VERSION, type ActivatedPlugin, type SupportHost } from '../../src';
import { forEachDatabase, uniquePrefix, type Connection } from '../support/databases';
import { dialectOf } from '../../src/store/dialect';
import { tableNames } from '../../src/store/tables';
import { LIMITS } from '../../src/domain/field-rules';
import type { MigrationTables } from '../../migrations/_shared';

async function tableExists(knex: Knex, table: string): Promise<boolean> {
  return knex.schema.hasTable(table);
}

/** Names of the indexes and foreign keys on a table, as the database reports them. */
async function constraintNames(knex: Knex, table: string): Promise<string[]> {
  switch (dialectOf(knex)) {
    case 'sqlite':
      return (
        (await knex.raw(`select name from sqlite_master where type = 'index' and tbl_name = ?`, [table])) as Array<{ name: string }>
      ).map((r) => r.name);
    case 'postgres': {
      const indexes = await knex.raw(`select indexname as name from pg_indexes where tablename = ?`, [table]);
      const keys = await knex.raw(`select conname as name from pg_constraint where conrelid = ?::regclass`, [table]);
      return [...indexes.rows, ...keys.rows].map((r: { name: string }) => r.name);
    }
    case 'mysql': {
      const [rows] = await knex.raw(
        `select index_name as name from information_schema.statistics where table_schema = database() and table_name = ?
         union select constraint_name from information_schema.table_constraints where table_schema = database() and table_name = ?`,
        [table, table],
      );
      return (rows as Array<{ name: string }>).map((r) => r.name);
    }
  }
}

forEachDatabase('migrations', (db) => {
  let connection: Connection;
  let plugin: ActivatedPlugin;
  let dataDir: string;
  const prefix = uniquePrefix();
  // Migrations import nothing from src/ and declare the names they are given themselves: what the
  // runner passes them (TableNames) must have every one (a compile error here otherwise).
  const t: MigrationTables = tableNames(prefix);
  const indexed = [
    t.departments,
    t.departmentStaff,
    t.cannedReplies,
    t.tickets,
    t.messages,
    t.attachments,
    t.events,
    t.outbox,
    t.inboundMail,
    t.ratings,
    t.pendingUploads,
    t.incidents,
    t.incidentLinks,
    t.incidentUpdates,
    t.incidentDeliveries,
    t.escalationPages,
  ];
  /** customer_gates, job_leases and mailbox_positions have their primary key alone. */
  const tables = [...indexed, t.customerGates, t.jobLeases, t.mailboxPositions];

  before(async () => {
    connection = db.connect();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'support-migrations-'));
    const host = { apiVersion: HOST_API_VERSION, knex: connection.knex, dataDir } as SupportHost;
    plugin = await activate(host, {
      tablePrefix: prefix,
      departments: { technical: { emails: ['tech@panel.example', 'noc@panel.example'] } },
    });
  });
  after(async () => {
    await plugin.close();
    await plugin.rollback();
    await connection.release();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('creates every table under the prefix, with its own migrations table', async () => {
    await plugin.migrate();
    for (const table of tables) assert.ok(await tableExists(connection.knex, table), table);
    const done = await connection.knex(`${prefix}migrations`).select('name').orderBy('id');
    assert.deepEqual(
      done.map((r) => r.name),
      [
        '001_departments.js',
        '002_department_staff.js',
        '003_canned_replies.js',
        '004_tickets.js',
        '005_messages.js',
        '006_attachments.js',
        '007_ticket_events.js',
        '008_outbox.js',
        '009_customer_gates.js',
        '010_job_leases.js',
        '011_inbound_mail.js',
        '012_mailbox_positions.js',
        '013_pending_uploads.js',
        '014_ratings.js',
        '015_incidents.js',
        '016_sla_warnings.js',
        '017_escalation_pages.js',
        '018_reports.js',
      ],
    );
  });

  it('seeds the three departments of the seed page, in ru and en, with e-mails from settings', async () => {
    const rows = await connection.knex(`${prefix}departments`).orderBy('sort_order');
    assert.deepEqual(
      rows.map((r) => [r.code, r.name_ru, r.name_en, Boolean(r.is_urgent)]),
      [
        ['client_relations', 'Отдел по работе с клиентами', 'Client relations', false],
        ['technical', 'Технический отдел', 'Technical', false],
        ['emergency', 'Аварийная служба', 'Emergency', true],
      ],
    );
    assert.deepEqual(JSON.parse(rows[1].emails), ['tech@panel.example', 'noc@panel.example']);
    assert.match(rows[0].guidance_ru, /реферальн/);
  });

  it('names every index and key with the prefix and under 64 characters', async () => {
    for (const table of indexed) {
      const names = (await constraintNames(connection.knex, table)).filter((n) => !/^(PRIMARY|sqlite_autoindex_.*|.*_pkey)$/.test(n));
      assert.ok(names.length > 0, `${table} has named indexes`);
      for (const name of names) {
        assert.ok(name.startsWith(prefix), `${name} carries the prefix`);
        assert.ok(name.length <= 64, `${name} fits MySQL's limit`);
      }
    }
  });

  it('is idempotent: running it again changes nothing', async () => {
    await plugin.migrate();
    assert.equal(Number((await connection.knex(`${prefix}departments`).count({ n: '*' }))[0]?.n), 3);
  });

  it('rolls back completely and migrates up again', async () => {
    await plugin.rollback();
    for (const table of [...tables, `${prefix}migrations`, `${prefix}migrations_lock`]) {
      assert.equal(await tableExists(connection.knex, table), false, `${table} is gone`);
    }
    await plugin.migrate();
    for (const table of tables) assert.ok(await tableExists(connection.knex, table));
    assert.equal(Number((await connection.knex(`${prefix}departments`).count({ n: '*' }))[0]?.n), 3);
  });

  it(`keeps a subject as long as the rule allows (${LIMITS.subject} characters) and, where the database checks, no longer`, async () => {
    const { knex } = connection;
    const department = (await knex(t.departments).first('id')).id;
    const ticket = (number: string, subject: string) => ({
      number,
      customer_id: 'c-1',
      customer_name: 'Иван',
      customer_email: 'ivan@example.ru',
      department_id: department,
      subject,
      status: 'new',
      priority: 'normal',
      created_at: 1,
      updated_at: 1,
    });
    try {
      await knex(t.tickets).insert(ticket('10000001', 'Я'.repeat(LIMITS.subject)));
      assert.equal((await knex(t.tickets).where('number', '10000001').first('subject')).subject, 'Я'.repeat(LIMITS.subject));
      // SQLite stores any length; the other two refuse what does not fit the column.
      if (db.name !== 'sqlite') await assert.rejects(knex(t.tickets).insert(ticket('10000002', 'Я'.repeat(LIMITS.subject + 1))));
    } finally {
      await knex(t.tickets).delete();
    }
  });
});
