// Text at the boundary, for every text field of every form and every text filter of the queue:
// NUL and the other C0/C1 controls are stripped (tab, CR and LF kept) the same way on every
// database, and text that is not valid UTF-8 is refused next to its field, with nothing stored.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { forEachDatabase } from '../support/databases';
import { createTicket } from '../support/tickets';
import { log } from '../support/samples';
import { assertRevealsNothing, fieldsOf, makeWorld, pathOf, requestTo, routes, snapshot, type Route, type World } from '../support/routes';

/** Every control character class the rule covers, between the letters of a word. */
const CONTROLS = ['\u0000', '\u0001', '\u0007', '\u000b', '\u000c', '\u001b', '\u001f', '\u007f', '\u0080', '\u0085', '\u009b', '\u009f'];
const ANY_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
/** Bytes that are not UTF-8: a lone continuation byte, a cut sequence, an overlong "/", an encoded surrogate. */
const NOT_UTF8 = [Buffer.from([0xff]), Buffer.from([0xe0, 0xa4]), Buffer.from([0xc0, 0xaf]), Buffer.from([0xed, 0xa0, 0x80])];

const route = (method: Route['method'], path: string) => routes.find((r) => r.method === method && r.path === path) as Route;

interface TextField {
  route: Route;
  field: string;
  /** The table where the text ends up. */
  table: (w: World) => string;
  /** Other fields this case must make unique (a department's code, a member's id...). */
  unique?: (n: string) => Record<string, string>;
  /** Text that is valid for the field once the controls are gone. */
  text?: (n: string) => string;
  /** A fresh ticket for this case (a transfer moves the ticket away from its staff). */
  ownTicket?: boolean;
}

const submission = () => ({ submissionKey: crypto.randomUUID() });

const FIELDS: TextField[] = [
  { route: route('post', '/'), field: 'subject', table: (w) => w.t.tables.tickets },
  { route: route('post', '/'), field: 'message', table: (w) => w.t.tables.messages },
  {
    route: { ...route('post', '/:number/reply'), who: 'ivan', fields: { message: 'x' } },
    field: 'message',
    table: (w) => w.t.tables.messages,
  },
  { route: route('post', '/:number/reply'), field: 'message', table: (w) => w.t.tables.messages, unique: submission },
  { route: route('post', '/:number/note'), field: 'note', table: (w) => w.t.tables.messages },
  { route: route('post', '/:number/transfer'), field: 'reason', table: (w) => w.t.tables.events, ownTicket: true },
  ...['code', 'nameRu', 'nameEn', 'guidanceRu', 'guidanceEn', 'emails', 'onCall'].map((field): TextField => ({
    route: route('post', '/admin/departments'),
    field,
    table: (w) => w.t.tables.departments,
    unique: (n) => ({ code: `dep${n}` }),
    text: field === 'code' ? (n) => `dep${n}` : field === 'emails' || field === 'onCall' ? (n) => `desk${n}@panel.example` : undefined,
  })),
  ...['userId', 'memberName', 'memberEmail'].map((field): TextField => ({
    route: route('post', '/admin/departments/:departmentId/members'),
    field,
    table: (w) => w.t.tables.departmentStaff,
    unique: (n) => ({ userId: `s-${n}` }),
    text: field === 'userId' ? (n) => `s-${n}` : field === 'memberEmail' ? (n) => `m${n}@panel.example` : undefined,
  })),
  { route: route('post', '/admin/canned'), field: 'title', table: (w) => w.t.tables.cannedReplies },
  { route: route('post', '/admin/canned'), field: 'body', table: (w) => w.t.tables.cannedReplies },
];

/** A multipart/form-data body built by hand, so a field can carry bytes that are not UTF-8; a file comes last, as in our forms. */
function multipart(fields: Record<string, string | Buffer>): { type: string; body: Buffer } {
  const boundary = `b${crypto.randomBytes(8).toString('hex')}`;
  const parts = Object.entries(fields).map(([name, value]) =>
    Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n`),
      Buffer.from(value),
      Buffer.from('\r\n'),
    ]),
  );
  parts.push(
    Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="nginx.log"\r\nContent-Type: text/plain\r\n\r\n`,
      ),
      log,
      Buffer.from('\r\n'),
    ]),
  );
  return { type: `multipart/form-data; boundary=${boundary}`, body: Buffer.concat([...parts, Buffer.from(`--${boundary}--\r\n`)]) };
}

/** An url-encoded body; a Buffer value is percent-encoded byte by byte, as a browser would send those bytes. */
function urlencoded(fields: Record<string, string | Buffer>): string {
  const bytes = (b: Buffer) => [...b].map((x) => `%${x.toString(16).padStart(2, '0').toUpperCase()}`).join('');
  return Object.entries(fields)
    .map(([k, v]) => `${encodeURIComponent(k)}=${typeof v === 'string' ? encodeURIComponent(v) : bytes(v)}`)
    .join('&');
}

/** Every string value of every row of a table, joined. */
async function textOf(w: World, table: string): Promise<string> {
  const rows = (await w.t.knex(table).select('*')) as Array<Record<string, unknown>>;
  return rows.flatMap((r) => Object.values(r).filter((v): v is string => typeof v === 'string')).join('\n');
}

