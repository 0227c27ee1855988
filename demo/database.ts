// The panel's own database: a knex config from DATABASE_URL, the host's tables (users and their
// services), and the demo accounts, seeded once into an empty panel_users table.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Knex } from 'knex';

/** The SQLite file used when DATABASE_URL is not set. */
export function defaultDatabaseUrl(dataDir: string): string {
  return path.join(dataDir, 'panel.sqlite');
}

/** SQLite file from "sqlite:///abs/file", "sqlite:rel/file", "file:///abs/file" or a plain path. */
function sqliteFile(url: string): string {
  if (/^file:/i.test(url)) return fileURLToPath(url);
  if (/^sqlite3?:/i.test(url)) return url.replace(/^sqlite3?:(\/\/)?/i, '');
  return url;
}

/** A knex config for a SQLite path/URL, postgres(ql)://… or mysql://… / mariadb://…. */
export function knexConfig(databaseUrl: string): Knex.Config {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(databaseUrl)?.[1]?.toLowerCase();
  switch (scheme) {
    case 'postgres':
    case 'postgresql':
      return { client: 'pg', connection: databaseUrl, pool: { min: 0, max: 10 } };
    case 'mysql':
    case 'mariadb':
      return {
        client: 'mysql2',
        connection: { uri: databaseUrl.replace(/^mariadb:/i, 'mysql:'), charset: 'utf8mb4' } as Knex.MySql2ConnectionConfig,
        pool: { min: 0, max: 10 },
      };
    case undefined:
    case 'sqlite':
    case 'sqlite3':
    case 'file': {
      const filename = sqliteFile(databaseUrl);
      if (filename !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(filename)), { recursive: true });
      return {
        client: 'better-sqlite3',
        connection: { filename },
        useNullAsDefault: true,
        pool: {
          // A panel's usual SQLite setup: WAL, so a commit is one append instead of rewriting a
          // rollback journal, and readers never wait for the writer.
          afterCreate(conn: { pragma(sql: string): unknown }, done: (err: Error | null, conn: unknown) => void) {
            try {
              if (filename !== ':memory:') conn.pragma('journal_mode = WAL');
              conn.pragma('synchronous = NORMAL');
              done(null, conn);
            } catch (err) {
              done(err as Error, conn);
            }
          },
        },
      };
    }
    default:
      // One letter before ":" is a Windows drive ("C:\\panel.sqlite"), a plain path.
      if (scheme.length === 1) return knexConfig(`sqlite:${databaseUrl}`);
      throw new Error(`DATABASE_URL: unsupported scheme "${scheme}:"; use a SQLite file path, postgres://, mysql:// or mariadb://`);
  }
}

interface SeedUser {
  name: string;
  email: string;
  role: 'client' | 'staff' | 'admin';
  locale: 'ru' | 'en';
  departments?: string[];
  services?: Array<{ label: string; kind: string; status: string }>;
}

const seedUsers: SeedUser[] = [
  {
    name: 'Иван Петров',
    email: 'ivan@example.ru',
    role: 'client',
    locale: 'ru',
    services: [
      { label: 'VPS Cloud-2 (Москва)', kind: 'vps', status: 'active' },
      { label: 'petrov-shop.ru', kind: 'domain', status: 'active' },
      { label: 'Хостинг Старт', kind: 'hosting', status: 'suspended' },
    ],
  },
  {
    name: 'Alice Smith',
    email: 'alice@example.com',
    role: 'client',
    locale: 'en',
    services: [
      { label: 'VPS Cloud-4 (Amsterdam)', kind: 'vps', status: 'active' },
      { label: 'alice-dev.com', kind: 'domain', status: 'active' },
      { label: 'Shared hosting Pro', kind: 'hosting', status: 'active' },
    ],
  },
  {
    name: 'Ольга (отдел по работе с клиентами)',
    email: 'olga@panel.example',
    role: 'staff',
    locale: 'ru',
    departments: ['client_relations'],
  },
  { name: 'Tech: Sergey', email: 'sergey@panel.example', role: 'staff', locale: 'en', departments: ['technical'] },
  { name: 'Дежурный инженер Павел', email: 'pavel@panel.example', role: 'staff', locale: 'ru', departments: ['emergency'] },
  { name: 'Администратор', email: 'admin@panel.example', role: 'admin', locale: 'ru' },
];

async function createTables(knex: Knex): Promise<void> {
  if (!(await knex.schema.hasTable('panel_users'))) {
    await knex.schema.createTable('panel_users', (t) => {
      t.increments('id');
      t.string('name', 200).notNullable();
      t.string('email', 200).notNullable().unique();
      t.string('role', 16).notNullable();
      t.string('locale', 8).nullable();
      /** JSON array of department codes, for staff. */
      t.string('departments', 500).nullable();
    });
  }
  if (!(await knex.schema.hasTable('panel_services'))) {
    await knex.schema.createTable('panel_services', (t) => {
      t.increments('id');
      t.integer('user_id').unsigned().notNullable().references('id').inTable('panel_users');
      t.string('label', 200).notNullable();
      t.string('kind', 32).nullable();
      t.string('status', 32).notNullable();
      t.index(['user_id'], 'panel_services_user_idx');
    });
  }
}

async function seedOnce(knex: Knex): Promise<void> {
  await knex.transaction(async (trx) => {
    const row = await trx('panel_users').count({ n: '*' }).first();
    if (Number(row?.n ?? 0) > 0) return;
    await trx('panel_users').insert(
      seedUsers.map((u) => ({
        name: u.name,
        email: u.email,
        role: u.role,
        locale: u.locale,
        departments: u.departments ? JSON.stringify(u.departments) : null,
      })),
    );
    // Ids are looked up by e-mail: "returning" differs between the three databases.
    const ids = new Map<string, number>();
    for (const r of (await trx('panel_users').select('id', 'email')) as Array<{ id: number; email: string }>)
      ids.set(r.email, Number(r.id));
    const services = seedUsers.flatMap((u) => (u.services ?? []).map((s) => ({ ...s, user_id: ids.get(u.email) })));
    await trx('panel_services').insert(services);
  });
}

/** Creates the host's tables when missing and seeds the demo accounts into an empty panel. */
export async function prepareDatabase(knex: Knex): Promise<void> {
  await createTables(knex);
  await seedOnce(knex);
}
