// A store transaction on one connection from the host's knex pool, without knex's Transaction
// object: BEGIN, the work, COMMIT, or ROLLBACK when anything fails. Why: knex.transaction() costs
// ~150–350 µs of CPU per transaction besides its statements (a transactor knex and a client copy
// made for each, its promise plumbing, every event fired twice; measured on the create), as much
// as several of the create's statements. BEGIN, COMMIT and ROLLBACK are sent like any statement
// (store/sql.ts), so knex's 'query' event fires for each, as it does for knex's own.
//
// A connection whose ROLLBACK failed may still be inside the transaction: it is marked disposed,
// so knex's pool destroys it rather than hand it out again. Inside a transaction, `transaction`
// again makes a savepoint, as knex does.
import type { Knex } from 'knex';
import { connectionOf, knexOn, type PooledConnection } from './bound-knex';
import { dialectOf } from './dialect';
import { sendOn } from './sql';

let transactions = 0;
/** Savepoints open on a connection; named by their depth, so SQLite's kept statements stay few (store/sql.ts). */
const savepointDepth = new WeakMap<PooledConnection, number>();

/** Runs `work` with a knex bound to one transaction (store/bound-knex.ts); its statements must be awaited inside. */
export async function transaction<T>(knex: Knex, work: (trx: Knex) => Promise<T>): Promise<T> {
  const held = connectionOf(knex);
  if (held) return savepoint(knex, held, work);
  const { client } = knex;
  const dialect = dialectOf(knex);
  const connection = (await client.acquireConnection()) as PooledConnection;
  const send = (sql: string) => sendOn(client, dialect, connection, sql, []);
  let open = true;
  connection.__knexTxId = `support-requests-trx${++transactions}`;
  try {
    await send('BEGIN;');
    const result = await work(knexOn(knex, connection, () => open)).finally(() => (open = false));
    await send('COMMIT;');
    return result;
  } catch (err) {
    await send('ROLLBACK').catch((rollbackFailed: unknown) => (connection.__knex__disposed = rollbackFailed));
    throw err;
  } finally {
    delete connection.__knexTxId;
    await client.releaseConnection(connection);
  }
}

async function savepoint<T>(knex: Knex, connection: PooledConnection, work: (trx: Knex) => Promise<T>): Promise<T> {
  const depth = (savepointDepth.get(connection) ?? 0) + 1;
  const name = `support_requests_${depth}`;
  const send = (sql: string) => sendOn(knex.client, dialectOf(knex), connection, sql, []);
  savepointDepth.set(connection, depth);
  try {
    await send(`SAVEPOINT ${name}`);
    try {
      const result = await work(knex);
      await send(`RELEASE SAVEPOINT ${name}`);
      return result;
    } catch (err) {
      await send(`ROLLBACK TO SAVEPOINT ${name}`);
      throw err;
    }
  } finally {
    savepointDepth.set(connection, depth - 1);
  }
}
