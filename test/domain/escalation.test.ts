// Emergency escalation on the memory store: "I'm on it" records who and when, and the chain pages
// each due step once, to the second on-call list and then the admins, until someone acknowledges
// or answers the request.
import assert from 'node:assert/strict';
import { NotFoundError } from '../../src/model/errors';
import { pageDueSteps } from '../../src/domain/escalation';
import type { HostLogger } from '../../src/host';
import { admin, domainWorld, ivan, petr } from '../support/domain-world';

type World = Awaited<ReturnType<typeof domainWorld>>;

const MINUTE = 60_000;
const pavel = { id: 's-pavel', role: 'staff' as const, name: 'Павел', email: 'pavel@panel.example', departments: ['emergency'] };
const warnings: string[] = [];
const logger: HostLogger = { info: () => undefined, warn: (m) => void warnings.push(m), error: () => undefined };

/** The Emergency department with a second on-call list after 10 minutes and the admins after 20. */
async function withChain(w: World) {
  await w.store.departments.setEscalation(
    w.departments.emergency!.id,
    [
      { afterMinutes: 10, to: ['second@panel.example'] },
      { afterMinutes: 20, to: 'admins' },
    ],
    w.clock.now(),
  );
}

const run = (w: World, adminEmails = ['boss@panel.example']) =>
  pageDueSteps({ store: w.store, mail: w.mail, adminEmails, logger, now: w.clock.now });
const pages = (w: World) => w.mail.calls.filter((c) => c.startsWith('escalation-'));

describe('domain: emergency escalation', () => {
  it('"I\'m on it" records who and when, takes the assignment, and a second one changes nothing', async () => {
    const w = await domainWorld();
    const ticket = await w.open(ivan, 'emergency');
    w.clock.advance(3 * MINUTE);
    await w.staff.acknowledge(pavel, ticket.number);
    const acknowledged = (await w.staff.view(admin, ticket.number)).ticket;
    assert.equal(acknowledged.acknowledgedAt, w.clock.now());
    assert.equal(acknowledged.acknowledgedById, pavel.id);
    assert.equal(acknowledged.acknowledgedByName, 'Павел');
    assert.equal(acknowledged.assigneeId, pavel.id);
    w.clock.advance(MINUTE);
    await w.staff.acknowledge(admin, ticket.number);
    const again = (await w.staff.view(admin, ticket.number)).ticket;
    assert.equal(again.acknowledgedById, pavel.id, 'the first acknowledgement stays');
    const events = (await w.store.events.forTicket(ticket.id)).map((e) => e.action);
    assert.deepEqual(
      events.filter((a) => a === 'acknowledged'),
      ['acknowledged'],
    );
    // The customer's view carries it (the page says an engineer is on it).
    assert.notEqual((await w.customer.view(ivan, ticket.number)).ticket.acknowledgedAt, null);
  });

  it('staff of another department cannot acknowledge (not found), nor see whom to acknowledge', async () => {
    const w = await domainWorld();
    const ticket = await w.open(ivan, 'emergency');
    await assert.rejects(w.staff.acknowledge(petr, ticket.number), NotFoundError);
    await assert.rejects(w.staff.toAcknowledge(petr, ticket.number), NotFoundError);
    assert.equal((await w.staff.view(admin, ticket.number)).ticket.acknowledgedAt, null);
  });

  it('silence pages the second on-call list, then the admins, each once', async () => {
    const w = await domainWorld();
    await withChain(w);
    const ticket = await w.open(ivan, 'emergency');
    w.clock.advance(9 * MINUTE);
    assert.equal(await run(w), 0, 'nothing is due before 10 minutes');
    w.clock.advance(MINUTE);
    assert.equal(await run(w), 1);
    assert.deepEqual(pages(w), [`escalation-1 second@panel.example #${ticket.number}`]);
    assert.equal(await run(w), 0, 'a step is paged once');
    w.clock.advance(10 * MINUTE);
    assert.equal(await run(w), 1);
    assert.deepEqual(pages(w), [
      `escalation-1 second@panel.example #${ticket.number}`,
      `escalation-2 boss@panel.example #${ticket.number}`,
    ]);
    w.clock.advance(30 * MINUTE);
    assert.equal(await run(w), 0, 'the chain has ended');
    const escalated = (await w.store.events.forTicket(ticket.id)).filter((e) => e.action === 'escalated');
    assert.deepEqual(
      escalated.map((e) => e.detail),
      [
        { step: '1', minutes: '10', to: 'second@panel.example' },
        { step: '2', minutes: '20', to: 'admins' },
      ],
    );
  });

  it('acknowledging at step 1 stops the chain', async () => {
    const w = await domainWorld();
    await withChain(w);
    const ticket = await w.open(ivan, 'emergency');
    w.clock.advance(10 * MINUTE);
    await run(w);
    await w.staff.acknowledge(pavel, ticket.number);
    w.clock.advance(60 * MINUTE);
    assert.equal(await run(w), 0);
    assert.equal(pages(w).length, 1);
  });

  it('a staff answer stops the chain', async () => {
    const w = await domainWorld();
    await withChain(w);
    const ticket = await w.open(ivan, 'emergency');
    const page = await w.staff.view(admin, ticket.number);
    await w.staff.reply(admin, ticket.number, {
      body: 'Смотрим.',
      files: [],
      lastSeenId: page.lastMessageId,
      confirmed: true,
      submissionKey: 'r1',
    });
    w.clock.advance(30 * MINUTE);
    assert.equal(await run(w), 0);
    assert.deepEqual(pages(w), []);
  });

  it('a step is never paged twice, even when two runs race for it', async () => {
    const w = await domainWorld();
    await withChain(w);
    await w.open(ivan, 'emergency');
    w.clock.advance(10 * MINUTE);
    const counts = await Promise.all([run(w), run(w)]);
    assert.equal(counts[0]! + counts[1]!, 1);
    assert.equal(pages(w).length, 1);
    assert.equal(w.store.data.escalationPages.length, 1);
  });

  it('requests that are not urgent, and departments without steps, are never paged', async () => {
    const w = await domainWorld();
    await withChain(w);
    await w.open(ivan, 'technical');
    const lowered = await w.open(ivan, 'emergency');
    await w.staff.setPriority(admin, lowered.number, 'high');
    w.clock.advance(30 * MINUTE);
    assert.equal(await run(w), 0);
  });

  it('a step to the admins without their addresses pages nobody and says so in the log', async () => {
    const w = await domainWorld();
    await withChain(w);
    await w.open(ivan, 'emergency');
    w.clock.advance(20 * MINUTE);
    warnings.length = 0;
    assert.equal(await run(w, []), 1, 'the second on-call list is still paged');
    assert.match(warnings.join('\n'), /settings\.escalation\.adminEmails is empty/);
  });
});
