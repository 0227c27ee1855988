// Every form that sends mail carries a one-time key: the same submission sent 20 times at once
// (a double click, a browser resending) makes one change and one e-mail, and every copy is
// answered as if it were the first, with the same redirect.
import assert from 'node:assert/strict';
import type { Response } from 'supertest';
import { forEachDatabase } from '../support/databases';
import { filesUnder, startPlugin, type TestAgent, type TestPlugin } from '../support/test-host';
import { createTicket, departmentId } from '../support/tickets';
import { rowCount } from '../support/forms';
import { SmtpSink, waitUntil } from '../support/smtp-sink';
import { runConcurrently } from '../support/concurrency';
import { log } from '../support/samples';

const COPIES = 20;

const departments = {
  client_relations: { emails: ['clients@panel.example'] },
  technical: { emails: ['tech@panel.example'] },
  emergency: { emails: ['duty@panel.example'] },
};

interface RenderedForm {
  token: string;
  key: string;
}

/** The CSRF token and submission key of the form posting to `action`, as a browser would send them back. */
async function formOn(agent: TestAgent, page: string, action: string): Promise<RenderedForm> {
  const res = await agent.get(page);
  assert.equal(res.status, 200, res.text.slice(0, 300));
  const start = res.text.indexOf(`${action}?_csrf=`);
  assert.ok(start >= 0, `a form posting to ${action} on ${page}`);
  const form = res.text.slice(start, res.text.indexOf('</form>', start));
  const token = /\?_csrf=([^"&]+)"/.exec(form)?.[1];
  const key = /name="submissionKey" value="([^"]+)"/.exec(form)?.[1];
  assert.ok(token && key, `token and submission key in the form posting to ${action}`);
  return { token: decodeURIComponent(token), key };
}

/** All copies answered the same redirect; returns it. */
function sameRedirect(answers: Response[]): string {
  assert.deepEqual(
    new Set(answers.map((r) => r.status)),
    new Set([303]),
    answers.map((r) => `${r.status} ${r.text.slice(0, 200)}`).join('\n'),
  );
  const places = new Set(answers.map((r) => String(r.headers.location)));
  assert.equal(places.size, 1, `one place to go back to: ${[...places].join(', ')}`);
  return [...places][0] as string;
}

