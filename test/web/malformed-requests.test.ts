// Requests the parsers cannot read answer 400 or 413 (415 for a charset we do not read) with the
// plugin's localized page, on every route that takes each kind of input; nothing is stored, the
// answer reveals nothing, and the log gets one short line, never a stack.
import assert from 'node:assert/strict';
import { forEachDatabase } from '../support/databases';
import {
  assertRevealsNothing,
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
import { REGULATION_FIELDS } from '../../src/domain/regulation-rules';

const TITLES = {
  badRequest: { ivan: 'Не удалось прочитать запрос', admin: 'The request could not be read', tech: 'Не удалось прочитать запрос' },
  tooLarge: { ivan: 'Слишком большая форма', admin: 'The form is too large', tech: 'Слишком большая форма' },
};

const BROKEN_ESCAPES = ['%', '%E0%A4%A', '%zz', '%C0%'];

interface Case {
  name: string;
  route: Route;
  send: (world: World) => ReturnType<typeof requestTo>;
  status: number;
  page: keyof typeof TITLES;
}

const multipartRoutes = routes.filter((r) => r.body === 'multipart');
const formRoutes = routes.filter((r) => r.body === 'form');
/** How many fields a form takes: 20, the department's with its response regulation more. */
const fieldLimitOf = (route: Route) => (/^\/admin\/departments(\/:\w+)?$/.test(route.path) ? 20 + REGULATION_FIELDS.length + 1 : 20);
const part = (name: string, value: string) => `--xx\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;

const cases: Case[] = [
  // A path parameter that is not valid percent-encoding, in every parameter of every route.
  ...routes.flatMap((route) =>
    paramsOf(route).flatMap((param) =>
      BROKEN_ESCAPES.map((escape): Case => ({
        name: `${label(route)} with :${param} = ${escape}`,
        route,
        send: (w) => requestTo(w, route, pathOf(w, route, { [param]: escape })),
        status: 400,
        page: 'badRequest',
      })),
    ),
  ),
  // Multipart bodies that are not multipart/form-data, or are cut short.
  ...multipartRoutes.flatMap((route): Case[] => [
    {
      name: `${label(route)}: multipart cut short`,
      route,
      send: (w) =>
        requestTo(w, route)
          .set('Content-Type', 'multipart/form-data; boundary=xx')
          .send(`${part('message', 'текст')}--xx\r\nContent-Disposition: form-data; name="files"; filename="a.log"\r\n\r\nhalf a fi`),
      status: 400,
      page: 'badRequest',
    },
    {
      name: `${label(route)}: multipart/form-data without a boundary`,
      route,
      send: (w) => requestTo(w, route).set('Content-Type', 'multipart/form-data').send(part('message', 'текст')),
      status: 400,
      page: 'badRequest',
    },
    {
      name: `${label(route)}: multipart/mixed`,
      route,
      send: (w) =>
        requestTo(w, route)
          .set('Content-Type', 'multipart/mixed; boundary=xx')
          .send(`${part('message', 'текст')}--xx--\r\n`),
      status: 400,
      page: 'badRequest',
    },
    {
      name: `${label(route)}: a part header with no name`,
      route,
      send: (w) =>
        requestTo(w, route)
          .set('Content-Type', 'multipart/form-data; boundary=xx')
          .send(`--xx\r\nContent-Disposition form-data\r\n\r\nx\r\n--xx--\r\n`),
      status: 400,
      page: 'badRequest',
    },
  ]),
  // Url-encoded forms that are too large, have too many fields, or cannot be decoded.
  ...formRoutes.flatMap((route): Case[] => [
    {
      name: `${label(route)}: a 5 MB body`,
      route,
      send: (w) =>
        requestTo(w, route)
          .type('form')
          .send(`reason=${'я'.repeat(900_000)}&x=${'a'.repeat(5 * 1024 * 1024)}`),
      status: 413,
      page: 'tooLarge',
    },
    {
      name: `${label(route)}: ${fieldLimitOf(route) + 1} fields`,
      route,
      send: (w) =>
        requestTo(w, route)
          .type('form')
          .send(Array.from({ length: fieldLimitOf(route) + 1 }, (_, i) => `f${i}=1`).join('&')),
      status: 413,
      page: 'tooLarge',
    },
    {
      name: `${label(route)}: 200 copies of one field`,
      route,
      send: (w) =>
        requestTo(w, route)
          .type('form')
          .send(Array.from({ length: 200 }, () => 'reason=x').join('&')),
      status: 413,
      page: 'tooLarge',
    },
    {
      name: `${label(route)}: gzip that is not gzip`,
      route,
      send: (w) => requestTo(w, route).type('form').set('Content-Encoding', 'gzip').send('reason=plain'),
      status: 400,
      page: 'badRequest',
    },
    {
      name: `${label(route)}: a charset we do not read`,
      route,
      send: (w) => requestTo(w, route).set('Content-Type', 'application/x-www-form-urlencoded; charset=koi8-r').send('reason=x'),
      status: 415,
      page: 'badRequest',
    },
  ]),
];

forEachDatabase('malformed requests', (db) => {
  let world: World;
  const log: string[] = [];

  before(async () => {
    world = await makeWorld(db, {}, { log });
  });
  after(() => world.t.close());

  it('covers every route that takes a parameter, a multipart form or an url-encoded form', () => {
    assert.equal(routes.filter((r) => paramsOf(r).length > 0).length, 41);
    assert.equal(multipartRoutes.length, 4);
    assert.equal(formRoutes.length, 19);
  });

  for (const c of cases) {
    it(`${c.name} → ${c.status}`, async () => {
      const before = await snapshot(world.t);
      log.length = 0;
      const res = await c.send(world);
      assert.equal(res.status, c.status, `${c.name}: ${res.text.slice(0, 300)}`);
      assert.equal(titleOf(res), TITLES[c.page][c.route.who], 'the localized page');
      assertRevealsNothing(world.t, res, c.name);
      // At once: a file cut short must be gone before the answer is sent.
      assert.deepEqual(await snapshot(world.t), before, 'nothing is stored');
      const lines = log.filter((l) => !l.startsWith('info'));
      assert.equal(lines.length, 1, `one log line: ${lines.join(' | ')}`);
      assert.match(
        lines[0] as string,
        new RegExp(`^warn support-requests: ${c.route.method.toUpperCase()} \\S+ answered ${c.status}: [^\\n]{1,140}$`),
      );
      assert.doesNotMatch(lines[0] as string, /_csrf/, 'the token stays out of the log');
    });
  }
});