forEachDatabase('text at the boundary', (db) => {
  let world: World;
  let counter = 0;

  before(async () => {
    world = await makeWorld(db, { limits: { newTicketsPerHour: 100 } });
  });
  after(() => world.t.close());

  /** The path the case posts to; a case with its own ticket gets it made here. */
  async function pathFor(c: TextField): Promise<string> {
    const ids: Record<string, string> = c.ownTicket
      ? { number: await createTicket(world.t, world.agents.ivan, {}, world.tokens.ivan) }
      : {};
    return pathOf({ ...world, ids: { ...world.ids, ...ids } }, c.route);
  }

  function send(c: TextField, path: string, value: string | Buffer, n: string) {
    const w = world;
    const fields: Record<string, string | Buffer> = { ...fieldsOf(w, c.route), ...c.unique?.(n), [c.field]: value };
    const req = requestTo(w, c.route, path);
    if (c.route.body === 'multipart') {
      const { type, body } = multipart(fields);
      return req.set('Content-Type', type).send(body);
    }
    return req.type('form').send(urlencoded(fields));
  }

  for (const c of FIELDS) {
    const name = `${c.route.who} ${c.route.path} ${c.field}`;

    it(`${name}: control characters are stripped before the text is stored`, async () => {
      const n = String(++counter);
      const clean = c.text?.(n) ?? `Проверка ${n} текста`;
      // Every control between the characters, cycling through the list.
      const dirty = [...clean].map((ch, i) => ch + (CONTROLS[i % CONTROLS.length] as string)).join('');
      const res = await send(c, await pathFor(c), dirty, n);
      assertRevealsNothing(world.t, res, name);
      assert.equal(res.status, 303, `${name}: ${res.status} ${res.text.slice(0, 500)}`);
      const stored = await textOf(world, c.table(world));
      assert.ok(stored.includes(clean), `${name}: the text is stored without its controls`);
      assert.doesNotMatch(stored, ANY_CONTROL, `${name}: no control character is stored`);
    });

    for (const bytes of NOT_UTF8) {
      it(`${name}: bytes ${bytes.toString('hex')} are refused next to the field`, async () => {
        const n = String(++counter);
        const path = await pathFor(c);
        const before = await snapshot(world.t);
        const value = Buffer.concat([Buffer.from(c.text?.(n) ?? `Текст ${n} `), bytes]);
        const res = await send(c, path, value, n);
        assertRevealsNothing(world.t, res, name);
        assert.equal(res.status, 422, `${name}: ${res.status} ${res.text.slice(0, 300)}`);
        const error = new RegExp(`id="${c.field}-error" role="alert">([^<]*)<`).exec(res.text)?.[1];
        const expected = c.route.who === 'admin' ? /could not be read/ : /не удалось прочитать/;
        assert.match(error ?? '(no error next to the field)', expected);
        // Not a row, and not the file that came with the text.
        assert.deepEqual(await snapshot(world.t), before, 'nothing is stored');
      });
    }
  }

  it('keeps tab, CR and LF in a message', async () => {
    const text = 'Строка 1\r\nСтрока 2\n\tс отступом';
    const reply = FIELDS[2] as TextField;
    const res = await send(reply, await pathFor(reply), text, 'tabs');
    assert.equal(res.status, 303);
    const last = await world.t.knex(world.t.tables.messages).orderBy('id', 'desc').first('body');
    assert.equal(last.body, text);
  });

  describe('queue filters', () => {
    for (const filter of ['q', 'kind']) {
      it(`?${filter}= with controls searches for the text without them`, async () => {
        const res = await world.agents.tech.get(`/?${filter}=${encodeURIComponent('vp\u0000s\u0007\u0085')}&status=all`);
        assertRevealsNothing(world.t, res, filter);
        assert.equal(res.status, 200, res.text.slice(0, 300));
        assert.match(res.text, new RegExp(`id="${filter}" name="${filter}"[^>]* value="vps"`));
      });

      for (const escape of ['%FF', '%E0%A4', '%C0%AF', '%ED%A0%80']) {
        it(`?${filter}=${escape} is refused next to the filter`, async () => {
          const res = await world.agents.tech.get(`/?${filter}=abc${escape}`);
          assertRevealsNothing(world.t, res, filter);
          assert.equal(res.status, 400);
          assert.match(new RegExp(`id="${filter}-error" role="alert">([^<]*)<`).exec(res.text)?.[1] ?? '', /не удалось прочитать/);
        });
      }
    }

    it('every other queue parameter and the cursor take controls and broken bytes without failing', async () => {
      for (const name of ['status', 'priority', 'department', 'assigned', 'after', 'transferred']) {
        for (const value of ['%00', 'a%00b', '%FF', '%C0%AF', '%E0%A4%A']) {
          const res = await world.agents.tech.get(`/?${name}=${value}`);
          assertRevealsNothing(world.t, res, `${name}=${value}`);
          assert.equal(res.status, 200, `${name}=${value}: ${res.text.slice(0, 300)}`);
        }
      }
    });
  });
});
