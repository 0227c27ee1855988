// Incident rules on the memory store: whom an incident affects, which new requests it links,
// and an update to many requests that a failure interrupts: sending it again reaches the rest,
// and no request gets it twice.
import assert from 'node:assert/strict';
import { domainWorld, admin, ivan, olga, petr, problemsOf } from '../support/domain-world';
import { incidents as incidentsOf, type IncidentInput } from '../../src/domain/incidents';
import { incidentBroadcast, BROADCAST_CHUNK } from '../../src/domain/incident-broadcast';

type World = Awaited<ReturnType<typeof domainWorld>>;

function incidentWorld(w: World) {
  const broadcast = incidentBroadcast({ store: w.store, mail: w.mail, defaultLocale: 'ru', now: w.clock.now });
  const incidents = incidentsOf({
    store: w.store,
    servicesOf: async (id) =>
      id === ivan.id
        ? [{ id: 'vps-1', label: 'VPS', status: 'active', kind: 'vps' }]
        : id === olga.id
          ? [{ id: 'dom-7', label: 'example.ru', status: 'active', kind: 'domain' }]
          : [],
    broadcast,
    now: w.clock.now,
  });
  return { broadcast, incidents };
}

const form = (w: World, extra: Partial<IncidentInput> = {}): IncidentInput => ({
  departmentId: String(w.departments.technical!.id),
  titleRu: 'Недоступны VPS',
  titleEn: 'VPS down',
  bodyRu: 'Чиним.',
  bodyEn: 'Fixing.',
  affects: 'kinds',
  kinds: 'vps',
  services: '',
  ...extra,
});

