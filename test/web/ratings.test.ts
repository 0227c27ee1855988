// Customers rate their requests: on the request's page, and from the signed links in e-mail,
// which open a page that asks first (a GET records nothing). A bad rating e-mails the department
// once; staff see the rating on the request, admins the figures per department and staff member.
import assert from 'node:assert/strict';
import { forEachDatabase } from '../support/databases';
import { startPlugin, type TestAgent, type TestPlugin } from '../support/test-host';
import { answerAsStaff as answer, createTicket } from '../support/tickets';
import { postForm } from '../support/forms';
import { SmtpSink, waitUntil } from '../support/smtp-sink';
import { waitForIdleOutbox } from '../support/outbox';
import { assertRevealsNothing, snapshot, titleOf } from '../support/routes';

const BASE = 'https://panel.example/support/requests';
const INBOUND = { address: 'support@panel.example', secret: 'ratings-test-secret-0123456789abcdefghijkl' };
const departments = {
  technical: { emails: ['tech@panel.example'] },
  client_relations: { emails: ['clients@panel.example'], locale: 'en' },
};

const ratingOf = (t: TestPlugin, number: string) =>
  t.knex(`${t.tables.ratings} as r`).join(`${t.tables.tickets} as tk`, 'tk.id', 'r.ticket_id').where('tk.number', number).first('r.*');

const rate = async (agent: TestAgent, number: string, fields: Record<string, string>) =>
  postForm(agent, `/${number}/rate`, await agent.csrf(`/${number}`), fields);

