// Merge rules on the memory store: what moves, what each side records and e-mails, who may merge
// what, how old numbers lead on (chains included), and a merge made twice.
import assert from 'node:assert/strict';
import { NotFoundError } from '../../src/model/errors';
import { mergeProblem } from '../../src/domain/merge';
import { typedNumber } from '../../src/domain/ticket-number';
import { admin, anna, domainWorld, ivan, olga, petr, problemsOf, storedFile } from '../support/domain-world';

describe('domain: merge', () => {
  it('moves every message, note, file and history entry, keeping authors and times, and orders the thread by time', async () => {
    const w = await domainWorld();
    const into = await w.open(ivan, 'technical', { subject: 'Сайт не открывается' });
    w.clock.advance(60_000);
    const from = await w.open(ivan, 'technical', { subject: 'Сайт лежит', files: [storedFile('a.png')] });
    w.clock.advance(60_000);
    await w.staff.note(petr, from.number, 'Заметка к старому', [storedFile('b.txt', 'text/plain')], 'n-1');
    w.clock.advance(60_000);
    await w.customer.reply(ivan, into.number, 'Ещё и почта не ходит.', [], 'r-1');
    const before = await w.store.messages.thread(from.id, 'staff');
    const intoBefore = await w.store.messages.thread(into.id, 'staff');
    const historyBefore = await w.store.events.forTicket(from.id);

    const target = await w.staff.merge(petr, from.number, into.number, 'merge');
    assert.equal(target.number, into.number);

    const thread = await w.store.messages.thread(into.id, 'staff');
    assert.equal(thread.length, before.length + intoBefore.length, 'every message is there');
    assert.deepEqual(
      thread.map((m) => m.createdAt),
      [...thread.map((m) => m.createdAt)].sort((a, b) => a - b),
      'by time',
    );
    for (const m of before) {
      const moved = thread.find((x) => x.id === m.id);
      assert.ok(moved, `message ${m.id} moved`);
      assert.deepEqual(
        { ...moved, ticketId: 0 },
        { ...m, ticketId: 0, attachments: moved.attachments },
        'author, time, body, note flag kept',
      );
      assert.deepEqual(
        moved.attachments.map((a) => [a.storageKey, a.ticketId]),
        m.attachments.map((a) => [a.storageKey, into.id]),
        'files point at the new request, in the same storage',
      );
    }
    assert.equal((await w.store.messages.thread(from.id, 'staff')).length, 0);
    const attachment = before[0]!.attachments[0]!;
    assert.ok(await w.staff.attachment(petr, into.number, attachment.id), 'the file downloads under the new number');
    assert.ok(await w.staff.attachment(petr, from.number, attachment.id), 'and under the old one');
    assert.ok(await w.customer.attachment(ivan, from.number, attachment.id), "the customer's old file link works too");

    const history = await w.store.events.forTicket(into.id);
    for (const e of historyBefore)
      assert.ok(
        history.some((x) => x.id === e.id),
        `history entry ${e.action} moved`,
      );
    assert.deepEqual(
      history.filter((e) => e.action === 'merge').map((e) => e.detail),
      [{ from: from.number, to: into.number }],
    );
    assert.deepEqual(
      (await w.store.events.forTicket(from.id)).map((e) => [e.action, e.detail.to]),
      [['merge', into.number]],
      'the old request keeps the merge in its own history',
    );
    const old = await w.store.tickets.findById(from.id);
    assert.equal(old?.status, 'closed');
    assert.equal(old?.mergedIntoId, into.id);
    assert.ok(w.mail.calls.includes(`customer-merged #${into.number}`), 'the customer is told');
  });

  it('the customer sees a line about it in the new request, and the old one is gone from their list', async () => {
    const w = await domainWorld();
    const into = await w.open(ivan);
    const from = await w.open(ivan);
    await w.staff.merge(petr, from.number, into.number, 'merge');
    const view = await w.customer.view(ivan, into.number);
    assert.deepEqual(
      view.systemLines.map((l) => l.kind === 'merge' && [l.from, l.to]),
      [[from.number, into.number]],
    );
    assert.deepEqual(
      (await w.customer.list(ivan, { status: 'all', search: '' }, null)).items.map((t) => t.number),
      [into.number],
    );
    const queue = await w.staff.queue(
      admin,
      { departmentId: null, due: null, status: 'all', priority: null, serviceKind: null, assignee: null, search: '' },
      null,
    );
    assert.deepEqual(
      queue.items.map((t) => t.number),
      [into.number],
      'nor in the queue',
    );
    const byNumber = await w.staff.queue(
      admin,
      { departmentId: null, due: null, status: 'all', priority: null, serviceKind: null, assignee: null, search: from.number },
      null,
    );
    assert.deepEqual(
      byNumber.items.map((t) => t.number),
      [from.number],
      'but its number still finds it',
    );
  });

  it('old numbers lead to the request they went into, for its customer and staff with access only', async () => {
    const w = await domainWorld();
    const into = await w.open(ivan);
    const from = await w.open(ivan);
    await w.staff.merge(petr, from.number, into.number, 'merge');
    assert.equal((await w.customer.view(ivan, from.number)).ticket.number, into.number);
    assert.equal((await w.staff.view(petr, from.number)).ticket.number, into.number);
    await assert.rejects(w.customer.view(olga, from.number), NotFoundError, 'another customer learns nothing');
    await assert.rejects(w.staff.view(anna, from.number), NotFoundError, 'staff of another department neither');
    // A reply through the old number lands in the new request.
    await w.customer.reply(ivan, from.number, 'Пишу в старый запрос.', [], 'old-1');
    assert.equal((await w.store.messages.thread(into.id, 'customer')).at(-1)?.body, 'Пишу в старый запрос.');
  });

  it("a pointer to another customer's request (which no merge makes) leads nowhere, nor does a loop", async () => {
    const w = await domainWorld();
    const mine = await w.open(ivan);
    const hers = await w.open(olga);
    w.store.data.tickets.find((t) => t.id === mine.id)!.mergedIntoId = hers.id;
    await assert.rejects(w.customer.view(ivan, mine.number), NotFoundError);
    await assert.rejects(w.customer.view(olga, mine.number), NotFoundError);
    w.store.data.tickets.find((t) => t.id === mine.id)!.mergedIntoId = mine.id;
    await assert.rejects(w.staff.view(petr, mine.number), NotFoundError);
  });

  it('a chain leads to the final request: A into B, then B into C', async () => {
    const w = await domainWorld();
    const a = await w.open(ivan);
    const b = await w.open(ivan);
    const c = await w.open(ivan);
    await w.staff.merge(petr, a.number, b.number, 'merge');
    await w.staff.merge(petr, b.number, c.number, 'merge');
    assert.equal((await w.store.tickets.findById(a.id))?.mergedIntoId, c.id, 'the earlier pointer is rewritten');
    assert.equal((await w.customer.view(ivan, a.number)).ticket.number, c.number);
    assert.equal((await w.store.messages.thread(c.id, 'staff')).length, 3);
    // Typing a merged request's number merges into where it leads.
    const d = await w.open(ivan);
    assert.equal((await w.staff.merge(petr, d.number, a.number, 'merge')).number, c.number);
  });

  it('refuses another customer, itself, a closed target, a merged source and a target out of reach', async () => {
    const w = await domainWorld();
    const mine = await w.open(ivan);
    const other = await w.open(ivan);
    const olgas = await w.open(olga);
    const billing = await w.open(ivan, 'client_relations');
    assert.deepEqual(await problemsOf(w.staff.merge(petr, mine.number, olgas.number, 'merge')), { target: 'errors.merge.otherCustomer' });
    assert.deepEqual(await problemsOf(w.staff.merge(petr, mine.number, mine.number, 'merge')), { target: 'errors.merge.self' });
    assert.deepEqual(await problemsOf(w.staff.merge(petr, mine.number, billing.number, 'merge')), {
      target: 'errors.merge.targetUnknown',
    });
    assert.deepEqual(await problemsOf(w.staff.merge(petr, mine.number, '1234', 'merge')), { target: 'errors.merge.targetNumber' });
    assert.deepEqual(await problemsOf(w.staff.merge(petr, mine.number, other.number, 'swap')), { mode: 'errors.merge.mode' });
    await assert.rejects(w.staff.merge(anna, mine.number, billing.number, 'merge'), NotFoundError, 'a source out of reach is not there');
    await w.staff.setOpen(petr, other.number, false);
    assert.deepEqual(await problemsOf(w.staff.merge(petr, mine.number, other.number, 'merge')), { target: 'errors.merge.targetClosed' });
    await w.staff.setOpen(petr, other.number, true);
    await w.staff.merge(petr, mine.number, other.number, 'merge');
    const third = await w.open(ivan);
    assert.deepEqual(await problemsOf(w.staff.merge(petr, mine.number, third.number, 'merge')), { target: 'errors.merge.alreadyMerged' });
    assert.equal((await w.store.messages.thread(third.id, 'staff')).length, 1, 'nothing moved by a refusal');
  });

  it('a second submission finds it done: one move, one e-mail', async () => {
    const w = await domainWorld();
    const into = await w.open(ivan);
    const from = await w.open(ivan);
    await Promise.all([w.staff.merge(petr, from.number, into.number, 'merge'), w.staff.merge(petr, from.number, into.number, 'merge')]);
    assert.equal(await w.staff.merge(petr, from.number, `#${into.number}`, 'merge').then((t) => t.number), into.number);
    assert.equal(w.mail.calls.filter((c) => c.startsWith('customer-merged')).length, 1);
    assert.equal((await w.store.events.forTicket(into.id)).filter((e) => e.action === 'merge').length, 1);
  });

  it('closes as a duplicate: nothing moves, the request is closed with a link and the customer is told', async () => {
    const w = await domainWorld();
    const into = await w.open(ivan);
    const dup = await w.open(ivan);
    await w.staff.setOpen(petr, into.number, false);
    // A duplicate may point at a closed request: the answer is there.
    await w.staff.merge(petr, dup.number, into.number, 'duplicate');
    await w.staff.merge(petr, dup.number, into.number, 'duplicate');
    const closed = await w.store.tickets.findById(dup.id);
    assert.equal(closed?.status, 'closed');
    assert.equal(closed?.mergedIntoId, null, 'its number still opens it');
    assert.equal((await w.store.messages.thread(dup.id, 'staff')).length, 1, 'its message stays');
    assert.deepEqual(
      (await w.customer.view(ivan, dup.number)).systemLines.map((l) => l.kind !== 'transfer' && [l.kind, l.to]),
      [['duplicate', into.number]],
    );
    assert.deepEqual(
      w.mail.calls.filter((c) => c.startsWith('customer-duplicate')),
      [`customer-duplicate #${into.number}`],
      'told once',
    );
    assert.deepEqual(await problemsOf(w.staff.merge(petr, dup.number, (await w.open(ivan)).number, 'duplicate')), {
      target: 'errors.merge.sourceClosed',
    });
  });

  it('a merged unanswered question makes an answered request wait for staff again', async () => {
    const w = await domainWorld();
    const into = await w.open(ivan);
    const { lastMessageId } = await w.staff.view(petr, into.number);
    await w.staff.reply(petr, into.number, { body: 'Ответ', files: [], lastSeenId: lastMessageId, confirmed: false, submissionKey: 'x' });
    const from = await w.open(ivan);
    await w.staff.merge(petr, from.number, into.number, 'merge');
    assert.equal((await w.store.tickets.findById(into.id))?.status, 'waiting');
  });

  it('offers the customer’s other open requests in reach', async () => {
    const w = await domainWorld();
    const here = await w.open(ivan);
    const open = await w.open(ivan);
    const closed = await w.open(ivan);
    await w.open(ivan, 'client_relations');
    await w.open(olga);
    await w.staff.setOpen(petr, closed.number, false);
    assert.deepEqual(
      (await w.staff.targetsFor(petr, here)).map((t) => t.number),
      [open.number],
    );
  });

  it('reads the numbers people type, and states each rule on its own', () => {
    assert.equal(typedNumber(' №12345678 '), '12345678');
    assert.equal(typedNumber('# 12345678'), '12345678');
    const base = { id: 1, customerId: 'c', status: 'new', mergedIntoId: null } as never;
    const other = { id: 2, customerId: 'c', status: 'closed', mergedIntoId: null } as never;
    assert.equal(mergeProblem(base, other, 'duplicate'), null);
    assert.equal(mergeProblem(base, other, 'merge')?.key, 'errors.merge.targetClosed');
  });
});
