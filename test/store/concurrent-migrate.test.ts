// Two panel instances starting at the same moment with migrations pending: the second waits for
// the first (bounded), then finds nothing left to do. A lock left by a migration that crashed
// ends the wait with a message that tells the admin what to do.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { activate, HOST_API_VERSION, type ActivatedPlugin, type SupportHost } from '../../src';
import { PLUGIN_ROOT } from '../../src/paths';
import { migrateDownAll, migrateLatest } from '../../src/store/migrate';
import { MigrationLockTimeout, withMigrationLock } from '../../src/store/migration-lock';
import { tableNames, type TableNames } from '../../src/store/tables';
import { forEachDatabase, uniquePrefix, type Connection, type TestDatabase } from '../support/databases';

const MIGRATIONS_DIR = path.join(PLUGIN_ROOT, 'dist', 'migrations');
const ALL_MIGRATIONS = fs
  .readdirSync(MIGRATIONS_DIR)
  .filter((f) => /^\d+_[\w-]+\.js$/.test(f))
  .sort();

/** A second connection pool on the same database, as a second panel process has (SQLite: the same file). */
function secondConnection(db: TestDatabase, first: Connection): Connection {
  return db.name === 'sqlite' ? { knex: first.knex, release: async () => {} } : db.connect();
}

async function activated(knex: Knex, prefix: string, dataDir: string): Promise<ActivatedPlugin> {
  const host = { apiVersion: HOST_API_VERSION, knex, dataDir, logger: { info() {}, warn() {}, error() {} } } as unknown as SupportHost;
  return activate(host, { tablePrefix: prefix });
}

/** The schema is whole: every migration recorded once, the seed once, knex's single lock row free. */
async function assertComplete(knex: Knex, t: TableNames): Promise<void> {
  const done = (await knex(t.migrations).select('name').orderBy('id')).map((r) => r.name);
  assert.deepEqual(done, ALL_MIGRATIONS);
  assert.equal(Number((await knex(t.departments).count({ n: '*' }))[0]?.n), 3);
  const lockRows = await knex(`${t.migrations}_lock`).select('is_locked');
  assert.deepEqual(
    lockRows.map((r) => Number(r.is_locked)),
    [0],
  );
}

/** Holds the lock a migrating instance holds until `release` is called. */
function holdLock(knex: Knex, t: TableNames): { held: Promise<void>; release: () => void; done: Promise<void> } {
  let release = () => {};
  let signalHeld = () => {};
  const held = new Promise<void>((resolve) => (signalHeld = resolve));
  const done = withMigrationLock(knex, `support-requests:${t.migrations}`, 5000, async () => {
    // SQLite has no database lock: a running knex migrator shows as its lock row.
    await knex(`${t.migrations}_lock`).update({ is_locked: 1 });
    signalHeld();
    await new Promise<void>((resolve) => (release = resolve));
    await knex(`${t.migrations}_lock`).update({ is_locked: 0 });
  });
  return { held, release: () => release(), done };
}

forEachDatabase('two instances migrating at once', (db) => {
  let first: Connection;
  let second: Connection;
  let dataDir: string;
  let t: TableNames;

  beforeEach(() => {
    first = db.connect();
    second = secondConnection(db, first);
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'support-migrate-'));
    t = tableNames(uniquePrefix());
  });
  afterEach(async () => {
    await migrateDownAll(first.knex, MIGRATIONS_DIR, t);
    await second.release();
    await first.release();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  for (let round = 1; round <= 3; round++) {
    it(`both start on a fresh prefix, both succeed, the schema is complete (round ${round})`, async () => {
      const a = await activated(first.knex, t.prefix, dataDir);
      const b = await activated(second.knex, t.prefix, dataDir);
      try {
        await Promise.all([a.migrate(), b.migrate()]);
        await assertComplete(first.knex, t);
      } finally {
        await Promise.all([a.close(), b.close()]);
      }
    });
  }

  it('waits while another instance migrates, then carries on with nothing left to do', async () => {
    await migrateLatest(first.knex, MIGRATIONS_DIR, t);
    const other = holdLock(first.knex, t);
    await other.held;
    const started = Date.now();
    const waiting = migrateLatest(second.knex, MIGRATIONS_DIR, t, 10_000);
    setTimeout(other.release, 800);
    await waiting;
    await other.done;
    assert.ok(Date.now() - started >= 700, `returned after ${Date.now() - started} ms, while the other instance still migrated`);
    await assertComplete(first.knex, t);
  });

  it('gives up after the wait with a clear message while another instance holds on', async () => {
    await migrateLatest(first.knex, MIGRATIONS_DIR, t);
    const other = holdLock(first.knex, t);
    await other.held;
    try {
      const started = Date.now();
      await assert.rejects(migrateLatest(second.knex, MIGRATIONS_DIR, t, 1000), (err: Error) => {
        assert.ok(err instanceof MigrationLockTimeout, String(err));
        assert.match(
          err.message,
          /^support-requests: (another panel instance has been migrating|the plugin's migrations have been locked) .*for over 1 s/,
        );
        return true;
      });
      assert.ok(Date.now() - started < 5000, 'the wait is bounded');
    } finally {
      other.release();
      await other.done;
    }
  });

  it('ends the wait for a lock a crashed migration left, saying how to clear it; cleared, it migrates', async () => {
    await migrateLatest(first.knex, MIGRATIONS_DIR, t);
    // What a migrator killed mid-way leaves: knex's lock row set, nobody holding it.
    await first.knex(`${t.migrations}_lock`).update({ is_locked: 1 });
    const started = Date.now();
    await assert.rejects(migrateLatest(second.knex, MIGRATIONS_DIR, t, 1000), (err: Error) => {
      assert.ok(err instanceof MigrationLockTimeout, String(err));
      assert.equal(
        err.message,
        `support-requests: the plugin's migrations have been locked for over 1 s (table ${t.migrations}_lock, is_locked = 1). ` +
          `If no other panel instance is starting, a migration was interrupted and left the lock behind: ` +
          `check that the plugin's tables are intact, run "UPDATE ${t.migrations}_lock SET is_locked = 0", and start the panel again.`,
      );
      return true;
    });
    assert.ok(Date.now() - started >= 1000 && Date.now() - started < 5000, 'waited about the bound');
    await first.knex.raw(`UPDATE ${t.migrations}_lock SET is_locked = 0`);
    await migrateLatest(second.knex, MIGRATIONS_DIR, t);
    await assertComplete(first.knex, t);
  });
});
