// Emergency escalation end to end, with a real SMTP server: the urgent request's e-mail carries a
// signed "I'm on it" link whose page asks first (a GET records nothing), its POST records who and
// when, and the customer's page says an engineer is on it. Without it, the department's steps are
// paged through the outbox (the second on-call list, then the admins), each once, even with two
// panel instances; acknowledging or answering stops the chain.
import assert from 'node:assert/strict';
import { forEachDatabase } from '../support/databases';
import { startPlugin, TestClock, type TestPlugin } from '../support/test-host';
import { answerAsStaff, createTicket } from '../support/tickets';
import { postForm } from '../support/forms';
import { SmtpSink, waitUntil } from '../support/smtp-sink';
import { waitForIdleOutbox } from '../support/outbox';
import { waitForJobs } from '../support/jobs';
import { assertRevealsNothing, snapshot, titleOf } from '../support/routes';

const MINUTE = 60_000;
const BASE = 'https://panel.example/support/requests';
const INBOUND = { address: 'support@panel.example', secret: 'escalation-test-secret-0123456789abcdefgh' };
const departments = {
  technical: { emails: ['tech@panel.example'] },
  emergency: {
    emails: ['emergency@panel.example'],
    onCall: ['oncall@panel.example'],
    escalation: [
      { afterMinutes: 10, to: ['second@panel.example'] },
      { afterMinutes: 20, to: 'admins' },
    ],
  },
};

const ticketRow = (t: TestPlugin, number: string) => t.knex(t.tables.tickets).where('number', number).first();