describe('incidents (domain)', () => {
  it('affects customers with a service of its kinds; links new requests about them in any department, everyone-incidents only in their own', async () => {
    const w = await domainWorld();
    const { incidents } = incidentWorld(w);
    await incidents.declare(petr, form(w), 'k1');
    const everyone = await incidents.declare(
      admin,
      form(w, { affects: 'everyone', departmentId: String(w.departments.client_relations!.id) }),
      'k2',
    );
    assert.deepEqual((await incidents.forCustomer(ivan)).map((i) => i.title.en).sort(), ['VPS down', 'VPS down']);
    assert.deepEqual(
      (await incidents.forCustomer(olga)).map((i) => i.id),
      [everyone],
    );

    const vpsTech = await w.open(ivan, 'technical', { serviceId: 'vps-1' });
    const vpsEmergency = await w.open(ivan, 'emergency', { serviceId: 'vps-1' });
    const domainTech = await w.open(olga, 'technical', { serviceId: 'dom-7' });
    const domainClient = await w.open(olga, 'client_relations', { serviceId: 'dom-7' });
    const linkedTo = async (id: number) => (await incidents.ofTicket(id)).map((i) => i.affects).sort();
    assert.deepEqual(await linkedTo(vpsTech.id), ['kinds']);
    assert.deepEqual(await linkedTo(vpsEmergency.id), ['kinds']);
    assert.deepEqual(await linkedTo(domainTech.id), []);
    assert.deepEqual(await linkedTo(domainClient.id), ['everyone']);
  });

  it('staff declare only in their own departments, with both languages', async () => {
    const w = await domainWorld();
    const { incidents } = incidentWorld(w);
    const problems = await problemsOf(
      incidents.declare(petr, form(w, { departmentId: String(w.departments.client_relations!.id), titleEn: '', kinds: '' }), 'k'),
    );
    assert.deepEqual(problems, {
      departmentId: 'errors.incident.department',
      titleEn: 'errors.incident.titleRequired',
      kinds: 'errors.incident.kindsRequired',
    });
  });

  it('an update interrupted halfway reaches the rest when sent again, and no request gets it twice', async () => {
    const w = await domainWorld();
    const { incidents, broadcast } = incidentWorld(w);
    const id = await incidents.declare(petr, form(w), 'k1');
    const count = BROADCAST_CHUNK * 2 + 20;
    const tickets = [];
    for (let i = 0; i < count; i++) tickets.push(await w.open(ivan, 'technical', { serviceId: 'vps-1' }));
    w.clock.advance(1000);
    // The message insert of the 71st request fails: the first chunk is committed, the second is not.
    w.store.failNext('messages', 'insert', BROADCAST_CHUNK + 20);
    await assert.rejects(incidents.update(petr, id, { ru: 'Обновление', en: 'Update' }, 'u1'));
    const [update] = await w.store.incidents.updates(id);
    assert.equal(update!.reached, BROADCAST_CHUNK);
    assert.equal(update!.finishedAt, null);

    assert.equal(await broadcast.sendUnfinished(), 1);
    // The same form sent again (a double click after the failure) sends nothing more.
    await incidents.update(petr, id, { ru: 'Обновление', en: 'Update' }, 'u1');
    const staffMessages = w.store.data.messages.filter((m) => m.authorKind === 'staff' && m.body === 'Обновление');
    assert.equal(staffMessages.length, count);
    assert.equal(new Set(staffMessages.map((m) => m.ticketId)).size, count);
    // Queued e-mails: those of the chunk that failed went with its rollback.
    assert.equal(w.store.data.outbox.filter((m) => m.kind === 'customer-reply').length, count);
    assert.notEqual((await w.store.incidents.findUpdate(update!.id))!.finishedAt, null);
    assert.equal(tickets.length, count);
  });

  it('an update is an answer like any other: the customer sees it as new, and nothing is due from staff until they write', async () => {
    const w = await domainWorld();
    // Technical answers within two hours, round the clock.
    const { id: technical, code: _code, editedAt: _at, ...fields } = w.departments.technical!;
    const regulation = {
      targets: { firstResponse: 120, nextResponse: 60, resolution: null },
      byPriority: {},
      hours: null,
      warnPercent: 80,
    };
    await w.store.departments.update(technical, { ...fields, regulation }, w.clock.now());
    const { incidents } = incidentWorld(w);
    const id = await incidents.declare(petr, form(w), 'k1');
    const ticket = await w.open(ivan, 'technical', { serviceId: 'vps-1' });
    const before = w.store.data.tickets.find((t) => t.id === ticket.id)!;
    assert.notEqual(before.dueAt, null, 'a new request is due for its first answer');
    assert.notEqual(before.customerSeenAt, null, 'the customer has seen their own new request');
    w.clock.advance(1000);
    await incidents.update(petr, id, { ru: 'Обновление', en: 'Update' }, 'u1');
    const after = w.store.data.tickets.find((t) => t.id === ticket.id)!;
    assert.equal(after.status, 'answered');
    assert.equal(after.dueAt, null, 'answered: the regulation waits for the customer');
    assert.equal(after.customerSeenAt, null, 'the answer counts in the customer’s badge');
  });

  it('resolving with closing sends one final message per open request and no close notice', async () => {
    const w = await domainWorld();
    const { incidents } = incidentWorld(w);
    const id = await incidents.declare(petr, form(w), 'k1');
    const a = await w.open(ivan, 'technical', { serviceId: 'vps-1' });
    w.clock.advance(1000);
    await incidents.resolve(petr, id, { ru: 'Готово', en: 'Done' }, true, 'r1');
    assert.equal((await w.store.tickets.findById(a.id))!.status, 'closed');
    assert.deepEqual(
      w.mail.calls.filter((c) => !c.startsWith('department-')),
      [`customer-reply #${a.number}`],
    );
    assert.deepEqual(await problemsOf(incidents.resolve(petr, id, { ru: 'Ещё', en: 'More' }, true, 'r2')), {
      form: 'errors.incident.resolved',
    });
    assert.deepEqual(await incidents.forCustomer(ivan), []);
  });
});
