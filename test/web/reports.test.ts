// The admin's Reports page on every database: the figures of a morning's requests as the page,
// its charts and its CSV show them; "Count again" needs the CSRF token; a wrong period or
// department is a clear 400; only admins see any of it.
import assert from 'node:assert/strict';
import { forEachDatabase } from '../support/databases';
import { startPlugin, TestClock, type TestPlugin } from '../support/test-host';
import { answerAsStaff as answer, createTicket } from '../support/tickets';
import { postForm } from '../support/forms';
import { assertRevealsNothing, snapshot } from '../support/routes';
import { waitForJobs } from '../support/jobs';
import { createStore } from '../../src/store';
import { reports } from '../../src/domain/reports';

const MINUTE = 60_000;

/** The value of a summary figure on the page: `<div data-figure="opened"><dt>…</dt><dd>3</dd>`. */
const figure = (html: string, name: string) =>
  (new RegExp(`data-figure="${name}"><dt>[^<]*</dt><dd>([\\s\\S]*?)</dd>`).exec(html)?.[1] ?? '').replace(/<[^>]+>/g, '').trim();

forEachDatabase('reports', (db) => {
  let t: TestPlugin;
  const clock = new TestClock();

  before(async () => {
    // The morning starts at 08:00 UTC today, so all of it falls on one day whenever the test runs.
    const now = new Date(clock.now());
    clock.advance(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), 8) - clock.now());
    t = await startPlugin(
      db,
      { timeZone: 'UTC', departments: { technical: { emails: ['tech@panel.example'], responseMinutes: 60 } } },
      { now: clock.now },
    );
  });
  after(() => t.close());

  /** Counts the period again, as the page's button does. */
  async function recount(query = '') {
    const admin = t.as('admin');
    const token = await admin.csrf('/admin/reports');
    return postForm(admin, `/admin/reports/recount${query ? `?${query}` : ''}`, token, {});
  }

  it("counts a morning's requests: openings, first answers in and out of time, a resolution, the open backlog", async () => {
    const [fast, slow, waiting] = [
      await createTicket(t, t.as('ivan'), { subject: 'Не открывается сайт' }),
      await createTicket(t, t.as('ivan'), { subject: 'Не работает почта' }),
      await createTicket(t, t.as('ivan'), { subject: 'Медленный диск' }),
    ];
    clock.advance(10 * MINUTE);
    await answer(t, fast);
    clock.advance(80 * MINUTE);
    await answer(t, slow);
    const admin = t.as('admin');
    const status = await postForm(admin, `/${fast}/status`, await admin.csrf(`/${fast}`), { open: '0' });
    assert.equal(status.status, 303);

    // The job summed today when the plugin started; the page shows that until it is counted again.
    const before = await admin.get('/admin/reports');
    assert.equal(before.status, 200);
    assert.match(before.text, /Figures as of/);
    assert.equal((await recount()).status, 303);
    const page = await admin.get('/admin/reports?recounted=1');
    assert.match(page.text, /role="status">The period(&#39;|')s figures were counted again/);
    assert.equal(figure(page.text, 'opened'), '3');
    // 10 and 90 minutes: the median is the first by the nearest rank, the 90th percentile the second.
    assert.equal(figure(page.text, 'first'), '10 min · 90%: 1 h 30 min');
    assert.equal(figure(page.text, 'first-within'), '50% (1 of 2)');
    assert.equal(figure(page.text, 'resolution'), '10 min · 90%: 10 min', 'the customer had the last 80 minutes');
    assert.equal(figure(page.text, 'resolution-within'), '—', 'the department promises no resolution time');
    assert.equal(figure(page.text, 'open'), `2 · 1 overdue`, `${slow} answered, ${waiting} waits past its hour`);
    assert.match(page.text, /<tr data-staff="s-tech">[\s\S]*?data-count="first">2</);
    assert.match(page.text, /<tr data-department="technical">[\s\S]*?data-count="opened">3</);

    // Charts drawn on the server, named for screen readers, each with its table.
    for (const id of ['chart-volume', 'chart-first', 'chart-backlog'])
      assert.match(page.text, new RegExp(`<svg viewBox="0 0 720 220" role="img" aria-labelledby="${id}-title ${id}-desc"`));
    assert.match(page.text, /<rect [^>]+><title>[^<]+: 3<\/title><\/rect>/, 'a bar of 3 openings');
    assert.doesNotMatch(page.text, /<script(?![^>]*\bsrc=)/, 'no inline script: the charts need none');

    // The same figures as CSV.
    const csv = await admin.get('/admin/reports/days.csv');
    assert.equal(csv.status, 200);
    assert.match(String(csv.headers['content-type']), /^text\/csv; charset=utf-8/);
    assert.match(
      String(csv.headers['content-disposition']),
      /^attachment; filename="support-days-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    const lines = csv.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    assert.ok(
      lines[0]?.startsWith('Day,Opened,Went to the wrong department first,First responses,"First response, median (working minutes)",'),
      lines[0],
    );
    assert.equal(lines.length, 31, 'a header and the last 30 days');
    assert.equal(lines.at(-1), `${new Date(clock.now()).toISOString().slice(0, 10)},3,0,2,10,90,0.5,1,10,10,,0,0`);
    const staff = await admin.get('/admin/reports/staff.csv');
    assert.match(staff.text, /\r\nTech Sergey,s-tech,,,2,10,90,0\.5,0,,,,0,0\r\n/);
  });

  it('asks nothing of staff and customers: every reports route is not found for them', async () => {
    for (const who of ['tech', 'ivan']) {
      for (const path of ['/admin/reports', '/admin/reports/days.csv', '/admin/reports/staff.csv']) {
        const res = await t.as(who).get(path);
        assert.equal(res.status, 404, `${who} GET ${path}`);
        assert.doesNotMatch(res.text, /Opened|Открыто/);
      }
      const res = await t.as(who).post('/admin/reports/recount');
      assert.ok([403, 404].includes(res.status), `${who} POST recount: ${res.status}`);
    }
  });

  it('counting again needs the CSRF token: without it nothing is counted', async () => {
    const day = new Date(clock.now()).toISOString().slice(0, 10);
    const built = () => t.knex(t.tables.reportBuilt).where('day', day).first('built_at');
    const stamp = await built();
    clock.advance(MINUTE);
    const forged = await postForm(t.as('admin'), '/admin/reports/recount', 'forged', {});
    assert.equal(forged.status, 403);
    assert.deepEqual(await built(), stamp);
    assert.equal((await recount()).status, 303);
    assert.notDeepEqual(await built(), stamp);
  });

  it('two instances summing the same days at once: one sum stands, neither fails', async () => {
    // Two stores on pools of their own, as two instances of the panel have.
    const stores = [createStore(t.knex, t.tables), createStore(t.knex, t.tables)];
    const [a, b] = stores.map((store) => reports({ store, timeZone: 'UTC', now: clock.now }));
    const day = new Date(clock.now()).toISOString().slice(0, 10);
    for (let round = 0; round < 10; round++) await Promise.all([a!.recount(day, day), b!.recount(day, day)]);
    const rows = await t.knex(t.tables.reportDays).where({ day, staff_id: '' }).select('department_id', 'opened');
    assert.deepEqual(
      rows.map((r) => Number(r.opened)),
      [3],
      'one row for the technical department, with its three requests',
    );
  });

  it('a wrong period or department is a 400 with the reason next to its field, and changes nothing', async () => {
    const admin = t.as('admin');
    // The moved clock made the background jobs due (the waiting request's service-level warning
    // among them): let them run first, so what the snapshot compares is this test's doing alone.
    await waitForJobs(t, clock.now);
    const before = await snapshot(t);
    const cases: Array<[string, string, RegExp]> = [
      ['from=2026-02-30', 'from', /Enter a date as YYYY-MM-DD/],
      ['from=2026-03-02&to=2026-03-01', 'to', /The end of the period is before its start/],
      ['from=2020-01-01&to=2026-01-01', 'to', /A report covers at most 366 days/],
      ['department=999999', 'department', /Choose a department from the list/],
      ['department=abc', 'department', /Choose a department from the list/],
    ];
    for (const [query, field, message] of cases) {
      const res = await admin.get(`/admin/reports?${query}`);
      assert.equal(res.status, 400, query);
      assert.match(res.text, new RegExp(`id="${field}-error" role="alert">${message.source}`), query);
      assertRevealsNothing(t, res, query);
      const csv = await admin.get(`/admin/reports/days.csv?${query}`);
      assert.equal(csv.status, 400, `csv ${query}`);
      assert.match(csv.text, message);
      assertRevealsNothing(t, csv, `csv ${query}`);
    }
    assert.equal((await recount('from=2026-02-30')).status, 400);
    assert.deepEqual(await snapshot(t), before);
  });
});
