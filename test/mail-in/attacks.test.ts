// Mail meant to hurt, through the plugin's receiveMail on every database: each is refused or
// neutralised, and nothing of it is half-stored (no row, no file) where it is refused.
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { forEachDatabase } from '../support/databases';
import { filesUnder, startPlugin, users, type TestPlugin } from '../support/test-host';
import { createTicket } from '../support/tickets';
import { plainMail } from '../support/mail-message';

const SECRET = 'attack-test-secret-of-at-least-32-characters';

forEachDatabase('mail in: attacks', (db) => {
  let t: TestPlugin;

  before(async () => {
    t = await startPlugin(
      db,
      { mail: { inbound: { address: 'support@panel.example', secret: SECRET, maxMessageMb: 25 } } },
      { findUserByEmail: true },
    );
  });
  after(() => t?.close());

  async function stored(): Promise<{ rows: number; messages: number; files: string[] }> {
    const [rows] = await t.knex(t.tables.inboundMail).count({ n: '*' });
    const [messages] = await t.knex(t.tables.messages).count({ n: '*' });
    return { rows: Number((rows as { n: unknown }).n), messages: Number((messages as { n: unknown }).n), files: filesUnder(t.storageDir) };
  }

  async function replyAddressOf(number: string): Promise<string> {
    const row = await t.knex(t.tables.outbox).where('ticket_number', number).first('envelope');
    return (JSON.parse(row.envelope) as { replyTo: string }).replyTo;
  }

  it('a 30 MB message is refused whole, as bytes and as a stream, and nothing is kept', async () => {
    const before = await stored();
    const big = plainMail({ From: users.ivan!.email, To: 'support@panel.example', Subject: 'big' }, 'x'.repeat(30 * 1024 * 1024));
    assert.deepEqual(await t.plugin.receiveMail(big), { outcome: 'ignored', reason: 'tooLarge' });
    // In 64 KB chunks, as a pipe or a socket gives it: reading stops at the limit.
    let read = 0;
    const stream = new Readable({
      read() {
        if (read >= big.length) this.push(null);
        else this.push(big.subarray(read, (read += 65536)));
      },
    });
    assert.deepEqual(await t.plugin.receiveMail(stream), { outcome: 'ignored', reason: 'tooLarge' });
    assert.ok(read < big.length, 'the rest of the stream is never read');
    assert.deepEqual(await stored(), before);
  });

  it('10,000 MIME parts are refused before they are decoded, and nothing is kept', async () => {
    const before = await stored();
    const parts = Array.from({ length: 10_000 }, (_, i) => `--b\r\nContent-Type: text/plain\r\n\r\npart ${i}\r\n`).join('');
    const bomb = plainMail(
      {
        From: users.ivan!.email,
        To: 'support@panel.example',
        Subject: 'parts',
        'MIME-Version': '1.0',
        'Content-Type': 'multipart/mixed; boundary="b"',
      },
      `${parts}--b--\r\n`,
    );
    assert.deepEqual(await t.plugin.receiveMail(bomb), { outcome: 'ignored', reason: 'tooComplex' });
    assert.deepEqual(await stored(), before);
  });

  it("request A's reply address with B's number is a forgery: held, and neither request changes", async () => {
    const a = await createTicket(t, t.as('ivan'));
    const b = await createTicket(t, t.as('alice'), { department: 'client_relations' });
    const forged = (await replyAddressOf(a)).replace(a, b);
    const before = await stored();
    const result = await t.plugin.receiveMail(plainMail({ From: users.alice!.email, To: forged, Subject: 'Re: hi' }, 'Закройте запрос.'));
    assert.deepEqual(result, { outcome: 'held', reason: 'forgedToken' });
    const after = await stored();
    assert.equal(after.messages, before.messages, 'no message in any request');
    assert.equal(after.rows, before.rows + 1, 'held for an admin to see');
  });

  it('a replayed message is taken once, wherever it was sent from', async () => {
    const number = await createTicket(t, t.as('ivan'));
    const raw = plainMail({ From: users.ivan!.email, To: await replyAddressOf(number), Subject: 'Re: x' }, 'Спасибо!');
    assert.equal((await t.plugin.receiveMail(raw, { source: 'imap' })).outcome, 'stored');
    const before = await stored();
    assert.equal((await t.plugin.receiveMail(raw, { source: 'pipe' })).outcome, 'duplicate');
    assert.equal((await t.plugin.receiveMail(raw, { source: 'smtp' })).outcome, 'duplicate');
    assert.deepEqual(await stored(), before);
    // A held one too: one row, one original.
    const stranger = plainMail({ From: 'someone@elsewhere.example', To: 'support@panel.example', Subject: 'hello' }, 'Привет');
    assert.equal((await t.plugin.receiveMail(stranger)).outcome, 'held');
    const held = await stored();
    assert.equal((await t.plugin.receiveMail(stranger)).outcome, 'duplicate');
    assert.deepEqual(await stored(), held);
  });

  it('a header hidden in the subject of a mail that opens a request stays in the subject, on one line', async () => {
    const subject = '=?utf-8?B?' + Buffer.from('Сайт\r\nBcc: victim@elsewhere.example\r\nX-Evil: 1').toString('base64') + '?=';
    const result = await t.plugin.receiveMail(
      plainMail({ From: users.ivan!.email, To: 'support+technical@panel.example', Subject: subject }, 'Не открывается.'),
    );
    assert.equal(result.outcome, 'opened');
    const ticket = await t.knex(t.tables.tickets).where('number', result.ticketNumber!).first('subject');
    assert.equal(ticket.subject, 'Сайт Bcc: victim@elsewhere.example X-Evil: 1');
    for (const row of await t.knex(t.tables.outbox).where('ticket_number', result.ticketNumber!).select('envelope')) {
      const envelope = JSON.parse(row.envelope) as { subject: string; to: string[] };
      assert.doesNotMatch(envelope.subject, /[\r\n]/);
      assert.ok(!envelope.to.includes('victim@elsewhere.example'));
    }
  });

  it('HTML with scripts lands as text only', async () => {
    const number = await createTicket(t, t.as('ivan'));
    const html = '<p>Проверьте</p><script>alert(1)</script><img src=x onerror="alert(2)"><a href="javascript:alert(3)">ссылка</a>';
    const raw = plainMail(
      {
        From: users.ivan!.email,
        To: await replyAddressOf(number),
        Subject: 'Re: x',
        'MIME-Version': '1.0',
        'Content-Type': 'text/html; charset=utf-8',
      },
      html,
    );
    assert.equal((await t.plugin.receiveMail(raw)).outcome, 'stored');
    const ticket = await t.knex(t.tables.tickets).where('number', number).first('id');
    const last = await t.knex(t.tables.messages).where('ticket_id', ticket.id).orderBy('id', 'desc').first('body');
    assert.doesNotMatch(last.body, /<script|onerror|javascript:|alert\(/);
    assert.match(last.body, /Проверьте/);
  });
});
