// The store turns what the database refuses into the model's errors, on each database: a unique
// index into ConflictError naming the rule, a foreign key into StillReferencedError or
// ReferenceMissingError naming the reference. The domain never sees the driver's error.
import assert from 'node:assert/strict';
import { ConflictError, ReferenceMissingError, StillReferencedError } from '../../src/model/errors';
import type { NewTicket, Store } from '../../src/model/store';
import { createStore } from '../../src/store';
import { migrateDownAll, migrateLatest } from '../../src/store/migrate';
import { tableNames } from '../../src/store/tables';
import { forEachDatabase, uniquePrefix, type Connection } from '../support/databases';
import { MIGRATIONS_DIR, newTicket, SALES } from '../support/store-fixtures';

function ticket(departmentId: number, number: string, submissionKey: string): NewTicket {
  return newTicket(departmentId, number, { submissionKey });
}

/** Asserts the work fails with this model error, and that the error keeps the driver's as its cause. */
async function refusedWith(work: Promise<unknown>, type: new (...args: never[]) => Error, meaning: string): Promise<void> {
  await assert.rejects(work, (err: Error & { rule?: string; reference?: string }) => {
    assert.ok(err instanceof type, `${err.name}: ${err.message}`);
    assert.equal(err.rule ?? err.reference, meaning);
    assert.ok(err.cause, "the driver's error is kept as the cause");
    return true;
  });
}

forEachDatabase('store refusals as model errors', (db) => {
  let connection: Connection;
  let store: Store;
  const tables = tableNames(uniquePrefix());
  let sales: number;
  let ticketId: number;

  before(async () => {
    connection = db.connect();
    await migrateLatest(connection.knex, MIGRATIONS_DIR, tables);
    store = createStore(connection.knex, tables);
    sales = await store.departments.create('sales', SALES, 1);
    ticketId = await store.tickets.insert(ticket(sales, '10000001', 'form-1'));
  });
  after(async () => {
    await migrateDownAll(connection.knex, MIGRATIONS_DIR, tables);
    await connection.release();
  });

  it('a department code taken', async () => {
    await refusedWith(store.departments.create('sales', SALES, 2), ConflictError, 'departmentCode');
  });

  it("a ticket number taken, and a customer's form submitted twice, told apart", async () => {
    await refusedWith(store.tickets.insert(ticket(sales, '10000001', 'form-2')), ConflictError, 'ticketNumber');
    await refusedWith(store.tickets.insert(ticket(sales, '10000002', 'form-1')), ConflictError, 'ticketSubmission');
  });

  it('a message, an audit entry, a member twice', async () => {
    const message = {
      ticketId,
      authorKind: 'customer' as const,
      authorId: 'c-1',
      authorName: 'Иван',
      body: 'Текст',
      createdAt: 1,
      submissionKey: 'reply-1',
    };
    await store.messages.insert(message);
    await refusedWith(store.messages.insert(message), ConflictError, 'messageSubmission');
    const event = {
      ticketId,
      actorId: 's-1',
      actorName: 'Пётр',
      action: 'department' as const,
      detail: {},
      createdAt: 1,
      submissionKey: 'transfer-1',
    };
    await store.events.record([event]);
    await refusedWith(store.events.record([event]), ConflictError, 'eventSubmission');
    const member = { departmentId: sales, userId: 's-1', name: 'Пётр', email: 'petr@panel.example' };
    await store.members.add(member);
    await refusedWith(store.members.add(member), ConflictError, 'memberUser');
  });

  it('a department with a ticket is not deleted, inside a transaction too', async () => {
    await refusedWith(store.departments.remove(sales), StillReferencedError, 'ticketDepartment');
    await refusedWith(
      store.transaction((tx) => tx.departments.remove(sales)),
      StillReferencedError,
      'ticketDepartment',
    );
    assert.ok(await store.departments.find(sales));
  });

  it('rows that refer to a department that is gone', async () => {
    const gone = 2_000_000_000;
    await refusedWith(store.tickets.insert(ticket(gone, '10000003', 'form-3')), ReferenceMissingError, 'ticketDepartment');
    await refusedWith(store.tickets.update(ticketId, { departmentId: gone }), ReferenceMissingError, 'ticketDepartment');
    await refusedWith(
      store.members.add({ departmentId: gone, userId: 's-2', name: 'Коля', email: 'kolya@panel.example' }),
      ReferenceMissingError,
      'memberDepartment',
    );
    await refusedWith(
      store.canned.create({ departmentId: gone, title: 'T', body: 'B', locale: null }, 1),
      ReferenceMissingError,
      'cannedDepartment',
    );
  });

  it('other failures pass through as they are', async () => {
    // A NOT NULL column left empty is a fault of ours, not a refusal the domain acts on.
    const broken = { ...ticket(sales, '10000004', 'form-4'), subject: null as unknown as string };
    await assert.rejects(
      store.tickets.insert(broken),
      (err: Error) => !(err instanceof ConflictError) && !(err instanceof ReferenceMissingError),
    );
  });
});
