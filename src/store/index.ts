// The storage layer as one object, so the domain can run the same calls inside a transaction.
import type { Knex } from 'knex';
import type { TableNames } from './tables';
import { departmentStore } from './departments';
import { ticketStore } from './tickets';
import { messageStore } from './messages';

export interface Store {
  departments: ReturnType<typeof departmentStore>;
  tickets: ReturnType<typeof ticketStore>;
  messages: ReturnType<typeof messageStore>;
  /** Runs fn with a store bound to one transaction: all of it commits, or none of it. */
  transaction<T>(fn: (store: Store) => Promise<T>): Promise<T>;
}

export function createStore(knex: Knex, tables: TableNames): Store {
  return {
    departments: departmentStore(knex, tables),
    tickets: ticketStore(knex, tables),
    messages: messageStore(knex, tables),
    transaction: (fn) => knex.transaction((trx) => fn(createStore(trx, tables))),
  };
}
