// Customers' ratings on the memory store: when a request may be rated, whom a rating is about,
// that the latest counts, that a bad one alerts the department once, and the admin's figures.
import assert from 'node:assert/strict';
import { NotFoundError } from '../../src/model/errors';
import { ALERT_PAUSE_MS } from '../../src/domain/ratings';
import { LIMITS } from '../../src/domain/field-rules';
import { admin, domainWorld, ivan, olga, petr, problemsOf } from '../support/domain-world';

type World = Awaited<ReturnType<typeof domainWorld>>;

/** A request of Ivan's that Пётр has answered. */
async function answered(w: World, code = 'technical') {
  const ticket = await w.open(ivan, code);
  const page = await w.staff.view(admin, ticket.number);
  const outcome = await w.staff.reply(code === 'technical' ? petr : admin, ticket.number, {
    body: 'Перезапустили сервер, проверьте.',
    files: [],
    lastSeenId: page.lastMessageId,
    confirmed: true,
    submissionKey: `reply-${Math.random()}`,
  });
  assert.deepEqual(outcome, { sent: true });
  return ticket;
}

const alerts = (w: World) => w.mail.calls.filter((c) => c.startsWith('department-rating'));

describe('domain: ratings', () => {
  it('a request without a staff answer cannot be rated; an answered one can, and the view says so', async () => {
    const w = await domainWorld();
    const fresh = await w.open(ivan);
    assert.equal((await w.customer.view(ivan, fresh.number)).rateable, false);
    assert.deepEqual(await problemsOf(w.ratings.rate(ivan, fresh.number, { rating: 'good', comment: '' })), {
      rating: 'rating.errors.notYet',
    });
    // Closed with only a note: a note is not an answer the customer saw.
    await w.staff.note(petr, fresh.number, 'Посмотрю позже.', [], 'note-1');
    await w.staff.setOpen(petr, fresh.number, false);
    assert.equal((await w.customer.view(ivan, fresh.number)).ticket.status, 'closed');
    assert.equal((await w.customer.view(ivan, fresh.number)).rateable, false);
    assert.equal(w.store.data.ratings.length, 0);

    const ticket = await answered(w);
    const view = await w.customer.view(ivan, ticket.number);
    assert.equal(view.rateable, true);
    assert.equal(view.rating, null);
  });

  it('records the rating with whom it is about, in History, and the latest choice counts', async () => {
    const w = await domainWorld();
    const ticket = await answered(w);
    await w.ratings.rate(ivan, ticket.number, { rating: 'good', comment: '  Быстро!  ' });
    let rating = (await w.customer.view(ivan, ticket.number)).rating;
    assert.equal(rating?.rating, 'good');
    assert.equal(rating?.comment, 'Быстро!');
    assert.equal(rating?.staffId, petr.id, 'the staff member who answered');
    assert.equal(rating?.departmentId, w.departments.technical!.id);

    w.clock.advance(60_000);
    await w.ratings.rate(ivan, ticket.number, { rating: 'bad', comment: 'Снова упал.' });
    rating = (await w.staff.view(petr, ticket.number)).rating;
    assert.equal(rating?.rating, 'bad');
    assert.equal(w.store.data.ratings.length, 1, 'one rating per request');
    const events = w.store.data.events.filter((e) => e.action === 'rating');
    assert.deepEqual(
      events.map((e) => e.detail),
      [
        { rating: 'good', from: null },
        { rating: 'bad', from: 'good' },
      ],
    );
    assert.equal(events[0]?.actorId, ivan.id);
  });

  it("a rating is about the last person who answered; after a department mailbox's answer, the assignee", async () => {
    const w = await domainWorld();
    const ticket = await answered(w);
    const mailbox = {
      id: 'mail:technical@panel.example',
      role: 'staff' as const,
      name: 'technical',
      email: 'technical@panel.example',
      departments: ['technical'],
    };
    const reply = (lastSeenId: number) => ({
      body: 'Ответ из почты.',
      files: [],
      lastSeenId,
      confirmed: true,
      submissionKey: `k-${Math.random()}`,
    });
    await w.staff.reply(mailbox, ticket.number, reply((await w.staff.view(admin, ticket.number)).lastMessageId));
    await w.ratings.rate(ivan, ticket.number, { rating: 'good', comment: '' });
    assert.equal(w.store.data.ratings[0]?.staffId, petr.id, 'the last person, not the mailbox');

    const other = await w.open(ivan);
    await w.staff.reply(mailbox, other.number, reply((await w.staff.view(admin, other.number)).lastMessageId));
    await w.ratings.rate(ivan, other.number, { rating: 'good', comment: '' });
    assert.equal(w.store.data.ratings.find((r) => r.ticketId === other.id)?.staffId, mailbox.id, 'no person and no assignee: the mailbox');
    await w.staff.assign(admin, other.number, 's-kolya');
    await w.ratings.rate(ivan, other.number, { rating: 'bad', comment: '' });
    assert.equal(w.store.data.ratings.find((r) => r.ticketId === other.id)?.staffName, 'Коля', 'the assignee');
  });

  it('a bad rating alerts the department once per change, and not again within the pause', async () => {
    const w = await domainWorld();
    const ticket = await answered(w);
    await w.ratings.rate(ivan, ticket.number, { rating: 'good', comment: '' });
    assert.equal(alerts(w).length, 0, 'good: no e-mail');
    await w.ratings.rate(ivan, ticket.number, { rating: 'bad', comment: 'Плохо.' });
    assert.deepEqual(alerts(w), [`department-rating #${ticket.number}`]);
    assert.equal(w.store.data.outbox.filter((o) => o.kind === 'department-rating').length, 1, 'queued with the rating');
    await w.ratings.rate(ivan, ticket.number, { rating: 'bad', comment: 'Очень плохо.' });
    assert.equal(alerts(w).length, 1, 'bad again: no second e-mail');
    await w.ratings.rate(ivan, ticket.number, { rating: 'good', comment: '' });
    await w.ratings.rate(ivan, ticket.number, { rating: 'bad', comment: '' });
    assert.equal(alerts(w).length, 1, 'back to bad within the pause: no second e-mail');
    w.clock.advance(ALERT_PAUSE_MS);
    await w.ratings.rate(ivan, ticket.number, { rating: 'good', comment: '' });
    await w.ratings.rate(ivan, ticket.number, { rating: 'bad', comment: '' });
    assert.equal(alerts(w).length, 2, 'a change to bad after the pause alerts again');
    w.clock.advance(ALERT_PAUSE_MS);
    await w.ratings.rate(ivan, ticket.number, { rating: 'bad', comment: 'Дополнил комментарий.' });
    assert.equal(alerts(w).length, 2, 'a bad rating with a new comment is no change of mind: no e-mail, however late');
  });

  it('the same rating sent twice changes nothing', async () => {
    const w = await domainWorld();
    const ticket = await answered(w);
    await w.ratings.rate(ivan, ticket.number, { rating: 'bad', comment: 'Долго.' });
    const before = structuredClone(w.store.data);
    w.clock.advance(1000);
    await w.ratings.rate(ivan, ticket.number, { rating: 'bad', comment: 'Долго.' });
    assert.deepEqual(w.store.data, before);
  });

  it('refuses a choice that is not good or bad, a comment over the limit, and anyone else’s request', async () => {
    const w = await domainWorld();
    const ticket = await answered(w);
    assert.deepEqual(
      await problemsOf(w.ratings.rate(ivan, ticket.number, { rating: 'great', comment: 'x'.repeat(LIMITS.ratingComment + 1) })),
      {
        rating: 'rating.errors.choice',
        comment: 'rating.errors.commentTooLong',
      },
    );
    await w.ratings.rate(ivan, ticket.number, { rating: 'good', comment: 'x'.repeat(LIMITS.ratingComment) });
    await assert.rejects(w.ratings.rate(olga, ticket.number, { rating: 'bad', comment: '' }), NotFoundError);
    await assert.rejects(w.ratings.rate(ivan, 'abc', { rating: 'bad', comment: '' }), NotFoundError);
    assert.equal(w.store.data.ratings[0]?.rating, 'good');
  });

  it('nothing is half-written when the alert cannot be queued', async () => {
    const w = await domainWorld();
    const ticket = await answered(w);
    w.store.failNext('outbox', 'enqueue');
    await assert.rejects(w.ratings.rate(ivan, ticket.number, { rating: 'bad', comment: '' }));
    assert.equal(w.store.data.ratings.length, 0);
    assert.equal(w.store.data.events.filter((e) => e.action === 'rating').length, 0);
  });

  it("the staff queue knows which of its page's requests are rated bad, as the latest rating says", async () => {
    const w = await domainWorld();
    const [unhappy, happy] = [await answered(w), await answered(w)];
    const all = { departmentId: null, status: 'all', priority: null, serviceKind: null, assignee: null, search: '', due: null } as const;
    const ratedBad = async () => [...(await w.staff.queue(petr, all, null)).ratedBad];
    assert.deepEqual(await ratedBad(), []);
    await w.ratings.rate(ivan, unhappy.number, { rating: 'bad', comment: '' });
    await w.ratings.rate(ivan, happy.number, { rating: 'good', comment: '' });
    assert.deepEqual(await ratedBad(), [unhappy.id]);
    await w.ratings.rate(ivan, unhappy.number, { rating: 'good', comment: 'Разобрались' });
    assert.deepEqual(await ratedBad(), []);
  });

  it("the admin's figures: per department and per staff member, within the period, with the latest bad ones", async () => {
    const w = await domainWorld();
    const start = w.clock.now();
    const a = await answered(w);
    const b = await answered(w);
    const c = await answered(w, 'client_relations');
    await w.ratings.rate(ivan, a.number, { rating: 'good', comment: '' });
    await w.ratings.rate(ivan, b.number, { rating: 'bad', comment: 'Не помогло.' });
    w.clock.advance(1000);
    await w.ratings.rate(ivan, c.number, { rating: 'bad', comment: 'Долго.' });
    const overview = await w.ratings.overview(start, w.clock.now() + 1);
    assert.deepEqual(
      overview.departments.map((d) => [d.department?.code, d.good, d.bad, d.goodShare]),
      [
        ['technical', 1, 1, 0.5],
        ['client_relations', 0, 1, 0],
      ],
    );
    assert.deepEqual(
      overview.staff.map((s) => [s.staffId, s.good, s.bad]),
      [
        [admin.id, 0, 1],
        [petr.id, 1, 1],
      ],
    );
    assert.deepEqual(
      overview.latestBad.map((r) => [r.ticketNumber, r.comment]),
      [
        [c.number, 'Долго.'],
        [b.number, 'Не помогло.'],
      ],
    );
    const later = await w.ratings.overview(w.clock.now() + 1, w.clock.now() + 2);
    assert.deepEqual([later.departments, later.staff, later.latestBad], [[], [], []]);
  });
});
