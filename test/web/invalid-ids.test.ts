// Every id a request carries goes through one parser with a range check: in a path, anything
// that is not an id is "not found" (404); in a form, it is the field's own error (422); in a
// query, a filter that names nothing. PostgreSQL never sees "1.5" or 99999999999999999999.
import assert from 'node:assert/strict';
import { forEachDatabase } from '../support/databases';
import { createTicket } from '../support/tickets';
import {
  assertRevealsNothing,
  fieldsOf,
  label,
  makeWorld,
  paramsOf,
  pathOf,
  requestTo,
  routes,
  snapshot,
  titleOf,
  type Route,
  type World,
} from '../support/routes';

/** Not ids: words, fractions, exponents, out of range for the columns, signs, spaces, other digits, controls. */
const NOT_IDS = [
  'abc',
  '1.5',
  '99999999999999999999',
  '1e400',
  '1e3',
  '0',
  '-1',
  '+1',
  '2147483648',
  '4294967296',
  '0x10',
  '007',
  '%201',
  '1%20',
  '%D9%A1',
  '%00',
  '1%00',
  'NaN',
  'Infinity',
];
/**
 * The same in a form field or a query, where text loses its controls and is trimmed before the
 * id is read ("1\0" is "1"), and "+" in a query is a space: its sign is sent as %2B.
 */
const TEXT_NOT_IDS = NOT_IDS.filter((v) => !v.includes('%00')).map((v) => (v === '+1' ? '%2B1' : v));
/** In a query, filters are trimmed too. */
const QUERY_NOT_IDS = TEXT_NOT_IDS.filter((v) => !v.includes('%20'));
/** In range but naming no row. */
const NO_ROW = '2147483647';

const NOT_FOUND = { ivan: 'Не найдено', tech: 'Не найдено', admin: 'Not found' };

const route = (method: Route['method'], path: string) => routes.find((r) => r.method === method && r.path === path) as Route;

