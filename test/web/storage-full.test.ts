// The attachment folder fills up (a real, small tmpfs mounted over it, filled to the last few
// kilobytes): a request with a file answers 503 with a localized "try again in a minute, or send
// it without files", the typed text comes back to copy, nothing half-written stays in the
// database or on disk, and files go through again once there is room.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Response } from 'supertest';
import { forEachDatabase } from '../support/databases';
import { filesUnder, startPlugin, type TestPlugin } from '../support/test-host';
import { createTicket, departmentId } from '../support/tickets';
import { rowCount } from '../support/forms';

const RU = /Сейчас не получается сохранить прикреплённые файлы[\s\S]*без файлов/;
const EN = /We cannot save attached files right now[\s\S]*without files/;

function assertStorageFull(res: Response, language: RegExp, typed: string[]): void {
  assert.equal(res.status, 503, res.text.slice(0, 500));
  assert.equal(res.headers['retry-after'], '60');
  assert.match(res.text, language);
  for (const text of typed) assert.ok(res.text.includes(`>${text}</textarea>`), `"${text}" is shown to copy`);
  assert.doesNotMatch(res.text, /ENOSPC|no space|\bat \S+ \(|node_modules|\/tmp\//i, 'no error detail, stack or path');
}

/** Mounts a tmpfs of `kb` kilobytes on `dir`; the suite needs root, as CI has, and says so otherwise. */
function mountSmallDisk(dir: string, kb: number): void {
  fs.mkdirSync(dir, { recursive: true });
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${kb}k`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (err) {
    throw new Error(`this test mounts a small tmpfs to fill a disk for real and needs root: ${(err as Error).message}`, { cause: err });
  }
}

/** Leaves `leaveBytes` free on the file system holding `dir`. */
function fillDisk(dir: string, leaveBytes: number): string {
  const { bavail, bsize } = fs.statfsSync(dir);
  const filler = path.join(dir, 'filler.bin');
  fs.writeFileSync(filler, Buffer.alloc(Math.max(0, bavail * bsize - leaveBytes)));
  return filler;
}

forEachDatabase('the attachment disk full', (db) => {
  let t: TestPlugin;
  let storage: string;
  let filler: string;
  const log: string[] = [];
  const bigFile = Buffer.alloc(200 * 1024, 'log line\n');

  before(async () => {
    t = await startPlugin(db, {}, { log });
    storage = t.storageDir;
    mountSmallDisk(storage, 512);
    filler = fillDisk(storage, 16 * 1024);
  });
  after(async () => {
    if (storage) execFileSync('umount', [storage]);
    await t?.close();
  });

  it('a new request with a file: 503, the text comes back, nothing is stored', async () => {
    const [tickets, attachments] = [await rowCount(t, t.tables.tickets), await rowCount(t, t.tables.attachments)];
    const token = await t.as('ivan').csrf();
    const res = await t
      .as('ivan')
      .post(`/?_csrf=${encodeURIComponent(token)}`)
      .field('subject', 'Сайт отдаёт 502')
      .field('departmentId', await departmentId(t, 'technical'))
      .field('message', 'После обновления PHP сайт отдаёт 502, лог прикладываю.')
      .attach('files', bigFile, 'error.log');
    assertStorageFull(res, RU, ['Сайт отдаёт 502', 'После обновления PHP сайт отдаёт 502, лог прикладываю.']);
    assert.equal(await rowCount(t, t.tables.tickets), tickets, 'no ticket');
    assert.equal(await rowCount(t, t.tables.attachments), attachments, 'no attachment row');
    assert.deepEqual(filesUnder(storage), [filler], 'no partial file left on the disk');
    assert.ok(
      log.some((line) => /^error .*POST .*storage unavailable: ENOSPC/.test(line)),
      'logged as an outage',
    );
    assert.ok(!log.some((line) => /\n\s+at /.test(line)), 'without a stack trace');
  });

  it('a reply with a file, in English: 503 with the message kept', async () => {
    fs.rmSync(filler);
    const number = await createTicket(t, t.as('alice'), { department: 'technical' });
    filler = fillDisk(storage, 16 * 1024);
    const before = filesUnder(storage).sort();
    const token = await t.as('alice').csrf(`/${number}`);
    const res = await t
      .as('alice')
      .post(`/${number}/reply?_csrf=${encodeURIComponent(token)}`)
      .field('message', 'Here is the full access log.')
      .attach('files', bigFile, 'access.log');
    assertStorageFull(res, EN, ['Here is the full access log.']);
    assert.deepEqual(filesUnder(storage).sort(), before, 'no partial file left on the disk');
    const messages = await t.knex(t.tables.messages).where('body', 'Here is the full access log.');
    assert.equal(messages.length, 0, 'no reply stored');
  });

  it('takes files again once there is room', async () => {
    fs.rmSync(filler);
    const number = await createTicket(t, t.as('ivan'), { files: [[bigFile, 'error.log']] });
    const ticket = await t.knex(t.tables.tickets).where('number', number).first('id');
    const stored = await t.knex(t.tables.attachments).where('ticket_id', ticket.id);
    assert.equal(stored.length, 1);
    assert.equal(Number(stored[0].size_bytes), bigFile.length);
  });
});