forEachDatabase('ratings', (db) => {
  let sink: SmtpSink;
  let t: TestPlugin;

  before(async () => {
    sink = await SmtpSink.started();
    t = await startPlugin(db, {
      publicBaseUrl: 'https://panel.example',
      departments,
      mail: sink.settings({ pollSeconds: 0.05, confirmToCustomer: false, inbound: INBOUND }),
    });
  });
  after(async () => {
    await t.close();
    await sink.stop();
  });

  /** A request of Ivan's, answered by staff; its answer's e-mail and the rating links in it. */
  async function answered(subject = 'Проблема с VPS') {
    const number = await createTicket(t, t.as('ivan'), { subject });
    await answer(t, number);
    await waitUntil(() => sink.to('ivan@example.ru').some((m) => m.parsed.subject?.includes(number)), 10_000, 'the answer e-mail');
    const mail = sink.to('ivan@example.ru').find((m) => m.parsed.subject?.includes(number));
    const text = mail?.parsed.text ?? '';
    const link = (label: string) => new RegExp(`${label}: ${BASE}(/${number}/rate\\?r=\\w+&sig=[0-9a-f]+)`).exec(text)?.[1];
    const links = { good: link('Хорошо') as string, bad: link('Плохо') as string };
    assert.ok(links.good && links.bad, `the answer e-mail carries both rating links: ${text}`);
    assert.match(mail?.parsed.html || '', new RegExp(`href="${BASE}/${number}/rate\\?r=bad&amp;sig=`));
    return { number, links };
  }

  it('a request without a staff answer shows no rating block and cannot be rated', async () => {
    const number = await createTicket(t, t.as('ivan'));
    const page = await t.as('ivan').get(`/${number}`);
    assert.doesNotMatch(page.text, /Как мы справились/);
    const before = await snapshot(t);
    const res = await rate(t.as('ivan'), number, { rating: 'good', comment: '' });
    assert.equal(res.status, 409);
    assert.equal(titleOf(res), 'Оценивать пока нечего');
    assert.deepEqual(await snapshot(t), before);
  });

  it('rates from the request page: CSRF required, then recorded, shown, and changeable', async () => {
    const { number } = await answered();
    const ivan = t.as('ivan');
    const page = await ivan.get(`/${number}`);
    assert.match(page.text, /Как мы справились\?/);
    assert.match(page.text, /name="rating" value="good"/);

    const before = await snapshot(t);
    assert.equal((await postForm(ivan, `/${number}/rate`, null, { rating: 'good', comment: '' })).status, 403, 'no token');
    assert.equal((await postForm(ivan, `/${number}/rate`, 'forged', { rating: 'good', comment: '' })).status, 403, 'a wrong token');
    assert.deepEqual(await snapshot(t), before, 'nothing recorded without the token');

    const res = await rate(ivan, number, { rating: 'good', comment: 'Быстро помогли' });
    assert.equal(res.status, 303);
    assert.equal(res.headers.location, `/support/requests/${number}?rated=1#rating`);
    const shown = await ivan.get(`/${number}?rated=1`);
    assert.match(shown.text, /Спасибо за оценку!/);
    assert.match(shown.text, /Ваша оценка:.*data-rating="good"/s);
    assert.match(shown.text, />Быстро помогли<\/textarea>/);
    assert.equal((await ratingOf(t, number)).rating, 'good');

    assert.equal((await rate(ivan, number, { rating: 'bad', comment: 'Снова не работает' })).status, 303);
    const rating = await ratingOf(t, number);
    assert.equal(rating.rating, 'bad');
    assert.equal(rating.comment, 'Снова не работает');
    assert.equal(rating.staff_id, 's-tech');
  });

  it('an e-mail link opens a page that asks and records nothing; its POST records', async () => {
    const { number, links } = await answered();
    const before = await snapshot(t);
    const page = await t.as('ivan').get(links.bad);
    assert.equal(page.status, 200);
    assert.equal(page.headers['cache-control'], 'no-store');
    assert.match(page.text, /id="rate-bad" name="rating" value="bad" checked/);
    assert.doesNotMatch(page.text, /id="rate-good"[^>]*checked/);
    assert.match(page.text, /Отправить оценку/);
    // A mail scanner following both links, and again.
    await t.as('ivan').get(links.good);
    await t.as('ivan').get(links.bad);
    assert.deepEqual(await snapshot(t), before, 'a GET records nothing');

    const token = decodeURIComponent(/rate\?_csrf=([^"&]+)/.exec(page.text)?.[1] ?? '');
    const res = await postForm(t.as('ivan'), `/${number}/rate`, token, { rating: 'bad', comment: 'Долго ждал' });
    assert.equal(res.status, 303);
    assert.equal((await ratingOf(t, number)).comment, 'Долго ждал');
  });

  it('a tampered or missing signature is refused with a clean page, and so is another customer', async () => {
    const { number, links } = await answered();
    const other = await answered('Другой запрос');
    await waitForIdleOutbox(t);
    const before = await snapshot(t);
    const tampered = links.good.replace(/sig=([0-9a-f])/, (_m, c: string) => `sig=${c === '0' ? '1' : '0'}`);
    for (const url of [
      tampered,
      `/${number}/rate?r=good`,
      `/${number}/rate?r=good&sig=`,
      `/${number}/rate?r=good&sig=${'ab'.repeat(40)}`,
    ]) {
      const res = await t.as('ivan').get(url);
      assert.equal(res.status, 400, url);
      assert.equal(titleOf(res), 'Ссылка не работает');
      assertRevealsNothing(t, res, url);
    }
    // Another request's signature does not open this one.
    const swapped = `/${number}/rate?r=good&${other.links.good.split('&')[1]}`;
    assert.equal((await t.as('ivan').get(swapped)).status, 400);

    const alice = t.as('alice');
    assert.equal((await alice.get(links.good)).status, 404, "another customer's link: as if there were no such request");
    const foreign = await postForm(alice, `/${number}/rate`, await alice.csrf(), { rating: 'bad', comment: 'чужая оценка' });
    assert.equal(foreign.status, 404);
    assert.deepEqual(await snapshot(t), before, 'nothing stored');
    assert.equal(await ratingOf(t, number), undefined);
  });

  it('a comment over the limit comes back next to the field with what was typed', async () => {
    const { number } = await answered();
    const long = `${'оч'.repeat(500)}!`;
    const res = await rate(t.as('ivan'), number, { rating: 'bad', comment: long });
    assert.equal(res.status, 422);
    assert.match(res.text, /id="comment-error" role="alert">Комментарий должен быть не длиннее 1000 символов/);
    assert.ok(res.text.includes(`>${long}</textarea>`), 'the comment is kept');
    assert.match(res.text, /id="rate-bad" name="rating" value="bad" checked/);
    assert.equal(await ratingOf(t, number), undefined);
  });

  it('a bad rating e-mails the department exactly once, with the comment; a good one does not', async () => {
    const { number } = await answered('Плохо работает почта');
    const { id } = await t.knex(t.tables.tickets).where('number', number).first('id');
    const alerts = () => t.knex(t.tables.outbox).where({ kind: 'department-rating', ticket_id: id });
    await rate(t.as('ivan'), number, { rating: 'good', comment: '' });
    assert.equal((await alerts()).length, 0);
    await rate(t.as('ivan'), number, { rating: 'bad', comment: 'Не починили & <b>жду</b>' });
    await rate(t.as('ivan'), number, { rating: 'bad', comment: 'Передумал: ещё хуже' });
    await rate(t.as('ivan'), number, { rating: 'good', comment: '' });
    await rate(t.as('ivan'), number, { rating: 'bad', comment: 'Нет, всё-таки плохо' });
    const queued = await alerts();
    assert.equal(queued.length, 1, 'one alert for the change to bad');

    const mails = () => sink.to('tech@panel.example').filter((m) => m.parsed.subject?.startsWith(`[#${number}] Плохая оценка`));
    await waitUntil(() => mails().length > 0, 10_000, 'the alert');
    await waitForIdleOutbox(t);
    assert.equal(mails().length, 1);
    const mail = mails()[0]!;
    assert.equal(mail.parsed.subject, `[#${number}] Плохая оценка: Плохо работает почта`);
    assert.match(mail.parsed.text ?? '', /Не починили & <b>жду<\/b>/);
    assert.match(mail.parsed.text ?? '', new RegExp(`${BASE}/${number}`));
    assert.match(mail.parsed.text ?? '', /Кто отвечал: Tech Sergey/);
    assert.match(mail.parsed.html || '', /Не починили &amp; &lt;b&gt;жду&lt;\/b&gt;/);
  });

  it('staff see the rating with its comment next to the status, and in History', async () => {
    const { number } = await answered();
    await rate(t.as('ivan'), number, { rating: 'bad', comment: 'Ответили не по теме' });
    const page = await t.as('tech').get(`/${number}`);
    assert.equal(page.status, 200);
    assert.match(page.text, /Оценка клиента<\/dt>\s*<dd class="support-rating-staff">\s*<span class="badge rating-bad" data-rating="bad">/);
    assert.match(page.text, /<q class="support-rating-comment">Ответили не по теме<\/q>/);
    assert.match(page.text, /отвечал: Tech Sergey/);
    assert.match(page.text, /data-action="rating">.*Клиент оценил запрос: Плохо \(Иван Петров\)/);
  });

  it('the queue marks a request its customer rated bad, and stops when the rating turns good', async () => {
    const { number } = await answered('Плохо настроили почту');
    const good = await answered('Хорошо настроили почту');
    await rate(t.as('ivan'), number, { rating: 'bad', comment: '' });
    await rate(t.as('ivan'), good.number, { rating: 'good', comment: '' });
    const rowOf = (page: string, n: string) =>
      new RegExp(`<tr class="priority-\\w+">\\s*<td[^>]*><a href="/support/requests/${n}">[\\s\\S]*?</tr>`).exec(page)?.[0] ?? '';
    const marked = (page: string, n: string) =>
      /<span class="badge rating-bad" data-rating="bad"><span aria-hidden="true">👎<\/span> (Плохая оценка|Rated bad)<\/span>/.test(
        rowOf(page, n),
      );

    const queue = await t.as('tech').get('/?status=all');
    assert.ok(rowOf(queue.text, number) && rowOf(queue.text, good.number), 'both requests are in the queue');
    assert.ok(marked(queue.text, number), 'the bad one is marked');
    assert.ok(!marked(queue.text, good.number), 'the good one is not');

    await rate(t.as('ivan'), number, { rating: 'good', comment: '' });
    assert.ok(!marked((await t.as('tech').get('/?status=all')).text, number), 'the customer changed their mind');
  });

  it('admins see good, bad and the share per department and staff member, for a period, with the latest bad ones', async () => {
    const other = await startPlugin(db, { departments, mail: { inbound: INBOUND } });
    try {
      const make = async (department: string, who: string, choice: string, comment = '') => {
        const number = await createTicket(other, other.as('ivan'), { department });
        await answer(other, number, who);
        assert.equal((await rate(other.as('ivan'), number, { rating: choice, comment })).status, 303);
        return number;
      };
      await make('technical', 'tech', 'good');
      await make('technical', 'tech', 'good');
      const bad = await make('technical', 'tech', 'bad', 'Слишком долго');
      await make('client_relations', 'olga', 'bad');
      const page = await other.as('admin').get('/admin/ratings');
      assert.equal(page.status, 200);
      const row = (attr: string) => new RegExp(`<tr ${attr}>([\\s\\S]*?)</tr>`).exec(page.text)?.[1] ?? '';
      const counts = (html: string) => [...html.matchAll(/data-count="(\w+)">([^<]*)</g)].map((m) => `${m[1]}=${m[2]}`);
      assert.deepEqual(counts(row('data-department="technical"')), ['good=2', 'bad=1', 'share=67%']);
      assert.deepEqual(counts(row('data-department="client_relations"')), ['good=0', 'bad=1', 'share=0%']);
      assert.deepEqual(counts(row('data-staff="s-tech"')), ['good=2', 'bad=1', 'share=67%']);
      assert.deepEqual(counts(row('data-staff="s-olga"')), ['good=0', 'bad=1', 'share=0%']);
      assert.match(page.text, new RegExp(`href="/support/requests/${bad}">${bad}</a>[\\s\\S]*?Слишком долго`));

      const queue = await other.as('admin').get('/');
      assert.match(queue.text, /href="\/support\/requests\/admin\/ratings">Ratings</);

      const empty = await other.as('admin').get('/admin/ratings?from=2020-01-01&to=2020-01-31');
      assert.equal(empty.status, 200);
      assert.match(empty.text, /No ratings in this period/);
      assert.match(empty.text, /value="2020-01-01"/);
      const wrong = await other.as('admin').get('/admin/ratings?from=2020-02-30&to=2020-01-01');
      assert.equal(wrong.status, 400);
      assert.match(wrong.text, /id="from-error" role="alert">Enter a date as YYYY-MM-DD/);
      const backwards = await other.as('admin').get('/admin/ratings?from=2020-02-02&to=2020-01-01');
      assert.match(backwards.text, /id="to-error" role="alert">The end of the period is before its start/);
      assert.equal((await other.as('tech').get('/admin/ratings')).status, 404, 'staff are not admins');
    } finally {
      await other.close();
    }
  });
});
