// A walk over every route with hostile input in every place a request carries it: path
// parameters, every query parameter the plugin reads, every form field (once each and repeated,
// as arrays), headers, other content types and other methods. However odd the request, the
// plugin never answers 500 and no answer shows a stack trace, SQL or a file path; the log gets
// no error line (that is where a 500 would leave its stack).
import assert from 'node:assert/strict';
import request, { type Response } from 'supertest';
import { forEachDatabase } from '../support/databases';
import { assertRevealsNothing, fieldsOf, label, makeWorld, paramsOf, pathOf, requestTo, routes, type World } from '../support/routes';

/** Values as they are written into a URL or an url-encoded body (so broken escapes stay broken). */
const HOSTILE = [
  '%00',
  'a%00b',
  '%07%1B%5B31m',
  '%C2%85%C2%9B',
  '%7F',
  '%',
  '%E0%A4%A',
  '%FF',
  '%C0%AF',
  '%ED%A0%80',
  '%EF%BF%BD',
  '..%2F..%2Fetc%2Fpasswd',
  '%3Cscript%3Ealert(1)%3C%2Fscript%3E',
  '%27%20OR%201%3D1%20--',
  '1e400',
  '-1',
  '9'.repeat(40),
  '%5B%5D',
  '%7B%22a%22%3A1%7D',
  '__proto__',
  '%F0%9F%98%80'.repeat(50),
  '%0D%0ASet-Cookie%3A%20x%3D1',
  'x'.repeat(8000),
];

/** Every query parameter any page reads. */
const QUERY_PARAMS = [
  'after',
  'q',
  'kind',
  'status',
  'priority',
  'department',
  'assigned',
  'transferred',
  'canned',
  'target',
  'choice',
  'mode',
  'replied',
  'created',
  'saved',
  'deleted',
  'member',
  'retried',
  'v',
];

const HEADERS: Array<Record<string, string>> = [
  { 'Accept-Language': '*' },
  { 'Accept-Language': 'zz-ZZ, ru;q=abc, en;q=-1' },
  { 'Accept-Language': 'ru;q=0.5,'.repeat(500) },
  { 'X-CSRF-Token': 'x'.repeat(5000) },
  { 'X-CSRF-Token': '' },
  { 'Content-Type': 'application/json' },
  { 'Content-Type': 'text/plain; charset=utf-8' },
  { 'Content-Type': 'multipart/form-data; boundary=' },
  { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-16' },
];

forEachDatabase('hostile walk', (db) => {
  let world: World;
  const log: string[] = [];
  let requests = 0;

  before(async () => {
    world = await makeWorld(db, { limits: { newTicketsPerHour: 1000 } }, { log });
  });
  after(() => world.t.close());

  function check(res: Response, what: string): void {
    requests++;
    assert.ok(res.status < 500, `${what} answered ${res.status}: ${(res.text ?? '').slice(0, 300)}`);
    assertRevealsNothing(world.t, res, what);
  }

  it('path parameters', async function () {
    // Thousands of requests, one after another: 17–24 s on a quiet machine, more on a busy one.
    this.timeout(120_000);
    for (const r of routes) {
      for (const param of paramsOf(r)) {
        for (const value of HOSTILE)
          check(await requestTo(world, r, pathOf(world, r, { [param]: value })), `${label(r)} :${param}=${value.slice(0, 40)}`);
      }
    }
  });

  it('every query parameter, once and repeated', async function () {
    // Thousands of requests, one after another: 17–24 s on a quiet machine, more on a busy one.
    this.timeout(120_000);
    for (const r of routes) {
      for (const value of HOSTILE) {
        const once = QUERY_PARAMS.map((p) => `${p}=${value}`).join('&');
        check(await requestTo(world, r, pathOf(world, r), once), `${label(r)} ?…=${value.slice(0, 40)}`);
        check(await requestTo(world, r, pathOf(world, r), `${once}&${once}`), `${label(r)} ?…=${value.slice(0, 40)} twice`);
      }
    }
  });

  it('every form field, once, repeated, and with odd names', async function () {
    // Thousands of requests, one after another: 17–24 s on a quiet machine, more on a busy one.
    this.timeout(120_000);
    for (const r of routes.filter((x) => x.body !== 'none')) {
      const names = Object.keys(fieldsOf(world, r));
      for (const value of HOSTILE) {
        const once = names.map((n) => `${n}=${value}`).join('&');
        const what = `${label(r)} fields=${value.slice(0, 40)}`;
        check(await requestTo(world, r).type('form').send(once), what);
        check(await requestTo(world, r).type('form').send(`${once}&${once}`), `${what} twice`);
        if (r.body === 'multipart') {
          let req = requestTo(world, r);
          for (const n of names) req = req.field(n, decodeURIComponentLoosely(value)).field(n, 'second');
          check(await req, `${what} multipart, twice`);
        }
      }
      check(
        await requestTo(world, r).type('form').send('__proto__=x&constructor%5Bprototype%5D=y&a%5B999999%5D=z&=&&=x'),
        `${label(r)} odd names`,
      );
      check(await requestTo(world, r).type('form').send(''), `${label(r)} no fields`);
    }
  });

  it('headers and content types', async () => {
    for (const r of routes) {
      for (const headers of HEADERS) {
        const body = headers['Content-Type']?.startsWith('application/json') ? '{"message": ' : 'message=x';
        check(await requestTo(world, r).set(headers).send(body), `${label(r)} ${JSON.stringify(headers).slice(0, 80)}`);
      }
    }
  });

  it('other methods', async () => {
    for (const r of routes) {
      const path = pathOf(world, r);
      const other = r.method === 'get' ? 'post' : 'get';
      check(await requestTo(world, { ...r, method: other }), `${label(r)} as ${other.toUpperCase()}`);
      for (const method of ['put', 'patch', 'delete'] as const) {
        const res = await request(world.t.app)[method](`${world.t.plugin.mountPath}${path}`).set('x-test-user', r.who);
        check(res, `${label(r)} as ${method.toUpperCase()}`);
        assert.equal(res.status, 404, `${label(r)} as ${method.toUpperCase()}`);
      }
      for (const method of ['head', 'options'] as const) {
        check(
          await request(world.t.app)[method](`${world.t.plugin.mountPath}${path}`).set('x-test-user', r.who),
          `${label(r)} as ${method.toUpperCase()}`,
        );
      }
    }
  });

  it('anonymous visitors and users the host does not know', async () => {
    for (const r of routes) {
      for (const user of [null, 'nobody', 'x'.repeat(2000)]) {
        for (const query of ['', '?_csrf=x&after=%FF&q=%00']) {
          const req = request(world.t.app)[r.method](`${world.t.plugin.mountPath}${pathOf(world, r)}${query}`);
          const res = await (user === null ? req : req.set('x-test-user', user)).type('form').send('message=%00');
          check(res, `${label(r)} as ${user?.slice(0, 10) ?? 'anonymous'}${query}`);
          if (!r.path.startsWith('/assets')) assert.equal(res.status, 401, `${label(r)} as ${user?.slice(0, 10) ?? 'anonymous'}`);
        }
      }
    }
  });

  it('left no error in the log, after a real walk', () => {
    assert.ok(requests > 1500, `walked ${requests} requests`);
    const errors = log.filter((l) => l.startsWith('error'));
    assert.deepEqual(errors, [], 'no request failed on our side');
    assert.ok(
      log.every((l) => !/\n\s+at /.test(l)),
      'no stack trace in the log',
    );
  });
});

/** The text a browser would have typed for an escaped value; broken escapes are kept as written. */
function decodeURIComponentLoosely(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
