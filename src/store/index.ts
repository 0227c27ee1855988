// The model's Store with knex: the table groups' stores as one object, so the domain can run
// the same calls inside a transaction.
import type { Knex } from 'knex';
import type { Store } from '../model/store';
import type { Clock } from '../model/types';
import type { TableNames } from './tables';
import { departmentStore } from './departments';
import { afterWrites, cachedDepartments, departmentCache, keptList, type DepartmentCache, type KeptList } from './department-cache';
import { incidentStore } from './incidents';
import type { Incident } from '../model/incidents';
import { ticketStore } from './tickets';
import { messageStore } from './messages';
import { outboxStore } from './outbox';
import { queueStore } from './queue';
import { eventStore } from './events';
import { departmentStaffStore } from './department-staff';
import { cannedReplyStore } from './canned-replies';
import { customerGateStore } from './customer-gates';
import { ratingStore } from './ratings';
import { slaWarningStore } from './sla-warnings';
import { reportStore } from './reports';
import { pendingUploadStore } from './pending-uploads';
import { escalationPageStore } from './escalation-pages';
import { withDeadlockRetry } from './dialect';
import { transaction } from './transaction';
import { isDatabaseUnavailable } from './unavailable';

/** `now` is the clock that ages the departments' copy (department-cache.ts). */
export function createStore(knex: Knex, tables: TableNames, now: Clock = Date.now): Store {
  return storeOn(knex, tables, { departments: departmentCache(now), openIncidents: keptList<Incident>(now) });
}

/** What the store keeps in memory for a few seconds. */
interface Kept {
  departments: DepartmentCache;
  openIncidents: KeptList<Incident>;
}

/**
 * Outside a transaction departments are read from the copy; inside one from the database, and a
 * department written there clears the copy once the transaction has ended (committed or not),
 * so no read in between can keep what the change replaced.
 */
function storeOn(knex: Knex, tables: TableNames, kept: Kept, inTransaction?: { wrote: boolean }): Store {
  const departments = departmentStore(knex, tables);
  const noteWrite = inTransaction ? () => (inTransaction.wrote = true) : null;
  return {
    departments: noteWrite ? afterWrites(departments, noteWrite) : cachedDepartments(departments, kept.departments),
    incidents: incidentStore(knex, tables, kept.openIncidents, noteWrite ?? (() => kept.openIncidents.clear())),
    tickets: ticketStore(knex, tables),
    messages: messageStore(knex, tables),
    outbox: outboxStore(knex, tables),
    queue: queueStore(knex, tables),
    events: eventStore(knex, tables),
    members: departmentStaffStore(knex, tables),
    canned: cannedReplyStore(knex, tables),
    gates: customerGateStore(knex, tables),
    ratings: ratingStore(knex, tables),
    pendingUploads: pendingUploadStore(knex, tables),
    escalationPages: escalationPageStore(knex, tables),
    slaWarnings: slaWarningStore(knex, tables),
    reports: reportStore(knex, tables),
    async transaction(fn) {
      // A nested transaction (a savepoint) reports to the outermost one, which alone ends with a
      // commit; a deadlock ends the whole transaction, so only the outermost one runs again.
      const state = inTransaction ?? { wrote: false };
      const run = () => transaction(knex, (trx) => fn(storeOn(trx, tables, kept, state)));
      try {
        return await (inTransaction ? run() : withDeadlockRetry(run));
      } finally {
        if (!inTransaction && state.wrote) {
          kept.departments.clear();
          kept.openIncidents.clear();
        }
      }
    },
    isUnavailable: isDatabaseUnavailable,
  };
}
