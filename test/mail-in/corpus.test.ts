// The corpus of real-shaped messages (test/mail-in/corpus/index.json) through the plugin's own
// receiveMail, on every database: each lands, opens, is held, dropped or recorded as index.json
// says, with the text, the files and the author it says.
import assert from 'node:assert/strict';
import { forEachDatabase } from '../support/databases';
import { startPlugin, users, type TestPlugin } from '../support/test-host';
import { createTicket } from '../support/tickets';
import { corpusIndex, corpusMessage, fillPlaceholders, type CorpusValues } from '../support/mail-corpus';

const SECRET = 'corpus-test-secret-of-at-least-32-characters';
const STAFF = 'tech-1@panel.example';

forEachDatabase('mail in: the corpus through receiveMail', (db) => {
  let t: TestPlugin;

  before(async () => {
    t = await startPlugin(
      db,
      {
        // Every case opens a request of Ivan's and writes as him: no hourly limits here.
        mail: { inbound: { address: 'support@panel.example', secret: SECRET, defaultDepartment: 'technical', perSenderPerHour: 0 } },
        limits: { newTicketsPerHour: 0 },
        departments: { technical: { emails: [STAFF] } },
      },
      { findUserByEmail: true },
    );
  });
  after(() => t?.close());

  /** The reply address of the request's e-mail of this kind (the department's notice, the customer's confirmation). */
  async function replyAddress(number: string, kind: string): Promise<string> {
    const row = await t.knex(t.tables.outbox).where({ ticket_number: number, kind }).first('envelope');
    return (JSON.parse(row.envelope) as { replyTo: string }).replyTo;
  }

  /** A new request of Ivan's, and what the corpus' placeholders stand for on it for this sender. */
  async function request(from: string): Promise<{ ticket: { id: number; number: string }; values: CorpusValues }> {
    const number = await createTicket(t, t.as('ivan'), { subject: 'Не приходит почта на домен' });
    const row = await t.knex(t.tables.tickets).where('number', number).first('id', 'thread_message_id');
    return {
      ticket: { id: Number(row.id), number },
      values: {
        // Staff answer the department's notice; everyone else has the customer's e-mail.
        replyTo: await replyAddress(number, from === 'staff' ? 'department-new' : 'customer-confirmation'),
        threadId: row.thread_message_id,
        number,
        customer: users.ivan!.email,
        staff: STAFF,
        support: 'support@panel.example',
      },
    };
  }

  for (const entry of corpusIndex()) {
    it(`${entry.file}: ${entry.expect}${entry.reason ? ` (${entry.reason})` : ''}`, async () => {
      const { ticket, values } = await request(entry.from);
      const before = await t.knex(t.tables.messages).where('ticket_id', ticket.id).count({ n: '*' });
      const result = await t.plugin.receiveMail(corpusMessage(entry.file, values), { source: 'api' });
      assert.equal(result.outcome, entry.expect, `${entry.about}\n${JSON.stringify(result)}`);
      if (entry.reason) assert.equal(result.reason, entry.reason);
      const text = fillPlaceholders(entry.text, values);

      if (entry.expect === 'stored') {
        assert.equal(result.ticketNumber, ticket.number);
        const last = await t.knex(t.tables.messages).where('ticket_id', ticket.id).orderBy('id', 'desc').first();
        assert.equal(last.author_kind, entry.from === 'staff' ? 'staff' : 'customer');
        assert.equal(Boolean(last.internal), entry.note === true);
        const files = await t.knex(t.tables.attachments).where('message_id', last.id).orderBy('id').select('original_name');
        const accepted = (entry.files ?? []).filter((f) => f.accepted);
        assert.equal(files.length, accepted.length, JSON.stringify(files));
        const refused = (entry.files ?? []).filter((f) => !f.accepted);
        // The text as read, the #note line left out of a note, and the files not taken named under it.
        const expected = entry.note ? text.replace(/^#note\s*\n/i, '').trim() : text;
        assert.ok(last.body.startsWith(expected), `stored:\n${last.body}\nexpected to start with:\n${expected}`);
        for (const f of refused) assert.ok(last.body.includes(f.filename), `${f.filename} is named as not taken`);
        const original = await t.knex(t.tables.inboundMail).where('message_id', last.id).first('status', 'raw_key');
        assert.equal(original?.status, 'stored', 'the original is kept for staff');
      } else if (entry.expect === 'opened') {
        const opened = await t.knex(t.tables.tickets).where('number', result.ticketNumber!).first();
        assert.equal(opened.customer_id, users.ivan!.id);
        assert.equal(opened.subject, fillPlaceholders(entry.subject, values));
        assert.equal(opened.service_id, null);
        const first = await t.knex(t.tables.messages).where('ticket_id', opened.id).first('body');
        assert.ok(first.body.startsWith(text), `stored:\n${first.body}\nexpected:\n${text}`);
      } else {
        const after = await t.knex(t.tables.messages).where('ticket_id', ticket.id).count({ n: '*' });
        assert.deepEqual(after, before, 'nothing lands in the request');
      }
      if (entry.expect === 'held') {
        const held = await t.knex(t.tables.inboundMail).where({ status: 'held', reason: entry.reason }).orderBy('id', 'desc').first();
        assert.ok(held, 'held for an admin');
      }
      if (entry.expect === 'bounce') {
        const mail = await t.knex(t.tables.outbox).where('message_id', values.threadId).first('bounce');
        const recipients = (JSON.parse(mail.bounce) as Array<{ address: string }>).map((r) => r.address);
        assert.deepEqual(
          recipients,
          (entry.bounced ?? []).map((a) => fillPlaceholders(a, values)),
        );
      }
      // The same message again is taken at most once.
      if (entry.expect === 'stored' || entry.expect === 'opened') {
        const again = await t.plugin.receiveMail(corpusMessage(entry.file, values));
        assert.equal(again.outcome, 'duplicate');
      }
    });
  }
});
