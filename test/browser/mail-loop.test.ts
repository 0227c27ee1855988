// Mail in, end to end through the demo panel in a real Chromium: a customer opens a request, the
// department answers it from the Mailbox's Reply (as its mail client would, to the demo's MX), the
// customer reads the answer on the request page and in their e-mail, replies to that e-mail the same
// way, and the Technical staff member finds the reply in the panel. Nothing here calls the plugin:
// every step is a click, and every wait is for something on a page. The pages on the way are saved at
// 1280 px and at a phone's 390 px, in Russian and English (test-output/screenshots/mail-loop-*.png).
import assert from 'node:assert/strict';
import type { Locator } from 'playwright-core';
import { startBrowserDemo, type BrowserDemo } from './harness';

const subject = `Письма не уходят ${Date.now()}`;
const question = 'С утра письма с сайта не доходят до клиентов, в журнале «connection timed out».';
const answerLine = 'Открыли порт 587 на вашем VPS, очередь писем разошлась.';
const followUpLine = 'Но часть писем попадает в спам — посмотрите, пожалуйста, SPF домена.';

describe('mail loop: a request answered and followed up by e-mail, in a real browser', function () {
  this.timeout(90_000);
  let b: BrowserDemo;
  let number = '';

  before(async () => {
    b = await startBrowserDemo();
  });
  after(() => b?.close());

  /** Reloads the page until `row` is on it (the outbox sends within a second or so); returns it. */
  async function untilListed(row: Locator, what: string, ms = 10_000): Promise<Locator> {
    const until = Date.now() + ms;
    while ((await row.count()) === 0) {
      if (Date.now() > until) throw new Error(`${what}: not in the Mailbox after ${ms} ms`);
      await b.page.reload();
    }
    return row.first();
  }

  /** The Mailbox's row of an e-mail to `to` whose subject has `words`. */
  function mailboxRow(to: string, words: string): Locator {
    return b.page.locator('table.mailbox tbody tr').filter({ hasText: to }).filter({ hasText: words });
  }

  /** The language the page is in, as its <html lang> says. */
  const pageLocale = async () => (await b.page.locator('html').getAttribute('lang')) as string;

  /**
   * Saves this page at 1280 px and at 390 px, in Russian and in English (the topbar's language
   * buttons reload it), then puts the language and the window back. At 390 px the page must not
   * scroll sideways. `thisLanguageOnly` for what a reload would take away (a notice shown once).
   */
  async function shoot(name: string, thisLanguageOnly = false): Promise<void> {
    const { page } = b;
    const was = await pageLocale();
    for (const locale of thisLanguageOnly ? [was] : ['ru', 'en']) {
      if ((await pageLocale()) !== locale) await switchLanguage(locale);
      for (const width of [1280, 390]) {
        await page.setViewportSize({ width, height: width > 500 ? 800 : 844 });
        await b.shot(`mail-loop-${name}-${locale}-${width}`);
        if (width < 500) {
          const [content, window] = (await page.evaluate(
            '[document.documentElement.scrollWidth, document.documentElement.clientWidth]',
          )) as number[];
          assert.ok((content as number) <= (window as number), `${name} (${locale}): ${content}px of content in a ${window}px phone`);
        }
      }
    }
    if ((await pageLocale()) !== was) await switchLanguage(was);
    await page.setViewportSize({ width: 1280, height: 720 });
  }

  async function switchLanguage(locale: string): Promise<void> {
    const url = b.page.url();
    await b.page.locator('header form[action="/language"]').getByRole('button', { name: locale.toUpperCase(), exact: true }).click();
    await b.page.waitForURL(url);
    await b.page.locator(`html[lang="${locale}"]`).waitFor();
  }

  /** On the Mailbox's Reply form: keeps the draft, puts `line` above its signature, sends; returns what was sent. */
  async function replyWith(line: string): Promise<string> {
    const text = b.page.getByLabel('Текст письма');
    const draft = await text.inputValue();
    assert.ok(draft.includes('\n-- \n'), `the draft has a signature:\n${draft}`);
    const sent = draft.replace('\n\n-- \n', `\n\n${line}\n\n-- \n`);
    await text.fill(sent);
    await b.page.getByRole('button', { name: 'Отправить', exact: true }).click();
    await b.page.waitForURL(`${b.base}/mailbox`);
    return sent;
  }

  /** The Mailbox's confirmation after a Reply: what went where, what the plugin did with it, a link to the request. */
  const confirmation = () => b.page.getByRole('status');
  const confirmed = () => confirmation().locator('p').allTextContents();

  it('1. the customer creates a request in the Technical department', async () => {
    const { page, base } = b;
    await b.signInAs('Войти: Иван Петров');
    await page.goto(`${base}/support/requests/new`);
    await b.submitTechnicalRequest(subject, question);
    number = /\/(\d+)\?created=1$/.exec(page.url())?.[1] ?? '';
    assert.ok(number, 'the request has a number');
  });

  it('2. the department’s e-mail arrives in the Mailbox; Reply answers it as the department', async () => {
    const { page, base, demo } = b;
    assert.ok(number, 'the request was created in the test before');
    await page.getByRole('navigation', { name: 'Меню' }).getByRole('link', { name: 'Почтовый ящик' }).click();
    await page.waitForURL(`${base}/mailbox`);
    const row = await untilListed(mailboxRow('tech@panel.example', `[#${number}]`), 'the department’s e-mail');
    assert.ok(await row.getByRole('link', { name: `Ответить на письмо «` }).isVisible(), 'the row has its Reply button');
    await shoot('1-mailbox');

    await row.getByRole('link', { name: new RegExp(`^\\[#${number}\\] `) }).click();
    await page.waitForURL(/\/mailbox\/\d+$/);
    const mail = demo.catcher?.get(Number(/\/(\d+)$/.exec(page.url())?.[1]));
    assert.ok(mail, 'the page is a caught e-mail');
    await page.getByRole('link', { name: 'Ответить', exact: true }).click();
    await page.waitForURL(/\/mailbox\/\d+\/reply$/);

    // It answers as the department, to the request's signed reply address (the e-mail's Reply-To).
    const headers = page.locator('dl.mailbox-headers');
    const replyTo = mail.addresses.replyTo[0]?.address;
    assert.ok(replyTo && replyTo !== 'tech@panel.example', `the department's e-mail has a reply address: ${replyTo}`);
    assert.equal(await headers.locator('dt:has-text("От") + dd').textContent(), 'Технический отдел <tech@panel.example>');
    assert.match((await headers.locator('dt:has-text("Кому") + dd').textContent()) ?? '', new RegExp(replyTo.replace(/[.+]/g, '\\$&')));
    const draft = await page.getByLabel('Текст письма').inputValue();
    assert.match(draft, /\n-- \nТехнический отдел\n/, 'signed by the department');
    assert.ok(draft.includes(`> ${question}`), 'the customer’s message is quoted');
    await shoot('2-reply-form');
    await b.picture('demo-mailbox-reply');

    await replyWith(answerLine);
    assert.deepEqual(await confirmed(), [
      `Ответ от tech@panel.example отправлен на ${replyTo}.`,
      `Плагин добавил его в запрос №${number}.`,
      `Открыть запрос №${number}`,
    ]);
    await shoot('3-reply-sent', true);
  });

  it('3. the customer sees the answer on the request page and has it by e-mail', async () => {
    const { page, base } = b;
    assert.ok(number, 'the request was answered in the test before');
    // The confirmation's link opens the request, as the customer (the one signed in) sees it.
    await confirmation()
      .getByRole('link', { name: `Открыть запрос №${number}` })
      .click();
    await page.waitForURL(`${base}/support/requests/${number}`);
    assert.equal(await page.locator('.support-meta .badge').textContent(), 'Есть ответ', 'the request is answered');
    const answer = page.locator('.support-thread li.author-staff');
    assert.equal(await answer.count(), 1, 'one answer from support');
    const shown = (await answer.locator('.support-message-body').textContent()) ?? '';
    assert.ok(shown.includes(answerLine), `the department’s own line is in the thread: ${shown}`);
    assert.ok(shown.startsWith('Здравствуйте!'), `the answer's text is there from its first line: ${shown}`);
    assert.ok(!shown.includes('пишет:') && !shown.includes(question), `the quoted request is cut off: ${shown}`);
    assert.ok(!/^-- $/m.test(shown), `the signature is cut off: ${shown}`);
    assert.match((await answer.locator('.support-message-head').textContent()) ?? '', /Поддержка: Технический отдел/);
    await shoot('4-customer-answered');

    // The outbox e-mails the answer to the customer.
    await page.goto(`${base}/mailbox`);
    const row = await untilListed(mailboxRow('ivan@example.ru', `[#${number}] Ответ на ваш запрос`), 'the answer e-mail to the customer');
    await row.getByRole('link', { name: new RegExp(`^\\[#${number}\\] `) }).click();
    await page.waitForURL(/\/mailbox\/\d+$/);
    assert.ok(((await page.locator('pre.mailbox-text').textContent()) ?? '').includes(answerLine), 'the e-mail carries the answer');
  });

  it('4. the customer replies to that e-mail from the Mailbox', async () => {
    const { page } = b;
    assert.match(page.url(), /\/mailbox\/\d+$/, 'the answer e-mail is open from the test before');
    await page.getByRole('link', { name: 'Ответить', exact: true }).click();
    await page.waitForURL(/\/mailbox\/\d+\/reply$/);
    assert.equal(await page.locator('dl.mailbox-headers dt:has-text("От") + dd').textContent(), 'Иван Петров <ivan@example.ru>');
    assert.match(await page.getByLabel('Текст письма').inputValue(), /\n-- \nИван Петров\n/, 'signed by the customer');
    await shoot('5-customer-reply-form');
    await replyWith(followUpLine);
    const said = await confirmed();
    assert.match(said[0] ?? '', /^Ответ от ivan@example\.ru отправлен на support\+/);
    assert.equal(said[1], `Плагин добавил его в запрос №${number}.`);
    await shoot('6-customer-reply-sent', true);
  });

  it('5. Technical sees the reply in the panel, waiting; the department got the follow-up e-mail', async () => {
    const { page, base } = b;
    assert.ok(number, 'the customer replied in the test before');
    await b.signInAs(/Tech: Sergey/);
    // The browser keeps the language last chosen on its top bar; Sergey reads the panel in English.
    if ((await pageLocale()) !== 'en') await switchLanguage('en');
    await page
      .getByRole('navigation', { name: 'Menu' })
      .getByRole('link', { name: /Requests/ })
      .click();
    await page.waitForURL(`${base}/support/requests`);
    const queued = page.locator('table tbody tr').filter({ hasText: subject });
    assert.equal(await queued.count(), 1, 'the request is in the queue');
    assert.equal(await queued.locator('.badge[class*="status-"]').textContent(), 'Awaiting our reply');

    await queued.getByRole('link', { name: subject }).click();
    await page.waitForURL(`${base}/support/requests/${number}`);
    assert.equal(await page.locator('.support-facts .badge[class*="status-"]').first().textContent(), 'Awaiting our reply');
    const messages = page.locator('.support-thread > li');
    assert.equal(await messages.count(), 3, 'the request, the answer and the reply');
    const reply = messages.nth(2);
    assert.match((await reply.getAttribute('class')) ?? '', /author-customer/, 'the last message is the customer’s');
    const shown = (await reply.locator('.support-message-body').textContent()) ?? '';
    assert.ok(shown.includes(followUpLine), `the customer’s own line is in the thread: ${shown}`);
    assert.ok(!shown.includes(answerLine), `the quoted answer is cut off: ${shown}`);
    await shoot('7-staff-ticket');
    await b.picture('staff-ticket-email');

    await page.goto(`${base}/mailbox`);
    await untilListed(mailboxRow('tech@panel.example', `[#${number}] Клиент ответил: ${subject}`), 'the follow-up e-mail to Technical');
  });
});
