// The customer's rules on the memory store: what a create needs, the hourly limit, one ticket
// per form submission, and a reply that commits unseen. No database, no HTTP.
import assert from 'node:assert/strict';
import { NotFoundError } from '../../src/model/errors';
import { domainWorld, ivan, olga, petr, problemsOf, storedFile } from '../support/domain-world';

const HOUR = 3_600_000;

/** A staff answer from the panel, as the reply form sends it. */
async function answer(w: Awaited<ReturnType<typeof domainWorld>>, number: string, key: string) {
  const { lastMessageId } = await w.staff.view(petr, number);
  await w.staff.reply(petr, number, {
    body: 'Проверьте, пожалуйста.',
    files: [],
    lastSeenId: lastMessageId,
    confirmed: false,
    submissionKey: key,
  });
}

describe('domain: customer tickets', () => {
  it('a create makes the ticket, its first message and files, and queues its mail in one go', async () => {
    const w = await domainWorld();
    const file = storedFile();
    const ticket = await w.open(ivan, 'technical', { serviceId: 'vps-1', files: [file] });
    assert.equal(ticket.status, 'new');
    assert.equal(ticket.priority, 'normal');
    assert.equal(ticket.serviceKind, 'vps');
    const [message] = await w.store.messages.thread(ticket.id, 'customer');
    assert.equal(message?.attachments[0]?.storageKey, file.storageKey);
    assert.deepEqual(w.mail.calls, [`department-new #${ticket.number}`]);
    assert.equal((await w.store.tickets.findByNumber(ticket.number))?.threadMessageId, w.store.data.outbox[0]?.mailMessageId);
    assert.equal(w.nudges(), 1, 'the dispatcher is nudged after the commit');
    assert.deepEqual(w.discarded, []);
  });

  it('a request to an urgent department is urgent, and so is its mail', async () => {
    const w = await domainWorld();
    const ticket = await w.open(ivan, 'emergency');
    assert.equal(ticket.priority, 'urgent');
    assert.equal(w.store.data.outbox[0]?.urgent, true);
  });

  it('the hourly limit refuses one request too many, until the hour has passed', async () => {
    const w = await domainWorld({ newTicketsPerHour: 2 });
    await w.open(ivan);
    await w.open(ivan);
    const file = storedFile();
    assert.deepEqual(await problemsOf(w.open(ivan, 'technical', { files: [file] })), { form: 'errors.tooManyNew' });
    assert.deepEqual(w.discarded, [file.storageKey], 'the refused request keeps no file');
    await w.open(olga);
    // The hour counts its first millisecond too.
    w.clock.advance(HOUR);
    await problemsOf(w.open(ivan));
    w.clock.advance(1);
    await w.open(ivan);
    assert.equal(w.store.data.tickets.length, 4);
  });

  it('no limit when newTicketsPerHour is 0', async () => {
    const w = await domainWorld({ newTicketsPerHour: 0 });
    for (let i = 0; i < 5; i++) await w.open(ivan);
    assert.equal(w.store.data.tickets.length, 5);
  });

  it('the same form sent twice is one ticket, and the second copy keeps no files', async () => {
    const w = await domainWorld();
    const first = await w.open(ivan, 'technical', { key: 'form-1', files: [storedFile()] });
    const again = storedFile();
    const second = await w.open(ivan, 'technical', { key: 'form-1', files: [again] });
    assert.equal(second.number, first.number);
    assert.equal(w.store.data.tickets.length, 1);
    assert.deepEqual(w.discarded, [again.storageKey]);
    assert.equal(w.mail.calls.length, 1, 'one e-mail');
  });

  it('two copies of one form at the same time are one ticket', async () => {
    const w = await domainWorld();
    const [a, b] = await Promise.all([w.open(ivan, 'technical', { key: 'form-2' }), w.open(ivan, 'technical', { key: 'form-2' })]);
    assert.equal(a.number, b.number);
    assert.equal(w.store.data.tickets.length, 1);
  });

  it("a service must be the customer's own, and the department an active one", async () => {
    const w = await domainWorld();
    const file = storedFile();
    assert.deepEqual(await problemsOf(w.open(ivan, 'technical', { serviceId: 'dom-7', files: [file] })), {
      serviceId: 'errors.service.unknown',
    });
    assert.deepEqual(await problemsOf(w.open(ivan, 'archive')), { departmentId: 'errors.department.unknown' });
    assert.deepEqual(w.discarded, [file.storageKey]);
    assert.equal(w.store.data.tickets.length, 0);
  });

  it("another customer's ticket does not exist for them", async () => {
    const w = await domainWorld();
    const ticket = await w.open(ivan);
    await assert.rejects(w.customer.view(olga, ticket.number), NotFoundError);
    await assert.rejects(w.customer.reply(olga, ticket.number, 'Это мой?', [], 'r-1'), NotFoundError);
    await assert.rejects(w.customer.view(ivan, 'not-a-number'), NotFoundError);
    assert.equal((await w.customer.view(ivan, ticket.number)).ticket.id, ticket.id);
  });

  it('a reply reopens a closed ticket as waiting; an unanswered one stays new', async () => {
    const w = await domainWorld();
    const ticket = await w.open(ivan);
    await w.customer.reply(ivan, ticket.number, 'Ещё одна деталь.', [], 'r-1');
    assert.equal((await w.store.tickets.findByNumber(ticket.number))?.status, 'new');
    await w.customer.close(ivan, ticket.number);
    assert.equal((await w.store.tickets.findByNumber(ticket.number))?.status, 'closed');
    w.clock.advance(60_000);
    await w.customer.reply(ivan, ticket.number, 'Снова не работает.', [], 'r-2');
    const reopened = await w.store.tickets.findByNumber(ticket.number);
    assert.equal(reopened?.status, 'waiting');
    assert.equal(reopened?.closedAt, null);
    assert.equal(reopened?.lastCustomerAt, w.clock.now());
  });

  it("the customer's own close and a reopen by their reply are in the audit trail as theirs; a repeat records nothing", async () => {
    const w = await domainWorld();
    const ticket = await w.open(ivan);
    await w.customer.reply(ivan, ticket.number, 'Пока открыт: не запись.', [], 'r-1');
    await w.customer.close(ivan, ticket.number);
    await w.customer.close(ivan, ticket.number);
    await w.customer.reply(ivan, ticket.number, 'Снова не работает.', [], 'r-2');
    await w.customer.reply(ivan, ticket.number, 'Уже открыт: не запись.', [], 'r-3');
    const events = await w.store.events.forTicket(ticket.id);
    assert.deepEqual(
      events.map((e) => [e.action, e.actorId, e.actorName]),
      [
        ['customerClose', ivan.id, ivan.name],
        ['customerReopen', ivan.id, ivan.name],
      ],
    );
  });

  it('the same reply sent twice is one message', async () => {
    const w = await domainWorld();
    const ticket = await w.open(ivan);
    const first = await w.customer.reply(ivan, ticket.number, 'Ответ', [], 'r-1');
    const second = await w.customer.reply(ivan, ticket.number, 'Ответ', [], 'r-1');
    assert.equal(second, first);
    assert.equal((await w.store.messages.thread(ticket.id, 'customer')).length, 2);
  });

  it('a reply whose commit went unanswered but was made answers with it and keeps its files', async () => {
    const w = await domainWorld();
    const ticket = await w.open(ivan);
    const file = storedFile();
    w.store.loseNextCommit(true);
    const id = await w.customer.reply(ivan, ticket.number, 'Связь оборвалась', [file], 'r-lost');
    assert.equal((await w.store.messages.thread(ticket.id, 'customer')).at(-1)?.id, id);
    assert.deepEqual(w.discarded, [], 'the message refers to its file');
  });

  it('a reply the database lost without committing fails, and its files go', async () => {
    const w = await domainWorld();
    const ticket = await w.open(ivan);
    const file = storedFile();
    w.store.loseNextCommit(false);
    await assert.rejects(w.customer.reply(ivan, ticket.number, 'Не дошло', [file], 'r-gone'), (err) => w.store.isUnavailable(err));
    assert.equal((await w.store.messages.thread(ticket.id, 'customer')).length, 1);
    assert.deepEqual(w.discarded, [file.storageKey]);
  });

  it('when even the look-up fails after an outage, the files stay for the orphan sweep', async () => {
    const w = await domainWorld();
    const ticket = await w.open(ivan);
    const file = storedFile();
    w.store.loseNextCommit(true);
    // The change looks its key up once inside its transaction; the look-up after the outage fails.
    w.store.failNext('messages', 'findBySubmission', 1);
    await assert.rejects(w.customer.reply(ivan, ticket.number, 'Не знаю, дошло ли', [file], 'r-unknown'));
    assert.deepEqual(w.discarded, []);
  });

  it('a staff answer is unseen until the customer opens the request or writes in it; an internal note never is', async () => {
    const w = await domainWorld();
    const ticket = await w.open(ivan);
    assert.equal(ticket.customerSeenAt, w.clock.now(), 'their own request starts as seen');
    assert.equal(await w.customer.unseenAnswers(ivan), 0);
    await w.staff.note(petr, ticket.number, 'Клиент просил не звонить', [], 'n-1');
    assert.equal(await w.customer.unseenAnswers(ivan), 0, 'a note is not an answer');
    w.clock.advance(60_000);
    await answer(w, ticket.number, 's-1');
    assert.equal(await w.customer.unseenAnswers(ivan), 1);
    assert.equal(await w.customer.unseenAnswers(olga), 0);
    assert.equal((await w.customer.list(ivan, { status: 'all', search: '' }, null)).items[0]?.customerSeenAt, null);
    w.clock.advance(60_000);
    await w.customer.view(ivan, ticket.number);
    assert.equal(await w.customer.unseenAnswers(ivan), 0);
    assert.equal((await w.store.tickets.findByNumber(ticket.number))?.customerSeenAt, w.clock.now());
    // Opened again with nothing new: nothing is written.
    w.clock.advance(60_000);
    await w.customer.view(ivan, ticket.number);
    assert.equal((await w.store.tickets.findByNumber(ticket.number))?.customerSeenAt, w.clock.now() - 60_000);
    // A reply (here, as by e-mail, without opening the page) means they read the answer.
    await answer(w, ticket.number, 's-2');
    assert.equal(await w.customer.unseenAnswers(ivan), 1);
    await w.customer.reply(ivan, ticket.number, 'Спасибо, заработало.', [], 'r-1');
    assert.equal(await w.customer.unseenAnswers(ivan), 0);
  });

  it("an answer that came after the customer's page was read stays unseen", async () => {
    const w = await domainWorld();
    const ticket = await w.open(ivan);
    await answer(w, ticket.number, 's-1');
    const shown = (await w.store.tickets.findByNumber(ticket.number))!;
    w.clock.advance(1000);
    await answer(w, ticket.number, 's-2');
    await w.store.tickets.markSeen(ticket.id, w.clock.now(), shown.lastReplyAt);
    assert.equal(await w.customer.unseenAnswers(ivan), 1);
  });

  it('the list filters open and closed requests and finds one by number or by words of its subject, in any case', async () => {
    const w = await domainWorld();
    const disk = await w.open(ivan, 'technical', { subject: 'Диск заполнен на VPS' });
    const mail = await w.open(ivan, 'technical', { subject: 'Почта не уходит' });
    await w.open(olga, 'technical', { subject: 'Диск у другого клиента' });
    await w.customer.close(ivan, mail.number);
    const numbers = async (status: 'open' | 'closed' | 'all', search = '') =>
      (await w.customer.list(ivan, { status, search }, null)).items.map((t) => t.number);
    assert.deepEqual(await numbers('open'), [disk.number]);
    assert.deepEqual(await numbers('closed'), [mail.number]);
    assert.deepEqual(new Set(await numbers('all')), new Set([disk.number, mail.number]));
    assert.deepEqual(await numbers('all', 'ДИСК'), [disk.number], "only the customer's own");
    assert.deepEqual(await numbers('all', 'vps диск'), [disk.number]);
    assert.deepEqual(await numbers('all', `№${mail.number}`), [mail.number]);
    assert.deepEqual(await numbers('all', `#${mail.number}`), [mail.number]);
    assert.deepEqual(await numbers('open', mail.number), []);
    assert.deepEqual(await numbers('all', 'принтер'), []);
  });
});
