// A store transaction (store/transaction.ts, without knex's Transaction object) on each database:
// all of it or none of it, and the connection it held goes back to the pool outside any
// transaction, even when its ROLLBACK fails; knex's 'query' event fires for each of its
// statements; a transaction inside it is a savepoint; statements compiled once (store/compiled.ts)
// go to the tables of their own prefix.
import assert from 'node:assert/strict';
import knexFactory, { type Knex } from 'knex';
import type { Store } from '../../src/model/store';
import { createStore } from '../../src/store';
import { migrateDownAll, migrateLatest } from '../../src/store/migrate';
import { tableNames } from '../../src/store/tables';
import { MIGRATIONS_DIR } from '../support/store-fixtures';
import { forEachDatabase, uniquePrefix, type Connection } from '../support/databases';

interface QueryEvent {
  sql: string;
  __knexUid?: string;
  __knexTxId?: string;
}

forEachDatabase('store transactions', (db) => {
  let connection: Connection;
  /** A pool of one connection: whatever a transaction leaves on it, the next statement meets. */
  let single: Knex;
  /** Another connection, which sees only what was committed. */
  let other: Knex;
  let store: Store;
  const tables = tableNames(uniquePrefix());
  const otherTables = tableNames(uniquePrefix());

  before(async () => {
    connection = db.connect();
    await migrateLatest(connection.knex, MIGRATIONS_DIR, tables);
    await migrateLatest(connection.knex, MIGRATIONS_DIR, otherTables);
    // Quiet: knex warns when it destroys the connection whose ROLLBACK failed, as it should.
    const log = { warn() {}, error() {}, debug() {}, deprecate() {} };
    single = knexFactory({ ...connection.knex.client.config, pool: { min: 0, max: 1 }, log });
    other = knexFactory(connection.knex.client.config);
    store = createStore(single, tables);
  });
  after(async () => {
    await single.destroy();
    await other.destroy();
    await migrateDownAll(connection.knex, MIGRATIONS_DIR, tables);
    await migrateDownAll(connection.knex, MIGRATIONS_DIR, otherTables);
    await connection.release();
  });

  /** Whether another connection sees the customer's gate row. */
  const committed = async (customerId: string) =>
    (await other(tables.customerGates).where('customer_id', customerId).first('customer_id')) !== undefined;

  /** The 'query' events of `work` on the one connection. */
  async function queriesOf(work: () => Promise<unknown>): Promise<QueryEvent[]> {
    const events: QueryEvent[] = [];
    const listener = (query: QueryEvent) => events.push(query);
    single.on('query', listener);
    try {
      await work();
    } finally {
      single.off('query', listener);
    }
    return events;
  }

  it('a failure rolls back all of it, and the connection goes back to the pool outside any transaction', async () => {
    await assert.rejects(
      store.transaction(async (tx) => {
        await tx.gates.ensure('c-1', 1);
        assert.equal(await tx.gates.hold('c-1', 2), true, 'the row written inside is seen inside');
        throw new Error('boom');
      }),
      /boom/,
    );
    assert.equal(await committed('c-1'), false, 'rolled back');
    await store.gates.ensure('c-2', 3);
    assert.equal(await committed('c-2'), true, 'the next statement on the connection commits at once');
  });

  it('a connection whose ROLLBACK failed is never handed out again', async () => {
    const lostRollback = (query: QueryEvent) => {
      if (/^rollback/i.test(query.sql)) throw new Error('rollback lost');
    };
    single.on('query', lostRollback);
    const failed = await queriesOf(() =>
      assert.rejects(
        store.transaction(async (tx) => {
          await tx.gates.ensure('c-3', 1);
          throw new Error('boom');
        }),
        /boom/,
      ),
    ).finally(() => single.off('query', lostRollback));
    const after = await queriesOf(() => store.gates.ensure('c-4', 1));
    assert.notEqual(after[0]?.__knexUid, failed[0]?.__knexUid, 'a new connection');
    assert.equal(await committed('c-3'), false, 'the open transaction ended with its connection');
    assert.equal(await committed('c-4'), true);
  });

  it("fires knex's 'query' event for each statement, BEGIN and COMMIT included, with the transaction's id", async () => {
    await store.gates.ensure('c-5', 1);
    const events = await queriesOf(() =>
      store.transaction(async (tx) => {
        await tx.gates.hold('c-5', 2); // compiled once
        await tx.gates.ensure('c-6', 2); // the query builder
      }),
    );
    assert.deepEqual(
      events.map((e) => e.sql.split(' ')[0]?.toLowerCase()),
      ['begin;', db.name === 'sqlite' ? 'update' : 'select', 'insert', 'commit;'],
    );
    const ids = new Set(events.map((e) => e.__knexTxId));
    assert.equal(ids.size, 1, 'one transaction id');
    assert.ok([...ids][0], 'the transaction id is set');
  });

  it('a transaction inside a transaction is a savepoint: its failure undoes only its own part', async () => {
    await store.transaction(async (tx) => {
      await tx.gates.ensure('c-7', 1);
      await tx.transaction(async (middle) => {
        await middle.gates.ensure('c-8', 1);
        await assert.rejects(
          middle.transaction(async (inner) => {
            await inner.gates.ensure('c-11', 1);
            throw new Error('inner');
          }),
          /inner/,
        );
      });
    });
    assert.equal(await committed('c-7'), true);
    assert.equal(await committed('c-8'), true, 'the middle one kept its part');
    assert.equal(await committed('c-11'), false);
  });

  it('refuses a statement after the transaction ended', async () => {
    let kept: Store | undefined;
    await store.transaction(async (tx) => void (kept = tx));
    await assert.rejects(kept!.gates.ensure('c-9', 1), /after its store transaction ended/, 'a query builder');
    await assert.rejects(kept!.gates.hold('c-2', 1), /after its store transaction ended/, 'a statement compiled once');
    await assert.rejects(
      kept!.transaction(async () => {}),
      /after its store transaction ended/,
      'a savepoint',
    );
    assert.equal(await committed('c-9'), false);
  });

  it('a statement compiled once goes to the tables of its own prefix', async () => {
    await store.gates.ensure('c-10', 1);
    const otherStore = createStore(single, otherTables);
    assert.equal(await store.transaction((tx) => tx.gates.hold('c-10', 2)), true);
    assert.equal(await otherStore.transaction((tx) => tx.gates.hold('c-10', 2)), false);
  });
});
