// What every migration uses. Migrations import nothing from src/: a migration must build the
// same schema however the runtime code changes after it. This file has no leading number, so
// the migration runner (src/store/migrate.ts) does not take it for a migration.
import type { Knex } from 'knex';

/**
 * The names a migration is given: the plugin's tables and its index and key names, all under the
 * configured prefix. src/store/tables.ts makes them (its TableNames has these and more).
 */
export interface MigrationTables {
  departments: string;
  departmentStaff: string;
  cannedReplies: string;
  tickets: string;
  messages: string;
  attachments: string;
  events: string;
  outbox: string;
  customerGates: string;
  jobLeases: string;
  inboundMail: string;
  mailboxPositions: string;
  ratings: string;
  pendingUploads: string;
  incidents: string;
  incidentLinks: string;
  incidentUpdates: string;
  incidentDeliveries: string;
  escalationPages: string;
  slaWarnings: string;
  reportFacts: string;
  reportDays: string;
  reportMonths: string;
  reportBuilt: string;
  reportBacklog: string;
  /** An index or key name: prefix + a short suffix, so it stays under MySQL's 64 characters. */
  key(suffix: string): string;
}

/** Creates a table; on MySQL/MariaDB in utf8mb4, as a server default of latin1 would mangle Cyrillic. */
export function createTable(knex: Knex, name: string, build: (table: Knex.CreateTableBuilder) => void): Knex.SchemaBuilder {
  return knex.schema.createTable(name, (table) => {
    if (/mysql|maria/.test(String(knex.client.config.client ?? knex.client.dialect))) {
      table.charset('utf8mb4');
      table.collate('utf8mb4_unicode_ci');
    }
    build(table);
  });
}

/**
 * tickets.queue_due where nothing is due: after every real time, within JavaScript's exact
 * integers (src/store/tickets.ts has the same number).
 */
export const NO_DUE = 9_000_000_000_000_000;
