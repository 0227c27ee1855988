// POST <mountPath>/mail-in on the real plugin: a machine's door. It asks for no session and no CSRF
// token, only the inbound secret as a bearer token; every answer is short JSON with no detail.
import assert from 'node:assert/strict';
import request from 'supertest';
import { bearerMatches } from '../../src/web/mail-intake-route';
import { forEachDatabase } from '../support/databases';
import { filesUnder, startPlugin, type TestPlugin } from '../support/test-host';

const SECRET = 'intake-test-secret-0123456789abcdefghijklmn';
const MESSAGE = 'From: ivan@example.ru\r\nTo: support@panel.example\r\nSubject: test\r\n\r\nHello\r\n';

forEachDatabase('the mail intake endpoint', (db) => {
  let t: TestPlugin;
  let off: TestPlugin;
  const log: string[] = [];

  before(async () => {
    t = await startPlugin(db, { mail: { inbound: { address: 'support@panel.example', secret: SECRET, maxMessageMb: 0.01 } } }, { log });
    off = await startPlugin(db, { mail: { inbound: { secret: SECRET } } });
  });
  after(async () => {
    await t?.close();
    await off?.close();
  });
  beforeEach(() => (log.length = 0));

  const post = (plugin: TestPlugin, auth: string | null, body: string | Buffer = MESSAGE, type = 'message/rfc822') => {
    const req = request(plugin.app).post(`${plugin.plugin.mountPath}/mail-in`).set('Content-Type', type);
    return (auth === null ? req : req.set('Authorization', auth)).send(body);
  };

  /** The inbound mail rows and the files in storage, to compare before and after. */
  async function stored(): Promise<{ rows: number; files: string[] }> {
    const rows = (await t.knex(t.tables.inboundMail).count({ n: '*' }))[0] as { n: number | string };
    return { rows: Number(rows.n), files: filesUnder(t.storageDir) };
  }

  it('takes a message with the secret, no user and no session: 200 and the outcome as JSON', async () => {
    const res = await post(t, `Bearer ${SECRET}`).expect(200);
    assert.match(String(res.headers['content-type']), /^application\/json/);
    assert.equal(res.headers['cache-control'], 'no-store');
    assert.match(res.body.outcome, /^(stored|opened|held|ignored|duplicate|bounce)$/);
    assert.deepEqual(
      Object.keys(res.body).filter((k) => !['outcome', 'ticketNumber', 'reason'].includes(k)),
      [],
    );
    assert.equal(res.headers['set-cookie'], undefined);
  });

  it('401 without the secret or with another, and 404 while inbound mail is off', async () => {
    const before = await stored();
    for (const auth of [null, 'Bearer', `Bearer ${SECRET}x`, `Basic ${Buffer.from(`x:${SECRET}`).toString('base64')}`, SECRET]) {
      const res = await post(t, auth).expect(401);
      assert.deepEqual(res.body, { error: 'unauthorized' }, String(auth));
      assert.equal(res.headers['www-authenticate'], 'Bearer');
    }
    // No address: mail in is off, whatever the secret.
    const res = await post(off, `Bearer ${SECRET}`).expect(404);
    assert.deepEqual(res.body, { error: 'notConfigured' });
    assert.deepEqual(await stored(), before);
  });

  it('refuses a message over maxMessageMb with 413, stored nowhere, whether it says its length or not', async () => {
    const before = await stored();
    const big = Buffer.concat([Buffer.from(MESSAGE), Buffer.alloc(11 * 1024, 0x61)]);
    const res = await post(t, `Bearer ${SECRET}`, big).expect(413);
    assert.deepEqual(res.body, { error: 'tooLarge' });
    // Chunked, without a Content-Length: the limit holds while it streams.
    const chunked = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const server = t.app.listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        fetch(`http://127.0.0.1:${port}${t.plugin.mountPath}/mail-in`, {
          method: 'POST',
          headers: { 'Content-Type': 'message/rfc822', Authorization: `Bearer ${SECRET}` },
          body: new ReadableStream({
            start(controller) {
              for (let i = 0; i < 12; i++) controller.enqueue(new Uint8Array(1024).fill(0x61));
              controller.close();
            },
          }),
          duplex: 'half',
        } as RequestInit)
          .then(async (r) => resolve({ status: r.status, body: await r.text() }), reject)
          .finally(() => server.close());
      });
    });
    assert.equal(chunked.status, 413);
    assert.deepEqual(JSON.parse(chunked.body), { error: 'tooLarge' });
    assert.deepEqual(await stored(), before);
    assert.ok(
      log.every((line) => /^warn support-requests: POST \/mail-in answered 413: /.test(line)),
      log.join('\n'),
    );
  });

  it('415 for a body that is not message/rfc822, 400 for an empty one', async () => {
    const before = await stored();
    assert.deepEqual((await post(t, `Bearer ${SECRET}`, MESSAGE, 'text/plain').expect(415)).body, { error: 'unsupportedType' });
    assert.deepEqual((await post(t, `Bearer ${SECRET}`, '').expect(400)).body, { error: 'emptyMessage' });
    assert.deepEqual(await stored(), before);
  });

  it('other methods on the address are the plugin’s pages: sign in', async () => {
    await request(t.app).get(`${t.plugin.mountPath}/mail-in`).expect(401);
  });
});

describe('the bearer check', () => {
  it('matches the secret only, whatever the case of "Bearer" and the spaces', () => {
    assert.equal(bearerMatches(`Bearer ${SECRET}`, SECRET), true);
    assert.equal(bearerMatches(`bearer  ${SECRET} `, SECRET), true);
    assert.equal(bearerMatches(`Bearer ${SECRET.slice(0, -1)}`, SECRET), false);
    assert.equal(bearerMatches(`Bearer ${SECRET} extra`, SECRET), false);
    assert.equal(bearerMatches(undefined, SECRET), false);
    assert.equal(bearerMatches('Bearer ', SECRET), false);
  });
});
