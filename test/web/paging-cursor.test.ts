// Paging cursors come from URLs people can edit. Whatever is in ?after=, the customer's list and
// the staff queue answer their first page: never a 500, never a database error about a number
// that does not fit a column.
import assert from 'node:assert/strict';
import { forEachDatabase } from '../support/databases';
import { startPlugin, type TestAgent, type TestPlugin } from '../support/test-host';
import { createTicket } from '../support/tickets';

const b64 = (text: string) => Buffer.from(text).toString('base64url');
const later = Date.now() + 86_400_000;

/**
 * ?after= values that are not a cursor the plugin wrote, as query strings (already encoded).
 * `pastTheEnd` are valid leading values of a cursor after every ticket: read as a cursor, the
 * rest would give an empty page, so only a cursor refused as a whole shows the first page.
 */
function malformed(pastTheEnd: string[]): Array<[string, string]> {
  const fill = (last: string) => [...pastTheEnd, last].join('.');
  const parts = pastTheEnd.length + 1;
  return [
    ['not base64', 'after=not-a-cursor!'],
    ['empty', 'after='],
    ['broken percent-encoding', 'after=%E0%A4%A'],
    ['zero bytes', 'after=AAAA'],
    ['too few values', `after=${b64(String(later))}`],
    ['too many values', `after=${b64(fill('1') + '.1')}`],
    ['a negative number', `after=${b64(fill('-1'))}`],
    ['a fraction', `after=${b64(fill('1.5'))}`],
    ['an exponent', `after=${b64(fill('1e3'))}`],
    ['text', `after=${b64(fill('x'))}`],
    ['twenty digits', `after=${b64(fill('99999999999999999999'))}`],
    ['an id beyond a 4-byte integer', `after=${b64(fill('2147483648'))}`],
    ['an id beyond a safe integer', `after=${b64(fill('9007199254740993'))}`],
    ['a first value beyond every column', `after=${b64(['9999999999999999', ...Array(parts - 1).fill('1')].join('.'))}`],
    // Repeated parameters read as their first value everywhere (web/text-input): here a malformed one.
    ['given twice, the first malformed', `after=not-a-cursor!&after=${b64(fill('1'))}`],
    ['10 KB long', `after=${'A'.repeat(10_000)}`],
  ];
}

/** Ticket numbers on a list page, in order. */
function numbersOn(html: string): string[] {
  return [...html.matchAll(/<td[^>]*><a href="[^"]*\/(\d{8})">[#№]/g)].map((m) => m[1] as string);
}

forEachDatabase('malformed paging cursors', (db) => {
  let t: TestPlugin;
  let created: string[];
  before(async () => {
    t = await startPlugin(db, { departments: { technical: { emails: ['tech@panel.example'] } } });
    created = [];
    const ivan = t.as('ivan');
    const token = await ivan.csrf();
    for (let i = 0; i < 3; i++) created.push(await createTicket(t, ivan, { subject: `Запрос ${i}`, department: 'technical' }, token));
  });
  after(() => t.close());

  // The customer's list runs newest first over (updated_at, id); the queue over (priority rank, due, waited since, id).
  const lists: Array<[string, string[], () => TestAgent]> = [
    ["the customer's list", ['0'], () => t.as('ivan')],
    ['the staff queue', ['3', '0', String(later)], () => t.as('tech')],
  ];
  for (const [list, pastTheEnd, agent] of lists) {
    it(`${list}: a well-formed cursor past the end answers an empty page (the cases below start from it)`, async () => {
      const res = await agent().get(`/?after=${b64([...pastTheEnd, '1'].join('.'))}`);
      assert.equal(res.status, 200);
      assert.deepEqual(numbersOn(res.text), []);
    });
    for (const [what, query] of malformed(pastTheEnd)) {
      it(`${list}: a cursor that is ${what} answers the first page`, async () => {
        const res = await agent().get(`/?${query}`);
        assert.equal(res.status, 200, res.text.slice(0, 300));
        assert.deepEqual(new Set(numbersOn(res.text)), new Set(created));
      });
    }
  }
});
