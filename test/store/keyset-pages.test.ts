// Keyset pages read through a list once, with no row twice and none left out, on each database
// (store/cursor.ts whereAfter: a row-value comparison, or written out on MariaDB), including rows
// that tie on every column but the id.
import assert from 'node:assert/strict';
import path from 'node:path';
import type { NewTicket, Store } from '../../src/model/store';
import type { Page, Ticket } from '../../src/model/types';
import { PLUGIN_ROOT } from '../../src/paths';
import { createStore } from '../../src/store';
import { migrateDownAll, migrateLatest } from '../../src/store/migrate';
import { tableNames } from '../../src/store/tables';
import { forEachDatabase, uniquePrefix, type Connection } from '../support/databases';

const MIGRATIONS_DIR = path.join(PLUGIN_ROOT, 'dist', 'migrations');

function ticket(departmentId: number, i: number): NewTicket {
  // Three timestamps and two priorities for 23 tickets: most pages end inside a tie.
  const at = 1_000 + (i % 3);
  return {
    number: String(20_000_000 + i),
    customerId: 'c-1',
    customerName: 'Иван',
    customerEmail: 'ivan@example.ru',
    customerLocale: 'ru',
    serviceId: null,
    serviceLabel: null,
    departmentId,
    subject: `Тема ${i}`,
    status: 'new',
    priority: i % 2 === 0 ? 'high' : 'normal',
    createdAt: at,
    updatedAt: at,
    lastReplyAt: null,
    closedAt: null,
    threadMessageId: null,
    assigneeId: null,
    assigneeName: null,
    serviceKind: null,
    lastCustomerAt: at,
  };
}

async function allPages(read: (cursor: string | null) => Promise<Page<Ticket>>): Promise<Ticket[]> {
  const seen: Ticket[] = [];
  let cursor: string | null = null;
  do {
    const page = await read(cursor);
    seen.push(...page.items);
    cursor = page.next;
  } while (cursor);
  return seen;
}

forEachDatabase('keyset pages', (db) => {
  let connection: Connection;
  let store: Store;
  const tables = tableNames(uniquePrefix());
  let ids: number[];

  before(async () => {
    connection = db.connect();
    await migrateLatest(connection.knex, MIGRATIONS_DIR, tables);
    store = createStore(connection.knex, tables);
    const department = await store.departments.create(
      'sales',
      {
        name: { ru: 'Продажи', en: 'Sales' },
        guidance: { ru: '', en: '' },
        emails: [],
        onCall: [],
        mailLocale: null,
        urgent: false,
        active: true,
        order: 9,
      },
      1,
    );
    ids = [];
    for (let i = 0; i < 23; i++) ids.push(await store.tickets.insert(ticket(department, i)));
  });
  after(async () => {
    await migrateDownAll(connection.knex, MIGRATIONS_DIR, tables);
    await connection.release();
  });

  it("reads a customer's list newest first, each ticket once", async () => {
    const seen = await allPages((cursor) => store.tickets.listForCustomer('c-1', cursor, 4));
    const expected = [...seen].sort((a, b) => b.updatedAt - a.updatedAt || b.id - a.id);
    assert.deepEqual(
      seen.map((t) => t.id),
      expected.map((t) => t.id),
    );
    assert.deepEqual(
      [...seen.map((t) => t.id)].sort((a, b) => a - b),
      [...ids].sort((a, b) => a - b),
    );
  });

  it('reads the staff queue in its order, each ticket once', async () => {
    const seen = await allPages((cursor) =>
      store.queue.page({ departmentIds: null, status: 'open', priority: null, serviceKind: null, assignee: null, search: '' }, cursor, 4),
    );
    const rank = (t: Ticket) => (t.priority === 'high' ? 1 : 2);
    const expected = [...seen].sort((a, b) => rank(a) - rank(b) || a.lastCustomerAt - b.lastCustomerAt || a.id - b.id);
    assert.deepEqual(
      seen.map((t) => t.id),
      expected.map((t) => t.id),
    );
    assert.deepEqual(
      [...seen.map((t) => t.id)].sort((a, b) => a - b),
      [...ids].sort((a, b) => a - b),
    );
  });
});
