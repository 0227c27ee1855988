// One row per customer that a transaction locks to act for that customer alone: two requests
// of one customer then count and insert one after the other, on every database. On PostgreSQL
// and MariaDB/MySQL the lock is SELECT … FOR UPDATE (a row lock, no new row version to write);
// on SQLite it is an UPDATE, which takes the database's write lock at once, so a deferred BEGIN
// never has to upgrade a read lock.
import type { Knex } from 'knex';
import type { CustomerGateStore } from '../model/store';
import type { TableNames } from './tables';
import { dialectOf } from './dialect';
import { statement } from './compiled';
import { sqlOn } from './sql';

const HOLD = statement<{ customerId: string; at: number }>((knex, t, v) =>
  dialectOf(knex) === 'sqlite'
    ? knex(t.customerGates)
        .where('customer_id', v('customerId'))
        .update({ locked_at: v('at') })
    : knex(t.customerGates).where('customer_id', v('customerId')).forUpdate().first('customer_id'),
);

export function customerGateStore(knex: Knex, t: TableNames): CustomerGateStore {
  const sql = sqlOn(knex, t);
  return {
    /**
     * Makes sure the customer's row exists. Call it outside the transaction: as a statement of
     * its own it holds no lock afterwards (inside, MySQL's duplicate-key check would keep a
     * shared lock that deadlocks against the UPDATE of a concurrent request).
     */
    async ensure(customerId: string, at: number): Promise<void> {
      await knex(t.customerGates).insert({ customer_id: customerId, locked_at: at }).onConflict('customer_id').ignore();
    },

    /** Inside a transaction: waits for, then holds until the end, this customer's row; false if it does not exist. */
    async hold(customerId: string, at: number): Promise<boolean> {
      const held = await sql.run(HOLD, { customerId, at });
      return (dialectOf(knex) === 'sqlite' ? held.changes : held.rows.length) === 1;
    },
  };
}
