// withDeadlockRetry runs a transaction again when the database chose it as a deadlock victim.
// Two transactions lock two rows in opposite orders, for real, on PostgreSQL and MariaDB/MySQL;
// SQLite has one writer at a time and never deadlocks, so it is not part of this suite.
import assert from 'node:assert/strict';
import type { Knex } from 'knex';
import { databases, uniquePrefix } from '../support/databases';
import { isDeadlock, withDeadlockRetry } from '../../src/store/dialect';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

for (const db of databases.filter((d) => d.name !== 'sqlite')) {
  describe(`deadlock retry [${db.name}]`, () => {
    let knex: Knex;
    let release: () => Promise<void>;
    const table = `${uniquePrefix()}locks`;

    before(async () => {
      ({ knex, release } = db.connect());
      await knex.schema.createTable(table, (t) => {
        t.integer('id').primary();
        t.integer('value').notNullable();
      });
    });
    beforeEach(async () => {
      await knex(table).delete();
      await knex(table).insert([
        { id: 1, value: 0 },
        { id: 2, value: 0 },
      ]);
    });
    after(async () => {
      await knex.schema.dropTableIfExists(table);
      await release();
    });

    /**
     * Two transactions, each adding 1 to both rows in the opposite order. On their first run each
     * waits until the other holds its first row, so they deadlock; a re-run goes straight through.
     */
    function crossedTransactions() {
      const holding = [deferred(), deferred()];
      const runs = [0, 0];
      const transaction = (me: 0 | 1) => () =>
        knex.transaction(async (trx) => {
          runs[me]! += 1;
          const [first, second] = me === 0 ? [1, 2] : [2, 1];
          await trx(table).where('id', first).increment('value', 1);
          holding[me]!.resolve();
          await holding[1 - me]!.promise;
          await trx(table).where('id', second).increment('value', 1);
        });
      return { runs, transaction };
    }

    it('the crossed transactions really deadlock: without retries one fails with the driver’s deadlock error', async () => {
      const { transaction } = crossedTransactions();
      const results = await Promise.allSettled([withDeadlockRetry(transaction(0), 1), withDeadlockRetry(transaction(1), 1)]);
      const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      assert.equal(rejected.length, 1, 'exactly one victim');
      const err = rejected[0]!.reason as { code?: string; errno?: number };
      assert.ok(isDeadlock(err), `a deadlock error: ${JSON.stringify({ code: err.code, errno: err.errno })}`);
      assert.equal(err.code, db.name === 'postgres' ? '40P01' : 'ER_LOCK_DEADLOCK');
      const rows = await knex(table).orderBy('id').pluck('value');
      assert.deepEqual(rows.map(Number), [1, 1], "only the survivor's changes are kept");
    });

    it('runs the victim again, so both transactions take effect', async () => {
      const { runs, transaction } = crossedTransactions();
      await Promise.all([withDeadlockRetry(transaction(0)), withDeadlockRetry(transaction(1))]);
      assert.deepEqual([...runs].sort(), [1, 2], 'one transaction ran twice');
      const rows = await knex(table).orderBy('id').pluck('value');
      assert.deepEqual(rows.map(Number), [2, 2]);
    });

    it('does not re-run a transaction that failed for another reason', async () => {
      let runs = 0;
      await assert.rejects(
        withDeadlockRetry(() =>
          knex.transaction(async (trx) => {
            runs += 1;
            await trx(table).insert({ id: 1, value: 5 });
          }),
        ),
      );
      assert.equal(runs, 1);
    });
  });
}
