// Upload files a crash leaves behind. A plugin process is killed with SIGKILL while requests are
// between writing their files and committing them; the next start removes what no request will
// ever refer to, and keeps the files of committed requests and uploads that are still moving.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { forEachDatabase, uniquePrefix, type Connection } from '../support/databases';
import { filesUnder, startPlugin, type TestPlugin } from '../support/test-host';
import { createTicket } from '../support/tickets';
import { png } from '../support/samples';
import { waitUntil } from '../support/smtp-sink';
import { sameDatabase, spawnPlugin, type PluginProcess } from '../support/plugin-process';
import { createStore } from '../../src/store';
import { tableNames } from '../../src/store/tables';
import { FileStorage } from '../../src/files/storage';
import { ORPHAN_AGE_MS, sweepOrphans } from '../../src/files/orphan-sweep';

const TWO_HOURS_AGO = () => new Date(Date.now() - 2 * 3_600_000);
/** A log big enough to be written in many chunks. */
const bigLog = Buffer.from('2026-11-25 10:00:01 php-fpm: child 1234 exited on signal 9 (SIGKILL)\n'.repeat(8000));

/**
 * Starts creating a ticket and never finishes the form. With `wholeFile` the file part ends (the
 * file is complete on disk) and the form stops inside the next field, before anything is
 * committed; otherwise it stops halfway through the file.
 */
function unfinishedUpload(p: PluginProcess, token: string, department: string, wholeFile: boolean): http.ClientRequest {
  const boundary = `----b${crypto.randomBytes(8).toString('hex')}`;
  const field = (name: string, value: string) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  const req = http.request({
    host: '127.0.0.1',
    port: p.port,
    method: 'POST',
    path: `/support/requests/?_csrf=${encodeURIComponent(token)}`,
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'x-test-user': 'ivan' },
  });
  // The server dies under it: the reset is expected.
  req.on('error', () => {});
  req.write(field('subject', 'Падает php-fpm') + field('serviceId', '') + field('departmentId', department));
  req.write(`--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="php-fpm.log"\r\nContent-Type: text/plain\r\n\r\n`);
  if (wholeFile) {
    req.write(bigLog);
    req.write(`\r\n--${boundary}\r\nContent-Disposition: form-data; name="message"\r\n\r\nЛог приложен, сейчас допишу`);
  } else {
    req.write(bigLog.subarray(0, bigLog.length / 2));
  }
  return req;
}

