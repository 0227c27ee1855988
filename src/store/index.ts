// The model's Store with knex: the table groups' stores as one object, so the domain can run
// the same calls inside a transaction.
import type { Knex } from 'knex';
import type { Store } from '../model/store';
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
import { isDatabaseUnavailable } from './unavailable';

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
    isUnavailable: isDatabaseUnavailable,
  };
}
