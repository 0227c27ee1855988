// The host's knex with every statement sent on one connection: what a store transaction
// (store/transaction.ts) hands the stores instead of a knex transaction. A query builder or raw
// made through it runs on that connection (knex's `.connection()`); compiled statements find the
// connection here (store/sql.ts). Anything that would take another connection from the pool or
// start a knex transaction is refused rather than quietly run outside the transaction.
import type { Knex } from 'knex';

/** A connection from knex's pool, as knex marks it. */
export interface PooledConnection {
  __knexUid?: string;
  __knexTxId?: string;
  /** Set when the connection must not be used again: knex's pool destroys it instead of handing it out. */
  __knex__disposed?: unknown;
}

const CONNECTION = Symbol('support-requests connection');

/** Members that create no statement of their own. */
const PASSED_THROUGH = new Set<PropertyKey>(['client', 'fn', 'ref']);

export function knexOn(knex: Knex, connection: PooledConnection, isOpen: () => boolean): Knex {
  // The connection goes back to the pool when the transaction ends: nothing may reach it through here after that.
  const open = () => {
    if (!isOpen()) throw new Error('support-requests: a statement after its store transaction ended');
    return connection;
  };
  const on = <Q extends Knex.QueryBuilder | Knex.Raw>(query: Q): Q => query.connection(open()) as Q;
  return new Proxy(knex, {
    apply: (target, _that, args: Parameters<Knex>) => on(target(...args)),
    get(target, key) {
      if (key === CONNECTION) return open();
      if (key === 'raw') return (...args: Parameters<Knex['raw']>) => on(target.raw(...args));
      if (key === 'queryBuilder') return () => on(target.queryBuilder());
      if (PASSED_THROUGH.has(key)) return target[key as keyof Knex];
      if (typeof key === 'symbol' || key === 'then') return undefined;
      throw new Error(`support-requests: knex.${key} is not available inside a store transaction`);
    },
  });
}

/** The connection a knex from knexOn sends on; undefined for the host's knex (its pool). */
export function connectionOf(knex: Knex): PooledConnection | undefined {
  return (knex as unknown as { [CONNECTION]?: PooledConnection })[CONNECTION];
}
