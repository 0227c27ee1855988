// A file that is gone from storage by the time its e-mail is sent will not come back: the
// department still gets the e-mail, once, without that file and with a line naming it in the
// department's language, and the admin mail page shows it.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { forEachDatabase } from '../support/databases';
import { startPlugin, type TestPlugin } from '../support/test-host';
import { createTicket } from '../support/tickets';
import { log, png } from '../support/samples';
import { SmtpSink } from '../support/smtp-sink';
import { waitForIdleOutbox } from '../support/outbox';

const departments = {
  technical: { emails: ['tech@panel.example'], locale: 'en' },
  client_relations: { emails: ['clients@panel.example'], locale: 'ru' },
};

forEachDatabase('an attachment missing at send time', (db) => {
  let sink: SmtpSink;
  let owner: TestPlugin;
  let sender: TestPlugin | null;

  beforeEach(async () => {
    sink = await SmtpSink.started();
    // Queues only: the files can be deleted before any dispatcher sees the e-mail.
    owner = await startPlugin(db, { departments, mail: { confirmToCustomer: false } });
    sender = null;
  });
  afterEach(async () => {
    await sender?.close();
    await owner.close();
    await sink.stop();
  });

  async function deleteStoredFile(name: string): Promise<void> {
    const row = await owner.knex(owner.tables.attachments).where('original_name', name).first('storage_key');
    const key = String(row.storage_key);
    fs.rmSync(path.join(owner.storageDir, key.slice(0, 2), key));
  }

  async function startSender(): Promise<void> {
    sender = await startPlugin(
      db,
      { departments, mail: sink.settings({ confirmToCustomer: false, pollSeconds: 0.05 }) },
      { instanceOf: owner },
    );
  }

  it('sends the department e-mail once, without the file, naming it in the e-mail, and shows it on the admin page', async () => {
    const number = await createTicket(owner, owner.as('ivan'), {
      department: 'technical',
      files: [
        [png, 'screen.png'],
        [log, 'nginx.log'],
      ],
    });
    await deleteStoredFile('screen.png');
    await startSender();
    await sink.waitFor(1);
    await waitForIdleOutbox(owner);

    assert.equal(sink.received.length, 1, 'one e-mail, sent once');
    const mail = sink.received[0]!.parsed;
    assert.deepEqual(
      mail.attachments.map((a) => a.filename),
      ['nginx.log'],
    );
    const text = mail.text ?? '';
    assert.match(
      text,
      /^These files could not be found on the server when this e-mail was sent, so they are not attached:\n- screen\.png\n/,
    );
    assert.match(text, /A new request has arrived for Technical/, 'the rest of the e-mail is intact');
    assert.match(
      String(mail.html),
      /<body[^>]*>\s*<div[^>]*>\s*<p><strong>These files could not be found[^<]*<\/strong><\/p>\s*<ul>\s*<li>screen\.png<\/li>/,
    );

    const row = await owner.knex(owner.tables.outbox).first('status', 'attempts', 'missing_files');
    assert.equal(row.status, 'sent');
    assert.equal(Number(row.attempts), 1, 'no retry for a file that will not come back');

    const page = await owner.as('admin').get('/admin/mail');
    assert.equal(page.status, 200);
    assert.match(page.text, /data-count="missing-files">1</);
    assert.match(page.text, /E-mails sent with files missing/);
    const listed = /<table class="list support-mail-missing">[\s\S]*?<\/table>/.exec(page.text)?.[0] ?? '';
    assert.ok(listed.includes(`#${number}`), 'the request is named');
    assert.match(listed, /<td>screen\.png<\/td>/);
  });

  it("names the missing file in the department's language", async () => {
    await createTicket(owner, owner.as('ivan'), { department: 'client_relations', files: [[png, 'счёт.png']] });
    await deleteStoredFile('счёт.png');
    await startSender();
    await sink.waitFor(1);
    await waitForIdleOutbox(owner);

    assert.equal(sink.received.length, 1);
    const mail = sink.received[0]!.parsed;
    assert.deepEqual(mail.attachments, []);
    assert.match(mail.text ?? '', /^Эти файлы не нашлись на сервере при отправке письма, поэтому их нет во вложении:\n- счёт\.png\n/);
    assert.match(String(mail.html), /<li>счёт\.png<\/li>/);
  });

  it('counts nothing on the admin page when every file was there', async () => {
    await createTicket(owner, owner.as('ivan'), { department: 'technical', files: [[png, 'screen.png']] });
    await startSender();
    await sink.waitFor(1);
    await waitForIdleOutbox(owner);
    assert.deepEqual(
      sink.received[0]!.parsed.attachments.map((a) => a.filename),
      ['screen.png'],
    );
    assert.doesNotMatch(sink.received[0]!.parsed.text ?? '', /could not be found/);
    const page = await owner.as('admin').get('/admin/mail');
    assert.match(page.text, /data-count="missing-files">0</);
    assert.doesNotMatch(page.text, /support-mail-missing/);
  });
});
