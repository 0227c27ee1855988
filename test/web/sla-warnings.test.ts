// Service-level warnings on a real database with the plugin's clock moved, never slept: before
// the breach and at it, each sent once, with two instances running and one of them restarted in
// the middle; the queue and the customer's page say where the request stands.
import assert from 'node:assert/strict';
import { forEachDatabase } from '../support/databases';
import { startPlugin, TestClock, type TestPlugin } from '../support/test-host';
import { answerAsStaff, createTicket } from '../support/tickets';
import { waitForJob } from '../support/jobs';
import { createStore } from '../../src/store';
import { sendSlaWarnings } from '../../src/domain/sla-warnings';
import type { TicketMail } from '../../src/model/mail';

const MINUTE = 60_000;
/** Technical promises a first answer in 10 minutes, round the clock; warned at 80%, i.e. after 8. */
const SETTINGS = {
  mail: { confirmToCustomer: false },
  departments: { technical: { emails: ['tech@panel.example'], responseMinutes: 10 } },
};

forEachDatabase('service-level warnings', (db) => {
  const clock = new TestClock();
  let owner: TestPlugin;
  let second: TestPlugin;

  before(async () => {
    owner = await startPlugin(db, SETTINGS, { now: clock.now });
    second = await startPlugin(db, SETTINGS, { instanceOf: owner, now: clock.now });
  });
  after(async () => {
    await second.close();
    await owner.close();
  });

  const warnings = async (number: string) =>
    (await owner
      .knex(owner.tables.outbox)
      .where({ kind: 'department-sla', ticket_number: number })
      .select('envelope')
      .orderBy('id')) as Array<{ envelope: string }>;
  const subjects = async (number: string) => (await warnings(number)).map((w) => JSON.parse(w.envelope).subject as string);
  const bothRan = async () => {
    await waitForJob(owner, clock, 'sla-warnings');
  };

  it('warns the department before the breach and at it, once each, across two instances and a restart', async () => {
    const number = await createTicket(owner, owner.as('ivan'));
    const row = await owner.knex(owner.tables.tickets).where('number', number).first('due_at', 'created_at', 'warn_at');
    assert.equal(Number(row.due_at), Number(row.created_at) + 10 * MINUTE, 'ten minutes, round the clock');
    assert.equal(Number(row.warn_at), Number(row.created_at) + 8 * MINUTE);

    const queue = await owner.as('tech').get('/');
    assert.match(queue.text, /data-due="pending">ответить в течение (10|9) мин</);

    clock.advance(8 * MINUTE + 30_000);
    await bothRan();
    assert.deepEqual(await subjects(number), [`[#${number}] Запрос №${number}: срок ответа подходит: Проблема с VPS`]);
    const envelope = JSON.parse((await warnings(number))[0]!.envelope);
    assert.deepEqual(envelope.to, ['tech@panel.example'], 'nobody assigned: the department');

    // The second instance stops and starts again on the same tables in the middle.
    await second.close();
    second = await startPlugin(db, SETTINGS, { instanceOf: owner, now: clock.now });
    clock.advance(2 * MINUTE);
    await bothRan();
    assert.equal((await warnings(number)).length, 2, 'the breach is the second and last');
    assert.match((await subjects(number))[1]!, /срок ответа нарушен/);
    assert.match(
      (await owner.as('tech').get('/?due=overdue')).text,
      new RegExp(`[#№]${number}[\\s\\S]*data-due="overdue">просрочен на (1|2) мин`),
    );
    assert.doesNotMatch((await owner.as('ivan').get(`/${number}`)).text, /data-promise/, 'late: no promise, never a negative time');

    clock.advance(5 * MINUTE);
    await bothRan();
    assert.equal((await warnings(number)).length, 2, 'nothing more for the same due time');
    assert.equal(
      Number(
        (
          await owner
            .knex(owner.tables.slaWarnings)
            .where('ticket_id', await ticketId(number))
            .count({ n: '*' })
        )[0]!.n,
      ),
      2,
    );

    // An answer and the customer's reply make a new due time: a new breach, warned again.
    await answerAsStaff(owner, number);
    assert.equal((await owner.knex(owner.tables.tickets).where('number', number).first('due_at')).due_at, null);
  });

  it('two runs at the same moment queue one warning between them', async () => {
    const number = await createTicket(owner, owner.as('ivan'), { subject: 'Две копии' });
    // Mail that makes one outbox row per warning, as the real one does.
    const mail = {
      forSlaWarning: (ticket, _department, kind, to) => [
        {
          ticketId: ticket.id,
          ticketNumber: ticket.number,
          kind: 'department-sla',
          urgent: false,
          mailMessageId: `<sla.${kind}.${ticket.number}@test>`,
          envelope: { to, subject: kind, content: { template: 'department-sla', data: {} }, headers: {}, attachments: [], locale: 'ru' },
        },
      ],
    } as Pick<TicketMail, 'forSlaWarning'> as TicketMail;
    const at = clock.now() + 8 * MINUTE + 1000;
    // Two stores on their own pools (on SQLite, one file): two instances' jobs at the same moment.
    const stores = [createStore(owner.knex, owner.tables), createStore(second.knex, second.tables)];
    await Promise.all(stores.map((store) => sendSlaWarnings({ store, mail, now: () => at })));
    assert.equal((await warnings(number)).length, 1, 'one outbox row');
    const sent = await owner
      .knex(owner.tables.slaWarnings)
      .where('ticket_id', await ticketId(number))
      .select('kind');
    assert.deepEqual(sent, [{ kind: 'warn' }]);
  });

  async function ticketId(number: string): Promise<number> {
    return Number((await owner.knex(owner.tables.tickets).where('number', number).first('id')).id);
  }
});