forEachDatabase('orphan upload files', (db) => {
  let connection: Connection | null = null;
  let child: PluginProcess | null = null;
  let t: TestPlugin | null = null;
  const open: http.ClientRequest[] = [];

  afterEach(async () => {
    for (const req of open.splice(0)) req.destroy();
    await child?.kill();
    await t?.close();
    await connection?.release();
    child = null;
    t = null;
    connection = null;
  });

  it('a process killed between writing an upload and committing it leaves a file that the next start removes; committed and moving uploads stay', async () => {
    connection = db.connect();
    const at = { prefix: uniquePrefix(), dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'support-data-')) };
    const storageDir = path.join(at.dataDir, 'support-requests');
    child = await spawnPlugin(db.name, connection.knex, at);
    const remote = request(child.baseUrl);

    // A committed ticket with a file.
    const token = decodeURIComponent(/_csrf=([^"&]+)/.exec((await remote.get('/new').set('x-test-user', 'ivan')).text)![1]!);
    const tables = tableNames(at.prefix);
    const technical = String((await connection.knex(tables.departments).where('code', 'technical').first('id')).id);
    const created = await remote
      .post(`/?_csrf=${encodeURIComponent(token)}`)
      .set('x-test-user', 'ivan')
      .field('subject', 'Сайт отдаёт 502')
      .field('serviceId', '')
      .field('departmentId', technical)
      .field('message', 'Скриншот во вложении.')
      .attach('files', png, 'screen.png');
    assert.equal(created.status, 303, created.text.slice(0, 300));
    const whole = () => filesUnder(storageDir).filter((f) => !f.endsWith('.part'));
    const partial = () => filesUnder(storageDir).filter((f) => f.endsWith('.part'));
    const [referenced] = whole();
    assert.ok(referenced);

    // An upload that is whole on disk, its form not yet finished, so never committed.
    open.push(unfinishedUpload(child, token, technical, true));
    await waitUntil(() => whole().length === 2, 10_000, 'the whole upload');
    const orphan = whole().find((f) => f !== referenced)!;
    assert.equal(fs.statSync(orphan).size, bigLog.length);
    // Two uploads halfway through their file.
    open.push(unfinishedUpload(child, token, technical, false));
    await waitUntil(() => partial().some((f) => fs.statSync(f).size > 0), 10_000, 'a first partial upload');
    const [abandoned] = partial();
    open.push(unfinishedUpload(child, token, technical, false));
    await waitUntil(() => partial().filter((f) => fs.statSync(f).size > 0).length === 2, 10_000, 'a second partial upload');
    const moving = partial().find((f) => f !== abandoned)!;

    await child.kill();
    const rows = await connection.knex(tables.attachments).select('storage_key');
    assert.deepEqual(
      rows.map((r) => r.storage_key),
      [path.basename(referenced)],
      'only the committed file has a row',
    );

    // The crash was two hours ago for all but one partial upload, which stands for one another
    // instance is receiving right now. A file that is not ours is never touched.
    for (const file of [referenced, orphan, abandoned!]) fs.utimesSync(file, TWO_HOURS_AGO(), TWO_HOURS_AGO());
    const foreign = path.join(storageDir, 'ab', 'notes.txt');
    fs.mkdirSync(path.dirname(foreign), { recursive: true });
    fs.writeFileSync(foreign, 'an admin left this here');
    fs.utimesSync(foreign, TWO_HOURS_AGO(), TWO_HOURS_AGO());

    const log: string[] = [];
    t = await startPlugin(sameDatabase(db.name, connection.knex), {}, { at, log });
    await waitUntil(() => log.some((l) => /removed \d+ upload file/.test(l)), 10_000, 'the sweep at start');
    assert.ok(
      log.some((l) => l.startsWith('info support-requests: removed 2 upload file(s)')),
      log.join('\n'),
    );
    assert.deepEqual(filesUnder(storageDir).sort(), [referenced, moving, foreign].sort());

    // The committed file is still served.
    const ticket = await t.knex(t.tables.tickets).first('number');
    const attachment = await t.knex(t.tables.attachments).first('id');
    const download = await t.as('ivan').get(`/${ticket.number}/files/${attachment.id}`);
    assert.equal(download.status, 200);
    assert.equal(Number(download.headers['content-length']), png.length);
  });

  it('sweeps in chunks: of 1,200 old files, exactly the unreferenced ones go, and nothing younger than the safe age', async () => {
    t = await startPlugin(db);
    const store = createStore(t.knex, t.tables);
    const storage = new FileStorage(t.storageDir);
    const number = await createTicket(t, t.as('ivan'), { files: [[png, 'screen.png']] });
    const ticket = await t.knex(t.tables.tickets).where('number', number).first('id');
    const message = await t.knex(t.tables.messages).where('ticket_id', ticket.id).first('id');
    const keys = Array.from({ length: 1200 }, () => storage.newKey());
    for (const key of keys) {
      const part = await storage.openPart(key);
      await part.writeFile('x');
      await part.close();
    }
    for (const key of keys) await storage.complete(key);
    const kept = keys.filter((_, i) => i % 2 === 0);
    for (let i = 0; i < kept.length; i += 100) {
      await t.knex(t.tables.attachments).insert(
        kept.slice(i, i + 100).map((key) => ({
          message_id: message.id,
          ticket_id: ticket.id,
          original_name: 'x.txt',
          storage_key: key,
          size_bytes: 1,
          content_type: 'text/plain',
          sha256: '0',
          created_at: Date.now(),
        })),
      );
    }
    const before = filesUnder(t.storageDir).length;
    assert.equal(before, 1201);

    // The store answers for more keys than one query may bind.
    assert.deepEqual([...(await store.messages.referencedKeys(keys))].sort(), [...kept].sort());

    // Now: everything is younger than the safe age.
    const referencedKeys = (k: string[]) => store.messages.referencedKeys(k);
    const logger = { info() {}, warn() {}, error() {} };
    assert.equal(await sweepOrphans({ storage, referencedKeys, logger }), 0);
    assert.equal(await sweepOrphans({ storage, referencedKeys, logger, now: () => Date.now() + ORPHAN_AGE_MS - 60_000 }), 0);
    // Later than the safe age: the 600 unreferenced go.
    assert.equal(await sweepOrphans({ storage, referencedKeys, logger, now: () => Date.now() + ORPHAN_AGE_MS + 60_000 }), 600);
    const left = new Set(filesUnder(t.storageDir).map((f) => path.basename(f)));
    assert.equal(left.size, 601);
    for (const key of kept) assert.ok(left.has(key), key);
  });
});
