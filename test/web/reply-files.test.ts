// The customer's reply form keeps its files when it comes back, as the create form does: a reply
// sent without text shows the files it kept with a remove box, and the next submit attaches
// those left ticked on; nothing stays pending, nothing extra stays on disk, and another customer
// cannot use them.
import assert from 'node:assert/strict';
import { forEachDatabase } from '../support/databases';
import { filesUnder, startPlugin, type TestAgent, type TestPlugin } from '../support/test-host';
import { keptFormOf, pendingCount } from '../support/forms';
import { createTicket } from '../support/tickets';
import { log, png } from '../support/samples';

interface Reply {
  message?: string;
  files?: Array<[Buffer, string]>;
  kept?: ReturnType<typeof keptFormOf>;
  removed?: string[];
}

forEachDatabase('the reply form keeps its files', (db) => {
  let t: TestPlugin;
  let number: string;

  before(async () => {
    t = await startPlugin(db);
    number = await createTicket(t, t.as('ivan'), { subject: 'Не работает почта' });
  });
  after(() => t.close());

  async function reply(as: TestAgent, form: Reply, to = number) {
    const token = await as.csrf('/new');
    let req = as.post(`/${to}/reply?_csrf=${encodeURIComponent(token)}`).field('message', form.message ?? '');
    if (form.kept) req = req.field('submissionKey', form.kept.submissionKey);
    for (const tokenOf of form.kept?.pending ?? []) req = req.field('pending', tokenOf);
    for (const tokenOf of form.removed ?? []) req = req.field('removePending', tokenOf);
    for (const [content, name] of form.files ?? []) req = req.attach('files', content, name);
    return req;
  }
  const messages = async () => Number((await t.knex(t.tables.messages).count({ n: '*' }))[0]?.n);
  const attachmentNames = async () => (await t.knex(t.tables.attachments).orderBy('id')).map((a) => a.original_name as string);

  it('a reply without text keeps its files; the next submit attaches those not ticked off', async () => {
    const ivan = t.as('ivan');
    const [before, attachedBefore] = [await messages(), (await attachmentNames()).length];
    const refused = await reply(ivan, {
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
    const sent = await reply(ivan, { message: 'Вот скриншот ошибки.', kept, removed: [logToken], files: [[log, 'second.log']] });
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
    const refused = await reply(t.as('ivan'), { files: [[png, 'passport.png']] });
    const kept = keptFormOf(refused.text);
    const aliceNumber = await createTicket(t, t.as('alice'), { subject: 'Mail is down' });
    const stolen = await reply(t.as('alice'), { message: 'Mine now?', kept }, aliceNumber);
    assert.equal(stolen.status, 303);
    assert.ok(!(await attachmentNames()).includes('passport.png'));
    assert.equal(await pendingCount(t), 1, "ivan's file still waits for ivan's form");
    const notHers = await reply(t.as('alice'), { files: [[png, 'x.png']] });
    assert.equal(notHers.status, 404);
    assert.equal(await pendingCount(t), 1, 'nothing kept for a request that is not hers');
    const again = await reply(t.as('ivan'), { message: 'Паспорт во вложении.', kept });
    assert.equal(again.status, 303);
    assert.ok((await attachmentNames()).includes('passport.png'));
    assert.equal(await pendingCount(t), 0);
  });
});
