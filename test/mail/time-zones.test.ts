// Times are shown on the reader's clock: a customer's e-mail and pages in the zone the host gives
// for them, a department's e-mail and users without a zone in settings.timeZone; never bare UTC.
import assert from 'node:assert/strict';
import { forEachDatabase } from '../support/databases';
import { startPlugin, TestClock, type TestPlugin } from '../support/test-host';
import { createTicket } from '../support/tickets';
import { replyForm as staffReplyForm } from '../support/tickets';
import { SmtpSink } from '../support/smtp-sink';

// 2026-11-26 06:30 UTC: 11:30 in Yekaterinburg (UTC+5), 01:30 in New York (UTC-5).
const AT = Date.UTC(2026, 10, 26, 6, 30);

forEachDatabase('times in e-mail and pages', (db) => {
  let sink: SmtpSink;
  let t: TestPlugin;
  let clock: TestClock;

  beforeEach(async () => {
    sink = await SmtpSink.started();
    clock = new TestClock();
    clock.advance(AT - Date.now());
    t = await startPlugin(
      db,
      {
        timeZone: 'Asia/Yekaterinburg',
        departments: { technical: { emails: ['tech@panel.example'], locale: 'ru' } },
        mail: sink.settings({ pollSeconds: 0.1, confirmToCustomer: false }),
      },
      { now: clock.now },
    );
  });
  afterEach(async () => {
    await t.close();
    await sink.stop();
  });

  it("shows the earlier messages in a department's e-mail in settings.timeZone, with its name", async () => {
    const ivan = t.as('ivan');
    const number = await createTicket(t, ivan, { subject: 'Диск заполнен', department: 'technical', message: 'Первое сообщение' });
    await sink.waitFor(1);
    const token = await ivan.csrf();
    await ivan
      .post(`/${number}/reply?_csrf=${encodeURIComponent(token)}`)
      .field('message', 'Второе сообщение')
      .expect(303);
    await sink.waitFor(2);
    const text = sink.to('tech@panel.example')[1]?.parsed.text ?? '';
    assert.match(text, /Иван Петров \(клиент\), 26 нояб\. 2026 г\., 11:30 GMT\+5:/);
    assert.doesNotMatch(text, /UTC/);
  });

  it("dates a staff answer in the customer's own zone, and the customer's pages too", async () => {
    const alice = t.as('alice');
    const number = await createTicket(t, alice, {
      subject: 'Disk full',
      department: 'technical',
      message: 'Since this morning the server reports no free space on /var, and the site is slow.',
    });
    await sink.waitFor(1);
    const tech = t.as('tech');
    const form = await staffReplyForm(tech, number);
    await tech
      .post(`/${number}/reply?_csrf=${encodeURIComponent(form.token)}`)
      .field('lastSeenId', form.lastSeenId)
      .field('submissionKey', form.submissionKey)
      .field('message', 'We have cleaned the logs.')
      .expect(303);
    await sink.waitFor(2);
    const mail = sink.to('alice@example.com')[0]?.parsed.text ?? '';
    assert.match(mail, /on 26 Nov 2026, 01:30 GMT-5:/);

    const page = await alice.get(`/${number}`);
    assert.match(page.text, /26 Nov 2026, 01:30/);
    // Ivan has no zone of his own: the setting's.
    const staffPage = await tech.get(`/${number}`);
    assert.match(staffPage.text, /26 нояб\. 2026 г\., 11:30|26 Nov 2026, 11:30/);
  });
});
