// What an admin does with held mail, on the memory store: attach it to a request (as the
// customer's reply when it is theirs, as the admin's note naming the sender otherwise), open a
// request for a customer from it, or discard it with its original.
import assert from 'node:assert/strict';
import type { HostUser } from '../../src/host';
import type { InboundMail, ParsedMail } from '../../src/model/inbound';
import { NotFoundError } from '../../src/model/errors';
import { heldMail } from '../../src/domain/held-mail';
import { replyAddresses } from '../../src/mail/reply-address';
import { admin, domainWorld, ivan, problemsOf } from '../support/domain-world';
import { memoryInbound } from '../support/memory-inbound';
import { intakeOver } from '../support/intake-world';

const addresses = replyAddresses('support@panel.example', 'held-mail-test-secret-of-32-characters');

function mail(from: string, text: string): ParsedMail {
  return {
    messageId: `<${Math.random().toString(36).slice(2)}@mail.example>`,
    inReplyTo: [],
    references: [],
    from: { address: from, name: 'Someone' },
    recipients: ['support@panel.example'],
    subject: 'Про мой сервер',
    date: null,
    text,
    fullText: text,
    files: [],
    automatic: null,
    report: null,
    authVerdict: 'none',
    partCount: 1,
  };
}

async function world(users: HostUser[] = [ivan]) {
  const w = await domainWorld();
  const inbound = memoryInbound();
  const parsed = new Map<string, ParsedMail>();
  const intake = intakeOver(w, inbound, addresses, {
    findUserByEmail: async (email) => users.find((u) => u.email === email) ?? null,
    keepFile: async () => assert.fail('no files here'),
    // Nothing opens by itself here: every message to the plain address is held.
    defaultDepartment: null,
  });
  const held = heldMail({
    store: w.store,
    inbound,
    intake,
    reread: async (row: InboundMail) => parsed.get(row.rawKey) ?? null,
    readOriginal: async (row: InboundMail) => (parsed.has(row.rawKey) ? Buffer.from(row.rawKey) : null),
    discardFiles: async (keys) => void w.discarded.push(...keys),
    findUserByEmail: async (email) => users.find((u) => u.email === email) ?? null,
    now: w.clock.now,
  });
  let n = 0;
  /** Holds a message as the intake would, and returns its row id. */
  const hold = async (message: ParsedMail): Promise<number> => {
    const key = `raw-${++n}`;
    parsed.set(key, message);
    const result = await intake.take(message, Buffer.from(key), { keep: async () => ({ key, size: 3 }) });
    assert.equal(result.outcome, 'held');
    return (await inbound.held(1))[0]!.id;
  };
  return { ...w, inbound, held, hold };
}

describe('domain: held mail', () => {
  it("attached to a request: the customer's own mail becomes their reply; anyone else's the admin's note naming them", async () => {
    const w = await world();
    const ticket = await w.open(ivan);
    const own = await w.hold(mail(ivan.email, 'Это я, Иван, с другого письма.'));
    assert.equal(await w.held.attach(admin, own, ticket.number), ticket.number);
    const stranger = await w.hold(mail('boss@ivan-company.example', 'Я руководитель Ивана.'));
    await w.held.attach(admin, stranger, ` ${ticket.number} `);
    const thread = await w.store.messages.thread(ticket.id, 'staff');
    assert.deepEqual(
      thread.slice(1).map((m) => [m.authorKind, m.internal, m.body]),
      [
        ['customer', false, 'Это я, Иван, с другого письма.'],
        ['staff', true, 'From Someone <boss@ivan-company.example>:\n\nЯ руководитель Ивана.'],
      ],
    );
    assert.deepEqual((await w.held.list()).total, 0);
    const row = await w.inbound.find(own);
    assert.equal(row?.status, 'stored');
    assert.equal(row?.handledBy, admin.name);
    // Already dealt with: a second attach finds nothing held.
    await assert.rejects(w.held.attach(admin, own, ticket.number), NotFoundError);
  });

  it('a number that names no request is refused next to the field', async () => {
    const w = await world();
    const id = await w.hold(mail(ivan.email, 'Текст'));
    assert.deepEqual(await problemsOf(w.held.attach(admin, id, '99999999')), { number: 'errors.held.noTicket' });
    assert.deepEqual(await problemsOf(w.held.attach(admin, id, 'abc')), { number: 'errors.held.noTicket' });
    assert.equal((await w.held.list()).total, 1, 'still held');
  });

  it('opens a request for a customer from it, in the department chosen', async () => {
    const w = await world();
    const id = await w.hold(mail(ivan.email, 'Сайт не открывается с утра.'));
    const number = await w.held.open(admin, id, { email: '', departmentId: w.departments.technical!.id });
    const ticket = (await w.store.tickets.findByNumber(number))!;
    assert.equal(ticket.customerId, ivan.id);
    assert.equal(ticket.subject, 'Про мой сервер');
    assert.equal((await w.inbound.find(id))?.status, 'opened');
    const other = await w.hold(mail('nobody@example.com', 'Кто я?'));
    assert.deepEqual(
      await problemsOf(w.held.open(admin, other, { email: 'nobody@example.com', departmentId: w.departments.technical!.id })),
      {
        email: 'errors.held.noCustomer',
      },
    );
    assert.deepEqual(await problemsOf(w.held.open(admin, other, { email: ivan.email, departmentId: w.departments.archive!.id })), {
      departmentId: 'errors.department.required',
    });
  });

  it('discarded: out of the list, its original removed', async () => {
    const w = await world();
    const id = await w.hold(mail('spam@example.com', 'Купите'));
    const row = (await w.inbound.find(id))!;
    await w.held.discard(admin, id);
    assert.equal((await w.held.list()).total, 0);
    assert.equal((await w.inbound.find(id))?.status, 'discarded');
    assert.ok(w.discarded.includes(row.rawKey));
    await assert.rejects(w.held.discard(admin, id), NotFoundError);
  });
});