forEachDatabase('emergency escalation', (db) => {
  let sink: SmtpSink;
  let clock: TestClock;
  let t: TestPlugin;

  before(async () => {
    sink = await SmtpSink.started();
    clock = new TestClock();
    t = await startPlugin(
      db,
      {
        publicBaseUrl: 'https://panel.example',
        departments,
        escalation: { adminEmails: ['boss@panel.example'] },
        mail: sink.settings({ pollSeconds: 0.05, confirmToCustomer: false, inbound: INBOUND }),
      },
      { now: clock.now },
    );
  });
  after(async () => {
    await t.close();
    await sink.stop();
  });

  /** The mail to an address about a request. */
  const mailAbout = (address: string, number: string) => sink.to(address).filter((m) => m.parsed.subject?.includes(`#${number}]`));

  /** An urgent request of Ivan's and the "I'm on it" link (path and query) of its department e-mail. */
  async function urgentRequest(subject = 'Сервер лежит') {
    const number = await createTicket(t, t.as('ivan'), { subject, department: 'emergency' });
    await waitUntil(() => mailAbout('oncall@panel.example', number).length > 0, 10_000, 'the urgent e-mail');
    const mail = mailAbout('oncall@panel.example', number)[0]!;
    const link = new RegExp(`Беру в работу: ${BASE}(/${number}/acknowledge\\?sig=[0-9a-f]{16})`).exec(mail.parsed.text ?? '')?.[1];
    assert.ok(link, `the urgent e-mail carries the signed link: ${mail.parsed.text}`);
    assert.match(mail.parsed.html || '', new RegExp(`href="${BASE}/${number}/acknowledge\\?sig=[0-9a-f]{16}"`));
    return { number, link };
  }

  /** Moves the plugin's clock on and waits until every background job has run at the new time. */
  async function later(minutes: number, ...instances: TestPlugin[]) {
    // Mail in flight is sent first: a lease taken before the jump would look long expired after
    // it, and the other instance would send that e-mail again (time never jumps like that).
    await waitForIdleOutbox(t);
    clock.advance(minutes * MINUTE);
    for (const instance of [t, ...instances]) await waitForJobs(instance, clock.now);
    await waitForIdleOutbox(t);
  }

  it('the link opens a page that asks and records nothing; its POST records who and when, and the customer is told', async () => {
    const { number, link } = await urgentRequest();
    const technical = await createTicket(t, t.as('ivan'), { department: 'technical' });
    await waitForIdleOutbox(t);
    assert.doesNotMatch(mailAbout('tech@panel.example', technical)[0]?.parsed.text ?? '', /acknowledge/, 'only urgent mail carries it');

    const before = await snapshot(t);
    const pavel = t.as('pavel');
    const page = await pavel.get(link);
    assert.equal(page.status, 200);
    assert.equal(page.headers['cache-control'], 'no-store');
    assert.match(page.text, /Вы \(Дежурный Павел\) берёте в работу срочный запрос №/);
    // A mail scanner following it, twice.
    await pavel.get(link);
    assert.deepEqual(await snapshot(t), before, 'a GET records nothing');
    assert.equal((await ticketRow(t, number)).acknowledged_at, null);

    assert.equal((await postForm(pavel, `/${number}/acknowledge`, null)).status, 403, 'no CSRF token');
    assert.equal((await ticketRow(t, number)).acknowledged_at, null);
    const token = decodeURIComponent(/acknowledge\?_csrf=([^"&]+)/.exec(page.text)?.[1] ?? '');
    const res = await postForm(pavel, `/${number}/acknowledge`, token);
    assert.equal(res.status, 303);
    assert.equal(res.headers.location, `/support/requests/${number}#facts-title`);
    const row = await ticketRow(t, number);
    assert.equal(row.acknowledged_by_id, 's-pavel');
    assert.equal(row.acknowledged_by_name, 'Дежурный Павел');
    assert.ok(Math.abs(Number(row.acknowledged_at) - clock.now()) < 60_000);
    assert.equal(row.assignee_id, 's-pavel', 'the one on it is its assignee');

    const staffPage = await pavel.get(`/${number}`);
    assert.match(staffPage.text, /data-acknowledged>Дежурный Павел/);
    assert.match(staffPage.text, /взял\(а\) срочный запрос в работу/);
    assert.match((await t.as('ivan').get(`/${number}`)).text, /Инженер уже занимается вашим запросом\./);
    assert.doesNotMatch((await t.as('ivan').get(`/${technical}`)).text, /Инженер уже занимается/);
    // Opened again: it says who took it, and asks nothing.
    assert.match((await t.as('admin').get(link)).text, /Запрос уже в работе: Дежурный Павел|Дежурный Павел took this request/);
  });

  it('a tampered link is refused with a clean page; a customer or staff of another department reaches nothing', async () => {
    const { number, link } = await urgentRequest('Не открывается сайт');
    const other = await urgentRequest('Другая авария');
    const own = await createTicket(t, t.as('ivan'), { department: 'technical' });
    await waitForIdleOutbox(t);
    const before = await snapshot(t);
    const tampered = link.replace(/sig=([0-9a-f])/, (_m, c: string) => `sig=${c === '0' ? '1' : '0'}`);
    for (const url of [tampered, `/${number}/acknowledge`, `/${number}/acknowledge?sig=`, other.link.replace(other.number, number)]) {
      const res = await t.as('pavel').get(url);
      assert.equal(res.status, 400, url);
      assert.equal(titleOf(res), 'Ссылка не работает');
      assertRevealsNothing(t, res, url);
    }
    // The customer's own request: there is no such page for customers.
    assert.equal((await t.as('ivan').get(link)).status, 404);
    const ivan = await postForm(t.as('ivan'), `/${number}/acknowledge`, await t.as('ivan').csrf());
    assert.equal(ivan.status, 404);
    // Technical staff: as if the request did not exist.
    assert.equal((await t.as('tech').get(link)).status, 404);
    const tech = await postForm(t.as('tech'), `/${number}/acknowledge`, await t.as('tech').csrf(`/${own}`));
    assert.equal(tech.status, 404);
    assert.deepEqual(await snapshot(t), before);
    assert.equal((await ticketRow(t, number)).acknowledged_at, null);
    // The admin may, from the request's page.
    const adminPage = await t.as('admin').get(`/${number}`);
    assert.match(adminPage.text, /Nobody yet: the escalation is running/);
    const token = decodeURIComponent(/acknowledge\?_csrf=([^"&]+)/.exec(adminPage.text)?.[1] ?? '');
    assert.equal((await postForm(t.as('admin'), `/${number}/acknowledge`, token)).status, 303);
    assert.equal((await ticketRow(t, number)).acknowledged_by_id, 'a-root');
    // Acknowledge the other too: the chain test below counts its own requests only.
    const pavelToken = await t.as('pavel').csrf(`/${other.number}`);
    assert.equal((await postForm(t.as('pavel'), `/${other.number}/acknowledge`, pavelToken)).status, 303);
  });

  it('silence reaches the admins; acknowledged at step 1 stops it; an answer stops it; two instances page each step once', async () => {
    const second = await startPlugin(
      db,
      {
        publicBaseUrl: 'https://panel.example',
        departments,
        escalation: { adminEmails: ['boss@panel.example'] },
        mail: sink.settings({ pollSeconds: 0.05, confirmToCustomer: false, inbound: INBOUND }),
      },
      { instanceOf: t, now: clock.now },
    );
    try {
      const silent = await urgentRequest('Тишина');
      const acknowledged = await urgentRequest('Возьмут на первом шаге');
      const answered = await urgentRequest('Ответят');
      await waitForIdleOutbox(t);

      await later(9, second);
      assert.deepEqual(sink.to('second@panel.example'), [], 'nothing before 10 minutes');

      await later(1, second);
      for (const r of [silent, acknowledged, answered]) {
        assert.equal(mailAbout('second@panel.example', r.number).length, 1, `step 1 paged once for ${r.number}`);
      }
      const page = mailAbout('second@panel.example', acknowledged.number)[0]!;
      assert.match(page.parsed.subject ?? '', /^\[АВАРИЯ\] \[#\d{8}\] Никто не взял в работу за 10 мин: Возьмут на первом шаге$/);
      assert.match(page.rawHeaders, /^X-Priority: 1 \(Highest\)/m);
      // The engineer on the second list takes it from the page's own link.
      const link = new RegExp(`Беру в работу: ${BASE}(/\\d{8}/acknowledge\\?sig=[0-9a-f]{16})`).exec(page.parsed.text ?? '')?.[1];
      assert.equal(link, acknowledged.link, page.parsed.text);
      const confirm = await t.as('pavel').get(link!);
      const token = decodeURIComponent(/acknowledge\?_csrf=([^"&]+)/.exec(confirm.text)?.[1] ?? '');
      assert.equal((await postForm(t.as('pavel'), `/${acknowledged.number}/acknowledge`, token)).status, 303);
      await answerAsStaff(t, answered.number, 'pavel', 'Уже смотрим.');

      await later(10, second);
      assert.equal(mailAbout('boss@panel.example', silent.number).length, 1, 'silence reaches the admins');
      assert.deepEqual(mailAbout('boss@panel.example', acknowledged.number), [], 'acknowledged at step 1: the chain stopped');
      assert.deepEqual(mailAbout('boss@panel.example', answered.number), [], 'answered: the chain stopped');

      await later(30, second);
      for (const r of [silent, acknowledged, answered]) assert.equal(mailAbout('second@panel.example', r.number).length, 1);
      assert.equal(mailAbout('boss@panel.example', silent.number).length, 1, 'each step once');
      assert.deepEqual(sink.duplicates(), []);
      const history = (await t.as('admin').get(`/${silent.number}`)).text;
      assert.match(history, /Nobody took it in 10 min: escalation step 1 paged \(second@panel\.example\)/);
      assert.match(history, /Nobody took it in 20 min: escalation step 2 paged \(the admins\)/);
    } finally {
      await second.close();
    }
  });
});
