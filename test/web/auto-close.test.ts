// Answered requests the customer leaves silent are closed by the background worker when the
// setting is on, with a notice to the customer; the menu badge counts what waits for staff.
import assert from 'node:assert/strict';
import { forEachDatabase } from '../support/databases';
import { startPlugin, TestClock, users, type TestPlugin } from '../support/test-host';
import { answerAsStaff as answer, createTicket } from '../support/tickets';
import { SmtpSink, waitUntil } from '../support/smtp-sink';
import { outboxCount, waitForIdleOutbox } from '../support/outbox';
import { waitForJobs as waitForJobsAt } from '../support/jobs';

const DAY = 86_400_000;

const departments = { technical: { emails: ['tech@panel.example'] }, client_relations: { emails: ['clients@panel.example'] } };

/** Waits until every background job (auto-close among them) has run since the clock moved. */
async function waitForJobs(t: TestPlugin, clock: TestClock): Promise<void> {
  await waitForJobsAt(t, clock.now, 5000);
  // Sent mail kept a day: gone once the jobs ran two days on.
  assert.equal(await outboxCount(t, ['sent']), 0);
}

async function statusOf(t: TestPlugin, number: string): Promise<string> {
  return (await t.knex(t.tables.tickets).where('number', number).first('status')).status;
}

forEachDatabase('auto-close and the menu badge', (db) => {
  let sink: SmtpSink;
  let t: TestPlugin;
  beforeEach(async () => {
    sink = await SmtpSink.started();
  });
  afterEach(async () => {
    await t.close();
    await sink.stop();
  });

  it('closes answered requests silent for the configured time, tells the customer, and leaves the rest', async () => {
    const clock = new TestClock();
    t = await startPlugin(
      db,
      { departments, autoClose: { afterDays: 3 }, mail: sink.settings({ pollSeconds: 0.05, confirmToCustomer: false, keepSentDays: 1 }) },
      { now: clock.now },
    );
    const answered = await createTicket(t, t.as('ivan'), { subject: 'Ответили и тишина', department: 'technical' });
    const unanswered = await createTicket(t, t.as('ivan'), { subject: 'Ещё без ответа', department: 'technical' });
    await answer(t, answered);
    await waitForIdleOutbox(t);

    clock.advance(2 * DAY);
    await waitForJobs(t, clock);
    assert.equal(await statusOf(t, answered), 'answered', 'two silent days of three: still open');

    clock.advance(DAY + 60_000);
    await waitUntil(async () => (await statusOf(t, answered)) === 'closed', 5000, 'auto-close');
    assert.equal(await statusOf(t, unanswered), 'new');
    await waitUntil(() => sink.to('ivan@example.ru').length === 2, 5000, 'the answer and the closing notice');
    const notice = sink.to('ivan@example.ru').find((m) => m.parsed.subject?.includes('закрыт'));
    assert.ok(notice, 'a closing notice');
    assert.equal(notice.parsed.subject, `[#${answered}] Ваш запрос закрыт: Ответили и тишина`);
    const events = await t.knex(t.tables.events).where('actor_id', 'system').select('action', 'detail');
    assert.equal(events.length, 1);
    assert.deepEqual(JSON.parse(events[0].detail), { from: 'answered', to: 'closed' });
  });

  it('closes nothing when the setting is off', async () => {
    const clock = new TestClock();
    t = await startPlugin(
      db,
      { departments, mail: sink.settings({ pollSeconds: 0.05, confirmToCustomer: false, keepSentDays: 1 }) },
      { now: clock.now },
    );
    const number = await createTicket(t, t.as('ivan'), { department: 'technical' });
    await answer(t, number);
    await waitForIdleOutbox(t);
    clock.advance(365 * DAY);
    await waitForJobs(t, clock);
    assert.equal(await statusOf(t, number), 'answered');
  });

  it("counts requests waiting for an answer in the staff member's departments", async () => {
    t = await startPlugin(db, { departments });
    assert.equal(await t.plugin.menuBadge(users.tech!), null);
    const first = await createTicket(t, t.as('ivan'), { department: 'technical' });
    await createTicket(t, t.as('alice'), { department: 'technical' });
    await createTicket(t, t.as('alice'), { department: 'client_relations' });
    assert.equal(await t.plugin.menuBadge(users.tech!), 2);
    assert.equal(await t.plugin.menuBadge(users.olga!), 1);
    assert.equal(await t.plugin.menuBadge(users.admin!), 3);
    assert.equal(await t.plugin.menuBadge(users.ivan!), null);
    await answer(t, first);
    assert.equal(await t.plugin.menuBadge(users.tech!), 1);
  });
});
