// Which errors count as "the database is unavailable" (503, try again) and which are faults in
// the request or the code (they must not hide behind a 503). Real errors where a test can cause
// them; the server-side codes for a full disk or a shutdown, which a test cannot cause, by code.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import { isDatabaseUnavailable } from '../../src/store/unavailable';

/** knex's console warnings for the failures these tests cause on purpose. */
const quiet = { warn() {}, error() {}, debug() {}, deprecate() {} };

async function errorOf(work: () => Promise<unknown>): Promise<unknown> {
  try {
    await work();
  } catch (err) {
    return err;
  }
  throw new Error('expected a failure');
}

describe('database-unavailable errors', () => {
  let dir: string;
  let sqlite: Knex;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'support-unavailable-'));
    sqlite = knexFactory({
      client: 'better-sqlite3',
      connection: { filename: path.join(dir, 'db.sqlite') },
      useNullAsDefault: true,
      pool: { min: 1, max: 1 },
      acquireConnectionTimeout: 200,
      log: quiet,
    });
    await sqlite.schema.createTable('t', (table) => table.string('name').unique());
    await sqlite('t').insert({ name: 'a' });
  });
  after(async () => {
    await sqlite.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a refused connection (nothing listens on the port)', async () => {
    for (const client of ['pg', 'mysql2']) {
      const knex = knexFactory({
        client,
        connection: { host: '127.0.0.1', port: 1, user: 'x', database: 'x' },
        pool: { min: 0, max: 1 },
        log: quiet,
      });
      try {
        assert.ok(isDatabaseUnavailable(await errorOf(() => knex.raw('select 1'))), client);
      } finally {
        await knex.destroy();
      }
    }
  });

  it("the pool's wait for a connection running out", async () => {
    let release!: () => void;
    const held = sqlite.transaction(async () => new Promise<void>((resolve) => (release = resolve)));
    const err = await errorOf(() => sqlite('t').select());
    release();
    await held;
    assert.ok(isDatabaseUnavailable(err), String(err));
  });

  it('server codes for a full disk, too many connections, a shutdown or a lost connection', () => {
    for (const code of [
      '53100',
      '53300',
      '57P01',
      '08006',
      'ER_DISK_FULL',
      'ER_RECORD_FILE_FULL',
      'ER_CON_COUNT_ERROR',
      'PROTOCOL_CONNECTION_LOST',
      'SQLITE_FULL',
      'SQLITE_IOERR_WRITE',
      'ECONNRESET',
    ]) {
      assert.ok(isDatabaseUnavailable(Object.assign(new Error('x'), { code })), code);
    }
    assert.ok(isDatabaseUnavailable(new Error('Connection terminated unexpectedly')));
    assert.ok(
      isDatabaseUnavailable(Object.assign(new Error('wrapped'), { cause: Object.assign(new Error('x'), { code: 'ECONNREFUSED' }) })),
      'a wrapped cause',
    );
  });

  it('not: a unique violation, a syntax error, a missing table, a plain bug', async () => {
    assert.equal(isDatabaseUnavailable(await errorOf(() => sqlite('t').insert({ name: 'a' }))), false);
    assert.equal(isDatabaseUnavailable(await errorOf(() => sqlite.raw('selec 1'))), false);
    assert.equal(isDatabaseUnavailable(await errorOf(() => sqlite('missing').select())), false);
    for (const code of ['23505', '42601', '42P01', '22021', 'ER_DUP_ENTRY', 'ER_PARSE_ERROR', 'ER_NO_SUCH_TABLE']) {
      assert.equal(isDatabaseUnavailable(Object.assign(new Error('x'), { code })), false, code);
    }
    assert.equal(isDatabaseUnavailable(new TypeError("Cannot read properties of undefined (reading 'id')")), false);
    assert.equal(isDatabaseUnavailable(null), false);
  });
});
