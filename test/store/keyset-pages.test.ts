// Keyset pages read through a list once, with no row twice and none left out, on each database
// (store/cursor.ts whereAfter: a row-value comparison, or written out on MariaDB), including rows
// that tie on every column but the id.
import assert from 'node:assert/strict';
import type { NewTicket, Store } from '../../src/model/store';
import type { Page, Ticket } from '../../src/model/types';
import { createStore } from '../../src/store';
import { migrateDownAll, migrateLatest } from '../../src/store/migrate';
import { tableNames } from '../../src/store/tables';
import { forEachDatabase, uniquePrefix, type Connection } from '../support/databases';
import { MIGRATIONS_DIR, newTicket, SALES } from '../support/store-fixtures';

function ticket(departmentId: number, i: number): NewTicket {
  // Three timestamps and two priorities for 23 tickets: most pages end inside a tie.
  return newTicket(departmentId, String(20_000_000 + i), {
    at: 1_000 + (i % 3),
    subject: `Тема ${i}`,
    priority: i % 2 === 0 ? 'high' : 'normal',
  });
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
    const department = await store.departments.create('sales', SALES, 1);
    ids = [];
    for (let i = 0; i < 23; i++) ids.push(await store.tickets.insert(ticket(department, i)));
  });
  after(async () => {
    await migrateDownAll(connection.knex, MIGRATIONS_DIR, tables);
    await connection.release();
  });

  /** The pages gave the tickets in the list's order, and every ticket exactly once. */
  function assertEachOnceInOrder(seen: Ticket[], order: (a: Ticket, b: Ticket) => number): void {
    assert.deepEqual(
      seen.map((t) => t.id),
      [...seen].sort(order).map((t) => t.id),
    );
    assert.deepEqual(
      [...seen.map((t) => t.id)].sort((a, b) => a - b),
      [...ids].sort((a, b) => a - b),
    );
  }

  it("reads a customer's list newest first, each ticket once", async () => {
    const seen = await allPages((cursor) => store.tickets.listForCustomer('c-1', { status: 'all', search: '' }, cursor, 4));
    assertEachOnceInOrder(seen, (a, b) => b.updatedAt - a.updatedAt || b.id - a.id);
  });

  it("reads a customer's open list and a search in it (tk_cust_open, subject_search) newest first, each ticket once", async () => {
    const closed = ids.filter((_, i) => i % 4 === 0);
    for (const id of closed) await store.tickets.update(id, { status: 'closed' });
    try {
      const open = await allPages((cursor) => store.tickets.listForCustomer('c-1', { status: 'open', search: '' }, cursor, 4));
      assert.deepEqual(
        open.map((t) => t.id),
        [...open].sort((a, b) => b.updatedAt - a.updatedAt || b.id - a.id).map((t) => t.id),
      );
      assert.deepEqual(new Set(open.map((t) => t.id)), new Set(ids.filter((id) => !closed.includes(id))));
      // Every word anywhere in the subject, in another case: "Тема 1", "Тема 10".."Тема 19", "Тема 21", over three pages.
      const found = await allPages((cursor) => store.tickets.listForCustomer('c-1', { status: 'all', search: 'ТЕМА 1' }, cursor, 4));
      const expected = ids.map((_, i) => `Тема ${i}`).filter((subject) => subject.slice(5).includes('1'));
      assert.equal(expected.length, 12);
      assert.deepEqual(found.map((t) => t.subject).sort(), expected.sort());
    } finally {
      for (const id of closed) await store.tickets.update(id, { status: 'new' });
    }
  });

  it('reads the staff queue in its order, each ticket once', async () => {
    const seen = await allPages((cursor) =>
      store.queue.page(
        { departmentIds: null, status: 'open', priority: null, serviceKind: null, assignee: null, search: '', dueBefore: null },
        cursor,
        4,
      ),
    );
    const rank = (t: Ticket) => (t.priority === 'high' ? 1 : 2);
    assertEachOnceInOrder(seen, (a, b) => rank(a) - rank(b) || a.lastCustomerAt - b.lastCustomerAt || a.id - b.id);
  });
});
