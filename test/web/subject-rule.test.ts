// The subject rule through the create form: the real pairs refused and accepted, the warning
// about a copied subject that lets the customer send it as it is, and advice for the department.
import assert from 'node:assert/strict';
import { forEachDatabase } from '../support/databases';
import { departmentForm, keptFormOf, pendingCount, postForm, rowCount } from '../support/forms';
import { departmentId } from '../support/tickets';
import { filesUnder, startPlugin, type TestAgent, type TestPlugin } from '../support/test-host';
import { png } from '../support/samples';
import { acceptedPairs, refusedPairs, warnedPairs } from '../support/subject-pairs';

interface Sent {
  subject: string;
  message: string;
  /** A department code, or '' for none chosen. */
  department?: string;
  confirmed?: boolean;
  files?: Array<[Buffer, string]>;
  /** The form shown again: its key and kept files go with the next submit, as a browser sends them. */
  form?: ReturnType<typeof keptFormOf>;
}

/** The text of an element with this id, if the page has it. */
function textOf(html: string, id: string): string | undefined {
  return new RegExp(`id="${id}"[^>]*>([^<]*)<`).exec(html)?.[1];
}

const unescape = (html: string) =>
  html.replace(/&#34;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

forEachDatabase('the subject rule on the create form', (db) => {
  let t: TestPlugin;
  const tokens = new Map<TestAgent, string>();

  before(async () => {
    t = await startPlugin(db, { limits: { newTicketsPerHour: 0 } });
    const admin = t.as('admin');
    const added = await postForm(admin, '/admin/departments', await admin.csrf('/admin/departments/new'), departmentForm({ code: 'vip' }));
    assert.equal(added.status, 303, 'an admin adds a department of their own');
  });
  after(() => t.close());

  async function send(as: TestAgent, sent: Sent) {
    if (!tokens.has(as)) tokens.set(as, await as.csrf());
    const department = sent.department ?? 'technical';
    let req = as
      .post(`/?_csrf=${encodeURIComponent(tokens.get(as) as string)}`)
      .field('subject', sent.subject)
      .field('serviceId', '')
      .field('departmentId', department ? await departmentId(t, department) : '')
      .field('message', sent.message);
    if (sent.confirmed) req = req.field('subjectConfirmed', '1');
    // An emergency is confirmed here: this file is about the subject rule.
    if (department === 'emergency') req = req.field('emergencyConfirmed', '1');
    if (sent.form) req = req.field('submissionKey', sent.form.submissionKey);
    for (const token of sent.form?.pending ?? []) req = req.field('pending', token);
    for (const [content, name] of sent.files ?? []) req = req.attach('files', content, name);
    return req;
  }

  /** Tickets, and files on disk that are not kept for a form shown again. */
  async function stored() {
    return { tickets: await rowCount(t, t.tables.tickets), files: filesUnder(t.storageDir).length - (await pendingCount(t)) };
  }

  async function assertCameBack(res: Awaited<ReturnType<typeof send>>, sent: Sent, before: { tickets: number; files: number }) {
    assert.equal(res.status, 422, res.text.slice(0, 300));
    assert.equal(unescape(/id="subject"[^>]*value="([^"]*)"/.exec(res.text)?.[1] ?? ''), sent.subject, 'the subject is kept');
    assert.equal(
      unescape(/<textarea id="message"[^>]*>([^<]*)<\/textarea>/.exec(res.text)?.[1] ?? ''),
      sent.message,
      'the message is kept',
    );
    assert.deepEqual(await stored(), before, 'no ticket was created and no file stays on disk');
  }

  describe('refuses a message that adds nothing to the subject', () => {
    for (const pair of refusedPairs) {
      it(`«${pair.subject}» / «${pair.message}»`, async () => {
        const before = await stored();
        const res = await send(t.as('ivan'), pair);
        await assertCameBack(res, pair, before);
        assert.match(textOf(res.text, 'subject-error') ?? '', /^Сообщение только повторяет тему\./);
        assert.doesNotMatch(res.text, /name="subjectConfirmed"/, 'a refusal cannot be confirmed');
      });
    }
  });

  describe('accepts a message that says more than the subject', () => {
    for (const pair of acceptedPairs) {
      it(`«${pair.subject}» / «${pair.message}»`, async () => {
        const res = await send(t.as('ivan'), pair);
        assert.equal(res.status, 303, res.text.slice(0, 300));
        const number = /\/(\d{8})\?created=1$/.exec(String(res.headers.location))?.[1];
        const ticket = await t.knex(t.tables.tickets).where('number', number).first('subject');
        assert.equal(ticket?.subject, pair.subject);
      });
    }
  });

  describe('warns once about a long subject copied from the message, then sends it as it is', () => {
    for (const pair of warnedPairs) {
      it(`«${pair.subject}»`, async () => {
        const ivan = t.as('ivan');
        const before = await stored();
        const first = await send(ivan, { ...pair, files: [[png, 'screen.png']] });
        await assertCameBack(first, pair, before);
        assert.match(first.text, /role="alert">Проверьте тему перед отправкой\.</, 'the banner warns rather than calls it an error');
        assert.doesNotMatch(first.text, /Исправьте отмеченные поля|id="subject-error"/, 'nothing is called an error');
        assert.match(textOf(first.text, 'subject-warning') ?? '', /^Тема скопирована из текста сообщения\..*«VPS не отвечает по SSH»/);
        assert.match(
          first.text,
          /aria-describedby="subject-hint subject-limit subject-warning"/,
          'the warning is tied to the subject field',
        );
        assert.match(first.text, /<button class="btn" type="submit" name="subjectConfirmed" value="1">Отправить как есть<\/button>/);
        assert.match(first.text, /Убрать «screen\.png»/, 'the file is kept for the form');

        const second = await send(ivan, { ...pair, confirmed: true, form: keptFormOf(first.text) });
        assert.equal(second.status, 303, second.text.slice(0, 300));
        assert.equal(await rowCount(t, t.tables.tickets), before.tickets + 1);
        const number = /\/(\d{8})\?created=1$/.exec(String(second.headers.location))?.[1];
        const ticket = await t.knex(t.tables.tickets).where('number', number).first('id', 'subject');
        assert.equal(ticket?.subject, pair.subject);
        assert.equal(
          (await t.knex(t.tables.attachments).where('ticket_id', ticket.id)).length,
          1,
          'the file kept from the first try is attached',
        );
        assert.equal(await pendingCount(t), 0, 'and no longer waits');
      });
    }

    it('warns again when the subject is changed to another copied sentence, and not when it is shortened', async () => {
      const ivan = t.as('ivan');
      const pair = warnedPairs[0]!;
      assert.equal((await send(ivan, pair)).status, 422);
      assert.equal((await send(ivan, pair)).status, 422, 'the main button still warns: only "send as it is" confirms');
      assert.equal((await send(ivan, { ...pair, subject: 'VPS не отвечает после перезагрузки' })).status, 303);
    });

    it('still refuses a message that adds nothing, even when confirmed', async () => {
      const pair = refusedPairs[0]!;
      const before = await stored();
      await assertCameBack(await send(t.as('ivan'), { ...pair, confirmed: true }), pair, before);
    });
  });

  describe("advises with an example that fits the chosen department, in the customer's language", () => {
    const refused = refusedPairs[0]!;
    const warned = warnedPairs[0]!;
    const cases: Array<[string, string, RegExp, RegExp]> = [
      ['ivan', 'client_relations', /^Сообщение только повторяет тему\..*«Не прошёл платёж картой»\.$/, /«Не прошёл платёж картой»/],
      ['ivan', 'technical', /^Сообщение только повторяет тему\..*«VPS не отвечает по SSH»\.$/, /«VPS не отвечает по SSH»/],
      ['ivan', 'emergency', /^Сообщение только повторяет тему\..*«Сервер недоступен, сайт лежит»\.$/, /«Сервер недоступен, сайт лежит»/],
      [
        'ivan',
        'vip',
        /^Сообщение только повторяет тему\. [^«]*о сути\.$/,
        /^Тема скопирована из текста сообщения\. Короткая тема в несколько слов [^«]*$/,
      ],
      [
        'ivan',
        '',
        /^Сообщение только повторяет тему\. [^«]*о сути\.$/,
        /^Тема скопирована из текста сообщения\. Короткая тема в несколько слов [^«]*$/,
      ],
      ['alice', 'client_relations', /^The message only repeats the subject\..*“Card payment failed”\.$/, /“Card payment failed”/],
      ['alice', 'technical', /^The message only repeats the subject\..*“VPS not reachable over SSH”\.$/, /“VPS not reachable over SSH”/],
      ['alice', 'emergency', /^The message only repeats the subject\..*“Server down, site offline”\.$/, /“Server down, site offline”/],
      [
        'alice',
        'vip',
        /^The message only repeats the subject\. [^“]*for the subject\.$/,
        /^The subject is copied from the message\. A short subject of a few words [^“]*$/,
      ],
      [
        'alice',
        '',
        /^The message only repeats the subject\. [^“]*for the subject\.$/,
        /^The subject is copied from the message\. A short subject of a few words [^“]*$/,
      ],
    ];
    for (const [who, department, refusal, warning] of cases) {
      it(`${who}, ${department || 'no department chosen'}`, async () => {
        const as = t.as(who);
        const refusedPage = await send(as, { ...refused, department });
        assert.equal(refusedPage.status, 422);
        assert.match(unescape(textOf(refusedPage.text, 'subject-error') ?? ''), refusal);
        const warnedPage = await send(as, { ...warned, department });
        assert.equal(warnedPage.status, 422);
        assert.match(unescape(textOf(warnedPage.text, 'subject-warning') ?? ''), warning);
        if (!department) assert.ok(textOf(warnedPage.text, 'departmentId-error'), 'the missing department is an error of its own');
      });
    }
  });
});