forEachDatabase('invalid ids', (db) => {
  let world: World;

  before(async () => {
    world = await makeWorld(db, { limits: { newTicketsPerHour: 100 } });
  });
  after(() => world.t.close());

  async function assertAnswer(
    res: Awaited<ReturnType<typeof requestTo>>,
    what: string,
    status: number,
    before: Awaited<ReturnType<typeof snapshot>>,
  ) {
    assertRevealsNothing(world.t, res, what);
    assert.equal(res.status, status, `${what}: ${res.text.slice(0, 300)}`);
    assert.deepEqual(await snapshot(world.t), before, `${what}: nothing is stored`);
  }

  describe('in a path: 404', () => {
    for (const r of routes) {
      for (const param of paramsOf(r)) {
        it(`${label(r)} with :${param} not an id, or naming no row`, async () => {
          for (const value of [...NOT_IDS, NO_ROW]) {
            const before = await snapshot(world.t);
            const res = await requestTo(world, r, pathOf(world, r, { [param]: value }))
              .type('form')
              .send(fieldsOf(world, r));
            await assertAnswer(res, `${label(r)} :${param}=${value}`, 404, before);
            assert.equal(titleOf(res), NOT_FOUND[r.who]);
          }
        });
      }
    }
  });

  describe("in a form: the field's own error, 422", () => {
    const cases: Array<{ route: Route; field: string; error: RegExp; ownTicket?: boolean }> = [
      { route: route('post', '/:number/transfer'), field: 'departmentId', error: /Выберите другой действующий отдел/, ownTicket: true },
      { route: route('post', '/admin/canned'), field: 'departmentId', error: /Choose a department/ },
      { route: route('post', '/admin/canned/:cannedId'), field: 'departmentId', error: /Choose a department/ },
      { route: route('post', '/admin/held-mail/:heldId/open'), field: 'departmentId', error: /Choose a department/ },
    ];
    for (const c of cases) {
      it(`${label(c.route)} with ${c.field} not an id`, async () => {
        for (const value of [...TEXT_NOT_IDS.map(decodeURIComponent), NO_ROW]) {
          const number = c.ownTicket ? await createTicket(world.t, world.agents.ivan, {}, world.tokens.ivan) : world.ids.number;
          const before = await snapshot(world.t);
          const path = pathOf({ ...world, ids: { ...world.ids, number: number as string } }, c.route);
          const res = await requestTo(world, c.route, path)
            .type('form')
            .send({ ...fieldsOf(world, c.route), [c.field]: value });
          await assertAnswer(res, `${c.field}=${JSON.stringify(value)}`, 422, before);
          assert.match(
            new RegExp(`id="${c.field}-error" role="alert">([^<]*)<`).exec(res.text)?.[1] ?? '(no error next to the field)',
            c.error,
          );
        }
      });
    }

    it('the create form refuses a department that is not an id', async () => {
      const create = route('post', '/');
      for (const value of [...TEXT_NOT_IDS.map(decodeURIComponent), NO_ROW]) {
        const before = await snapshot(world.t);
        // A real multipart form, as the browser sends it.
        let req = requestTo(world, create);
        for (const [k, v] of Object.entries({ ...fieldsOf(world, create), departmentId: value })) req = req.field(k, v);
        const answer = await req;
        await assertAnswer(answer, `departmentId=${JSON.stringify(value)}`, 422, before);
        assert.match(
          /id="departmentId-error" role="alert">([^<]*)</.exec(answer.text)?.[1] ??
            `(no error next to the field for ${JSON.stringify(value)})`,
          /не принимает запросы/,
        );
      }
    });

    it('the staff reply takes a lastSeenId that is not an id as none given', async () => {
      const reply = route('post', '/:number/reply');
      for (const value of TEXT_NOT_IDS.map(decodeURIComponent)) {
        let req = requestTo(world, reply);
        for (const [k, v] of Object.entries({ ...fieldsOf(world, reply), lastSeenId: value })) req = req.field(k, v);
        const res = await req;
        assertRevealsNothing(world.t, res, `lastSeenId=${value}`);
        assert.equal(res.status, 303, `lastSeenId=${JSON.stringify(value)}: ${res.text.slice(0, 200)}`);
      }
    });
  });

  describe('in a query', () => {
    it('?department= on the queue and on the canned replies filters nothing out', async () => {
      for (const value of QUERY_NOT_IDS) {
        const queue = await world.agents.tech.get(`/?department=${value}&status=all`);
        assertRevealsNothing(world.t, queue, `queue department=${value}`);
        assert.equal(queue.status, 200);
        assert.ok(queue.text.includes(`/${world.ids.number}"`), `queue department=${value} lists the ticket`);
        const canned = await world.agents.admin.get(`/admin/canned?department=${value}`);
        assertRevealsNothing(world.t, canned, `canned department=${value}`);
        assert.equal(canned.status, 200);
        assert.match(canned.text, /Перезагрузка/);
      }
      const none = await world.agents.tech.get(`/?department=${NO_ROW}&status=all`);
      assert.equal(none.status, 200);
      assert.ok(!none.text.includes(`/${world.ids.number}"`), 'a department with no tickets lists none');
    });

    it("?canned= that is not one of the department's replies is not found", async () => {
      for (const value of [...QUERY_NOT_IDS, NO_ROW]) {
        const res = await world.agents.tech.get(`/${world.ids.number}?canned=${value}`);
        assertRevealsNothing(world.t, res, `canned=${value}`);
        assert.equal(res.status, 404, `canned=${value}`);
      }
      const chosen = await world.agents.tech.get(`/${world.ids.number}?canned=${world.ids.cannedId}`);
      assert.equal(chosen.status, 200);
      assert.match(chosen.text, /Перезагрузите сервер\./);
    });

    it('?after= cursors that are not cursors show the first page', async () => {
      const cursors = [
        'abc',
        '%00',
        '%FF',
        'MS4y',
        Buffer.from('1.2.3').toString('base64url'),
        Buffer.from('99999999999999999999.1').toString('base64url'),
        Buffer.from('-1.5').toString('base64url'),
        'x'.repeat(5000),
      ];
      for (const cursor of cursors) {
        for (const [who, path] of [
          ['ivan', '/'],
          ['tech', '/?status=all'],
        ] as const) {
          const res = await world.agents[who].get(`${path}${path.includes('?') ? '&' : '?'}after=${cursor}`);
          assertRevealsNothing(world.t, res, `${who} after=${cursor.slice(0, 20)}`);
          assert.equal(res.status, 200, `${who} after=${cursor.slice(0, 20)}: ${res.text.slice(0, 200)}`);
        }
      }
    });
  });
});
