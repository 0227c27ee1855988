// The customer's list over HTTP, on each database: the menu badge and the bold rows of requests
// with a staff answer the customer has not seen, the last-reply column, and the open / closed /
// all filter with the search by number or subject, whose keyset pages carry both.
import assert from 'node:assert/strict';
import { createStore } from '../../src/store';
import { forEachDatabase } from '../support/databases';
import { startPlugin, TestClock, users, type TestAgent, type TestPlugin } from '../support/test-host';
import { createTicket, staffAnswer } from '../support/tickets';

/** Ticket numbers on a list page, in order. */
function numbersOn(html: string): string[] {
  return [...html.matchAll(/<td[^>]*><a href="[^"]*\/(\d{8})">[#№]/g)].map((m) => m[1] as string);
}

/** The numbers of the rows shown bold (an unseen answer), with the words a screen reader hears. */
function unseenOn(html: string, words: string): string[] {
  return [...html.matchAll(/<tr class="support-unseen">\s*<td[^>]*><a href="[^"]*\/(\d{8})">[#№]\d+<\/a><\/td>\s*<td[^>]*>(.*?)<\/td>/gs)]
    .filter((m) => (m[2] as string).includes(`<span class="visually-hidden"> (${words})</span>`))
    .map((m) => m[1] as string);
}

/** The "older" link of a page, as the browser would follow it (relative to the plugin). */
function olderLink(html: string): string | null {
  const href = /<a href="[^"]*(\/\?[^"]*after=[^"]+)">/.exec(html)?.[1];
  return href ? href.replace(/&amp;/g, '&') : null;
}

forEachDatabase("customer's list", (db) => {
  let t: TestPlugin;
  let clock: TestClock;
  before(async () => {
    clock = new TestClock();
    t = await startPlugin(
      db,
      { departments: { technical: { emails: ['tech@panel.example'] } }, limits: { newTicketsPerHour: 0 } },
      { now: clock.now },
    );
  });
  after(() => t.close());

  const badge = (who: string) => t.plugin.menuBadge(users[who]!);

  it('counts requests with an unseen staff answer in the menu badge and shows them bold, until the customer opens them', async () => {
    const ivan = t.as('ivan');
    const tech = t.as('tech');
    const number = await createTicket(t, ivan, { subject: 'Не открывается панель' });
    assert.equal(await badge('ivan'), null, 'their own request is nothing new');
    await staffAnswer(tech, number, 'Клиент просил не звонить', true);
    assert.equal(await badge('ivan'), null, 'an internal note is not an answer');
    assert.deepEqual(unseenOn((await ivan.get('/')).text, 'новый ответ'), []);

    await staffAnswer(tech, number, 'Почистили кеш, проверьте.');
    assert.equal(await badge('ivan'), 1);
    assert.equal(await badge('alice'), null);
    assert.deepEqual(unseenOn((await ivan.get('/')).text, 'новый ответ'), [number]);

    await ivan.get(`/${number}`).expect(200);
    assert.equal(await badge('ivan'), null);
    const list = (await ivan.get('/')).text;
    assert.ok(numbersOn(list).includes(number));
    assert.deepEqual(unseenOn(list, 'новый ответ'), []);
  });

  it('says who replied last and how long ago, naturally in Russian and in English, with the exact time', async () => {
    const ivan = t.as('ivan');
    const number = await createTicket(t, ivan, { subject: 'Сколько стоит перенос' });
    clock.advance(2 * 3_600_000);
    const row = (html: string, n: string) => new RegExp(`/${n}">[#№]${n}</a>.*?</tr>`, 's').exec(html)?.[0] ?? '';
    assert.match(row((await ivan.get('/')).text, number), /<div>вы, <time datetime="[^"]+Z" title="[^"]+">2 часа назад<\/time><\/div>/);
    await staffAnswer(t.as('tech'), number, 'Перенос бесплатный.');
    clock.advance(5 * 60_000);
    assert.match(row((await ivan.get('/')).text, number), /<div>поддержка, <time datetime="[^"]+" title="[^"]+">5 минут назад<\/time>/);

    const alice = t.as('alice');
    const hers = await createTicket(t, alice, { subject: 'Invoice question' });
    await staffAnswer(t.as('tech'), hers, 'Sent again.');
    clock.advance(21 * 60_000);
    const page = (await alice.get('/')).text;
    assert.match(row(page, hers), /support, <time datetime="([^"]+)" title="[^"]+">21 minutes ago<\/time>/);
    assert.deepEqual(unseenOn(page, 'new answer'), [hers]);
    const iso = /<time datetime="([^"]+)"/.exec(row(page, hers))?.[1];
    assert.ok(iso && Math.abs(Date.parse(iso) - (clock.now() - 21 * 60_000)) < 5_000, iso);
  });

  it('filters open and closed requests and searches by number and by subject in Cyrillic, whatever the case', async () => {
    const oleg = t.as('nolocale');
    const disk = await createTicket(t, oleg, { subject: 'Диск заполнен' });
    const mail = await createTicket(t, oleg, { subject: 'Почта не уходит' });
    const ivanOwn = await createTicket(t, t.as('ivan'), { subject: 'Диск тоже заполнен' });
    await oleg.post(`/${mail}/close?_csrf=${encodeURIComponent(await oleg.csrf())}`).expect(303);

    const numbers = async (query: string) => numbersOn((await oleg.get(`/?${query}`)).text);
    assert.deepEqual(await numbers('status=open'), [disk]);
    assert.deepEqual(await numbers('status=closed'), [mail]);
    assert.deepEqual(new Set(await numbers('status=all')), new Set([disk, mail]));
    assert.deepEqual(await numbers(`q=${encodeURIComponent('ДИСК')}`), [disk], "only the customer's own");
    assert.deepEqual(await numbers(`q=${encodeURIComponent('заПОЛНен')}`), [disk]);
    assert.deepEqual(await numbers(`q=${mail}`), [mail]);
    assert.deepEqual(await numbers(`q=${encodeURIComponent('№' + mail)}`), [mail]);
    assert.deepEqual(await numbers(`q=${ivanOwn}`), [], "another customer's number finds nothing");
    assert.deepEqual(await numbers('q=%25'), [], 'a % typed is literal');
    assert.deepEqual(await numbers('status=anything'), await numbers('status=all'));
  });

  it('says clearly when nothing matches, keeps the filter in the form, and offers the whole list', async () => {
    const alice = t.as('alice');
    const res = await alice.get(`/?q=${encodeURIComponent('printer <b>')}&status=closed`);
    assert.equal(res.status, 200);
    assert.match(res.text, /No closed requests match “printer &lt;b&gt;”\.\s*<a href="[^"]*\/">Show all requests<\/a>/);
    assert.match(res.text, /<input id="q" name="q" type="search" value="printer &lt;b&gt;"/);
    assert.match(res.text, /<option value="closed" selected>/);
    assert.doesNotMatch(res.text, /<table/);
  });

  it('a search that is not valid UTF-8 is refused next to the field', async () => {
    const res = await t.as('ivan').get('/?q=%E0%A4%A');
    assert.equal(res.status, 400);
    assert.match(res.text, /id="q-error"/);
  });

  it('pages through a filtered search: the next page link carries the filter and the search', async () => {
    const agent: TestAgent = t.as('alice');
    const token = await agent.csrf();
    const made: string[] = [];
    for (let i = 0; i < 23; i++) {
      made.push(await createTicket(t, agent, { subject: i < 22 ? `Backup ${i} failed` : 'Something else' }, token));
      clock.advance(1000);
    }
    const closed = made[3] as string;
    await agent.post(`/${closed}/close?_csrf=${encodeURIComponent(token)}`).expect(303);

    const first = (await agent.get('/?q=BACKUP&status=open')).text;
    assert.equal(numbersOn(first).length, 20);
    const next = olderLink(first);
    assert.ok(next && /[?&]q=BACKUP(&|$)/.test(next) && /[?&]status=open(&|$)/.test(next), String(next));
    const second = (await agent.get(next)).text;
    assert.equal(olderLink(second), null);
    assert.match(second, /<a href="[^"]*\/\?q=BACKUP&amp;status=open">/, 'the first-page link keeps the filter');
    const seen = [...numbersOn(first), ...numbersOn(second)];
    assert.deepEqual(new Set(seen), new Set(made.slice(0, 22).filter((n) => n !== closed)));
    assert.equal(seen.length, 21, 'each once');
  });

  it("an answer that arrives while the customer's page is being read stays unseen", async () => {
    const store = createStore(t.knex, t.tables);
    const ivan = t.as('ivan');
    const number = await createTicket(t, ivan, { subject: 'Гонка' });
    await staffAnswer(t.as('tech'), number, 'Первый ответ');
    const shown = (await store.tickets.findByNumber(number))!;
    clock.advance(1000);
    await staffAnswer(t.as('tech'), number, 'Второй ответ');
    await store.tickets.markSeen(shown.id, clock.now(), shown.lastReplyAt);
    assert.equal((await store.tickets.findByNumber(number))!.customerSeenAt, null);
    const at = clock.now();
    await store.tickets.markSeen(shown.id, at, at);
    assert.equal((await store.tickets.findByNumber(number))!.customerSeenAt, at);
  });
});