forEachDatabase('a mail-sending form submitted 20 times at once', (db) => {
  let sink: SmtpSink;
  let t: TestPlugin;

  beforeEach(async () => {
    sink = await SmtpSink.started();
    t = await startPlugin(db, {
      departments,
      limits: { newTicketsPerHour: 0 },
      mail: sink.settings({ pollSeconds: 0.05, confirmToCustomer: false }),
    });
  });
  afterEach(async () => {
    await t.close();
    await sink.stop();
  });

  /** Every queued e-mail has been handed to the SMTP server (or failed): nothing more will arrive. */
  async function mailSettled(): Promise<void> {
    await waitUntil(
      async () => Number((await t.knex(t.tables.outbox).whereIn('status', ['pending', 'sending']).count({ n: '*' }))[0]?.n) === 0,
      10_000,
      'the outbox to be idle',
    );
  }

  async function outboxRows(kind: string): Promise<number> {
    return Number((await t.knex(t.tables.outbox).where('kind', kind).count({ n: '*' }))[0]?.n);
  }

  it('creates one request, keeps one file and e-mails the department once', async () => {
    const ivan = t.as('ivan');
    const form = await formOn(ivan, '/new', '/support/requests/');
    const technical = await departmentId(t, 'technical');
    const answers = await runConcurrently(COPIES, COPIES, () =>
      ivan
        .post(`/?_csrf=${encodeURIComponent(form.token)}`)
        .field('submissionKey', form.key)
        .field('subject', 'Сайт не открывается')
        .field('departmentId', technical)
        .field('message', 'С утра сайт отдаёт 502.')
        .attach('files', log, 'nginx.log'),
    );
    assert.match(sameRedirect(answers), /\/\d{8}\?created=1$/);
    assert.equal(await rowCount(t, t.tables.tickets), 1);
    assert.equal(await rowCount(t, t.tables.messages), 1);
    assert.equal(await rowCount(t, t.tables.attachments), 1);
    assert.equal(filesUnder(t.storageDir).length, 1, "the copies' files are removed");
    await mailSettled();
    assert.equal(sink.to('tech@panel.example').length, 1);
  });

  it('adds one customer reply and e-mails the department once', async () => {
    const ivan = t.as('ivan');
    const number = await createTicket(t, ivan);
    await sink.waitFor(1);
    const form = await formOn(ivan, `/${number}`, `/${number}/reply`);
    const answers = await runConcurrently(COPIES, COPIES, () =>
      ivan
        .post(`/${number}/reply?_csrf=${encodeURIComponent(form.token)}`)
        .field('submissionKey', form.key)
        .field('message', 'Добавлю: SSH тоже не отвечает.')
        .attach('files', log, 'ssh.log'),
    );
    assert.match(sameRedirect(answers), new RegExp(`/${number}\\?replied=1#m\\d+$`));
    assert.equal(await rowCount(t, t.tables.messages), 2);
    assert.equal(filesUnder(t.storageDir).length, 1);
    await mailSettled();
    assert.equal(await outboxRows('department-reply'), 1);
    assert.equal(sink.to('tech@panel.example').length, 2, 'the new request and one reply');
  });

  it('adds one staff answer and e-mails the customer once', async () => {
    const number = await createTicket(t, t.as('ivan'));
    const tech = t.as('tech');
    const form = await formOn(tech, `/${number}`, `/${number}/reply`);
    const lastSeenId = String((await t.knex(t.tables.messages).max({ id: 'id' }))[0]?.id);
    const answers = await runConcurrently(COPIES, COPIES, () =>
      tech
        .post(`/${number}/reply?_csrf=${encodeURIComponent(form.token)}`)
        .field('lastSeenId', lastSeenId)
        .field('submissionKey', form.key)
        .field('message', 'Перезагрузили сервер, проверьте.'),
    );
    sameRedirect(answers);
    assert.equal(Number((await t.knex(t.tables.messages).where('author_kind', 'staff').count({ n: '*' }))[0]?.n), 1);
    await mailSettled();
    assert.equal(sink.to('ivan@example.ru').length, 1);
  });

  it('adds one internal note', async () => {
    const number = await createTicket(t, t.as('ivan'));
    const tech = t.as('tech');
    const form = await formOn(tech, `/${number}`, `/${number}/note`);
    const answers = await runConcurrently(COPIES, COPIES, () =>
      tech
        .post(`/${number}/note?_csrf=${encodeURIComponent(form.token)}`)
        .field('submissionKey', form.key)
        .field('note', 'Клиент на старом тарифе.'),
    );
    sameRedirect(answers);
    assert.equal(Number((await t.knex(t.tables.messages).where('internal', 1).count({ n: '*' }))[0]?.n), 1);
    assert.equal(Number((await t.knex(t.tables.events).where('action', 'note').count({ n: '*' }))[0]?.n), 1);
  });

  it('transfers once, audits once and e-mails the new department once, though the ticket left the sender’s reach', async () => {
    const number = await createTicket(t, t.as('ivan'));
    const tech = t.as('tech');
    const form = await formOn(tech, `/${number}`, `/${number}/transfer`);
    const target = await departmentId(t, 'client_relations');
    const answers = await runConcurrently(COPIES, COPIES, () =>
      tech
        .post(`/${number}/transfer?_csrf=${encodeURIComponent(form.token)}`)
        .type('form')
        .send({ submissionKey: form.key, departmentId: target, reason: 'Вопрос об оплате' }),
    );
    assert.match(sameRedirect(answers), new RegExp(`\\?transferred=${number}$`));
    assert.equal(Number((await t.knex(t.tables.events).where('action', 'department').count({ n: '*' }))[0]?.n), 1);
    await mailSettled();
    assert.equal(await outboxRows('department-transfer'), 1);
    assert.equal(sink.to('clients@panel.example').length, 1);
  });

  it("an admin's Retry of a failed e-mail queues it once", async () => {
    sink.refusals.push(550);
    await createTicket(t, t.as('ivan'));
    await waitUntil(
      async () => (await t.knex(t.tables.outbox).where('status', 'failed').first('id')) !== undefined,
      10_000,
      'the refused e-mail to fail',
    );
    const row = await t.knex(t.tables.outbox).where('status', 'failed').first('id');
    const admin = t.as('admin');
    const form = await formOn(admin, '/admin/mail', `/admin/mail/${row.id}/retry`);
    const answers = await runConcurrently(COPIES, COPIES, () =>
      admin
        .post(`/admin/mail/${row.id}/retry?_csrf=${encodeURIComponent(form.token)}`)
        .type('form')
        .send({ submissionKey: form.key }),
    );
    assert.match(sameRedirect(answers), /\/admin\/mail\?retried=1$/);
    await mailSettled();
    assert.equal(sink.to('tech@panel.example').length, 1);
    // A new form (another click later) is a new retry, refused now that the e-mail went out.
    assert.equal(
      (
        await admin
          .post(`/admin/mail/${row.id}/retry?_csrf=${encodeURIComponent(form.token)}`)
          .type('form')
          .send({ submissionKey: 'another-click' })
      ).status,
      404,
    );
  });
});
