// The storage layer as one object, so the domain can run the same calls inside a transaction.
import type { Knex } from 'knex';
import type { TableNames } from './tables';
import { departmentStore } from './departments';
import { ticketStore } from './tickets';
import { messageStore } from './messages';
import { outboxStore } from './outbox';
import { queueStore } from './queue';
import { eventStore } from './events';
import { departmentStaffStore } from './department-staff';
import { cannedReplyStore } from './canned-replies';
import { customerGateStore } from './customer-gates';
import { withDeadlockRetry } from './dialect';

export interface Store {
  departments: ReturnType<typeof departmentStore>;
  tickets: ReturnType<typeof ticketStore>;
  messages: ReturnType<typeof messageStore>;
  outbox: ReturnType<typeof outboxStore>;
  queue: ReturnType<typeof queueStore>;
  events: ReturnType<typeof eventStore>;
  members: ReturnType<typeof departmentStaffStore>;
  canned: ReturnType<typeof cannedReplyStore>;
  gates: ReturnType<typeof customerGateStore>;
  /**
   * Runs fn with a store bound to one transaction: all of it commits, or none of it. A deadlock
   * victim is run again from the start, so fn must not have effects outside the database.
   */
  transaction<T>(fn: (store: Store) => Promise<T>): Promise<T>;
}

export function createStore(knex: Knex, tables: TableNames): Store {
  return {
    departments: departmentStore(knex, tables),
    tickets: ticketStore(knex, tables),
    messages: messageStore(knex, tables),
    outbox: outboxStore(knex, tables),
    queue: queueStore(knex, tables),
    events: eventStore(knex, tables),
    members: departmentStaffStore(knex, tables),
    canned: cannedReplyStore(knex, tables),
    gates: customerGateStore(knex, tables),
    transaction: (fn) => withDeadlockRetry(() => knex.transaction((trx) => fn(createStore(trx, tables)))),
  };
}
