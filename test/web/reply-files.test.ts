// Reply forms keep their files when they come back, as the create form does: a customer's reply
// or a staff answer or note sent without text shows the files it kept with a remove box, and the
// next submit attaches those left on; a staff answer held until its author has read newer
// messages keeps them for the confirmation. Nothing stays pending, nothing extra stays on disk,
// and nobody else can use them.
import assert from 'node:assert/strict';
import { forEachDatabase } from '../support/databases';
import { filesUnder, startPlugin, type TestPlugin } from '../support/test-host';
import { keptFormOf, pendingCount } from '../support/forms';
import { createTicket } from '../support/tickets';
import { log, png } from '../support/samples';

interface Reply {
  message?: string;
  files?: Array<[Buffer, string]>;
  kept?: ReturnType<typeof keptFormOf>;
  removed?: string[];
  /** A staff answer's: the newest message its author had seen, and the "send anyway" of a held one. */
  lastSeenId?: string;
  confirmed?: boolean;
}

forEachDatabase('the reply form keeps its files', (db) => {
  let t: TestPlugin;
  let number: string;

  before(async () => {
    t = await startPlugin(db);
    number = await createTicket(t, t.as('ivan'), { subject: 'Не работает почта' });
  });
  after(() => t.close());

  /** A reply form sent (a staff member's note with `path` 'note'). */
  async function reply(who: string, form: Reply, to = number, path: 'reply' | 'note' = 'reply') {
    const as = t.as(who);
    const token = await as.csrf(who === 'tech' ? `/${to}` : '/new');
    let req = as.post(`/${to}/${path}?_csrf=${encodeURIComponent(token)}`).field(path === 'note' ? 'note' : 'message', form.message ?? '');
    if (form.lastSeenId !== undefined) req = req.field('lastSeenId', form.lastSeenId);
    if (form.confirmed) req = req.field('confirmed', '1');
    if (form.kept) req = req.field('submissionKey', form.kept.submissionKey);
    for (const tokenOf of form.kept?.pending ?? []) req = req.field('pending', tokenOf);
    for (const tokenOf of form.removed ?? []) req = req.field('removePending', tokenOf);
    for (const [content, name] of form.files ?? []) req = req.attach('files', content, name);
    return req;
  }
  const messages = async () => Number((await t.knex(t.tables.messages).count({ n: '*' }))[0]?.n);
  const attachmentNames = async () => (await t.knex(t.tables.attachments).orderBy('id')).map((a) => a.original_name as string);

  it('a reply without text keeps its files; the next submit attaches those not ticked off', async () => {
    const [before, attachedBefore] = [await messages(), (await attachmentNames()).length];
    const refused = await reply('ivan', {
      files: [
        [png, 'error.png'],
        [log, 'mail.log'],
      ],
    });
    assert.equal(refused.status, 422);
    assert.equal(await messages(), before, 'no message');
    assert.match(refused.text, /id="message-error" role="alert"/);
    assert.match(refused.text, /Убрать «error\.png»/);
    assert.match(refused.text, /Убрать «mail\.log»/);
    const kept = keptFormOf(refused.text);
    assert.equal(kept.pending.length, 2);
    assert.equal(await pendingCount(t), 2);

    const logToken = /name="removePending" value="([^"]+)">\s*<label[^>]*>Убрать «mail\.log»/.exec(refused.text)?.[1] as string;
    const sent = await reply('ivan', { message: 'Вот скриншот ошибки.', kept, removed: [logToken], files: [[log, 'second.log']] });
    assert.equal(sent.status, 303, sent.text.slice(0, 400));
    assert.equal(await messages(), before + 1);
    assert.deepEqual((await attachmentNames()).slice(attachedBefore).sort(), ['error.png', 'second.log']);
    assert.equal(await pendingCount(t), 0, 'no pending rows after the reply');
    assert.equal(
      filesUnder(t.storageDir).length,
      Number((await t.knex(t.tables.attachments).count({ n: '*' }))[0]?.n),
      'the ticked-off file is gone',
    );
  });

  it("another customer's reply cannot take the kept files; a request not theirs keeps nothing", async () => {
    const refused = await reply('ivan', { files: [[png, 'passport.png']] });
    const kept = keptFormOf(refused.text);
    const aliceNumber = await createTicket(t, t.as('alice'), { subject: 'Mail is down' });
    const stolen = await reply('alice', { message: 'Mine now?', kept }, aliceNumber);
    assert.equal(stolen.status, 303);
    assert.ok(!(await attachmentNames()).includes('passport.png'));
    assert.equal(await pendingCount(t), 1, "ivan's file still waits for ivan's form");
    const notHers = await reply('alice', { files: [[png, 'x.png']] });
    assert.equal(notHers.status, 404);
    assert.equal(await pendingCount(t), 1, 'nothing kept for a request that is not hers');
    const again = await reply('ivan', { message: 'Паспорт во вложении.', kept });
    assert.equal(again.status, 303);
    assert.ok((await attachmentNames()).includes('passport.png'));
    assert.equal(await pendingCount(t), 0);
  });
  it('a staff answer or note without text keeps its files; the next submit attaches them', async () => {
    const page = await t.as('tech').get(`/${number}`);
    const lastSeenId = /name="lastSeenId" value="(\d+)"/.exec(page.text)?.[1] as string;
    const refused = await reply('tech', { lastSeenId, files: [[log, 'nginx-error.log']] });
    assert.equal(refused.status, 422);
    assert.match(refused.text, /Убрать «nginx-error\.log»/);
    const kept = keptFormOf(refused.text);
    assert.equal(kept.pending.length, 1);
    const sent = await reply('tech', { message: 'Лог посмотрели, это nginx.', lastSeenId, kept });
    assert.equal(sent.status, 303, sent.text.slice(0, 300));
    assert.ok((await attachmentNames()).includes('nginx-error.log'));
    assert.equal(await pendingCount(t), 0);

    const note = await reply('tech', { files: [[png, 'graph.png']] }, number, 'note');
    assert.equal(note.status, 422);
    // The page has the answer's form first: what the note's form keeps is in the note's form.
    const keptNote = keptFormOf(note.text.slice(note.text.indexOf('/note?_csrf=')));
    assert.equal(keptNote.pending.length, 1, 'the note form keeps its file');
    const noted = await reply('tech', { message: 'График нагрузки.', kept: keptNote }, number, 'note');
    assert.equal(noted.status, 303);
    assert.ok((await attachmentNames()).includes('graph.png'));
    assert.equal(await pendingCount(t), 0);
  });

  it('a staff answer held until its author reads the newer messages keeps its file for the confirmation', async () => {
    const page = await t.as('tech').get(`/${number}`);
    const onDisk = filesUnder(t.storageDir).length;
    const lastSeenId = /name="lastSeenId" value="(\d+)"/.exec(page.text)?.[1] as string;
    // The customer writes while the answer is being written.
    assert.equal((await reply('ivan', { message: 'Ещё одна деталь: с утра.' })).status, 303);
    const held = await reply('tech', { message: 'Исправили.', lastSeenId, files: [[log, 'fix.log']] });
    assert.equal(held.status, 409);
    assert.match(held.text, /Убрать «fix\.log»/);
    const kept = keptFormOf(held.text);
    const sent = await reply('tech', { message: 'Исправили.', lastSeenId, confirmed: true, kept });
    assert.equal(sent.status, 303, sent.text.slice(0, 300));
    assert.ok((await attachmentNames()).includes('fix.log'));
    assert.equal(await pendingCount(t), 0);
    assert.equal(filesUnder(t.storageDir).length, onDisk + 1, 'the log, once (pages show pictures as thumbnails made before)');
  });
});
