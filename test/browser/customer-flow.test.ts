// A customer's whole path in a real Chromium (Debian's, driven by playwright-core) against the
// demo panel on a real port: sign in, Support → Requests, create with two files, see it, download
// a file; the other customer gets 404; the department's e-mail is in the demo Mailbox.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import nodemailer from 'nodemailer';
import type { Page } from 'playwright-core';
import type { DemoApp } from '../../demo/app';
import { png } from '../support/samples';
import { startBrowserDemo, type BrowserDemo } from './harness';

const notes = Buffer.from('uptime: 0 days\nnginx: 502 Bad Gateway\n');
const subject = `Браузерный тест ${Date.now()}`;

/** Reloads the Mailbox until a row links to an e-mail with `text` in it; returns that link. */
async function mailboxLink(page: Page, text: string, ms = 5000) {
  const until = Date.now() + ms;
  for (;;) {
    const link = page.locator('table.mailbox a', { hasText: text });
    if ((await link.count()) > 0) return link.first();
    if (Date.now() > until) throw new Error(`no e-mail with "${text}" in the Mailbox after ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await page.reload();
  }
}

describe('customer flow in a real browser', function () {
  this.timeout(60_000);
  let browserDemo: BrowserDemo;
  let demo: DemoApp;
  let page: Page;
  let base: string;
  let ticketUrl = '';
  let ticketNumber = '';

  before(async () => {
    browserDemo = await startBrowserDemo();
    ({ demo, page, base } = browserDemo);
  });

  after(() => browserDemo?.close());

  it('signs in, creates a request with two files from the menu, finds it and downloads a file', async () => {
    await page.goto(`${base}/login`);
    await page.getByRole('button', { name: 'Войти: Иван Петров' }).click();
    await page.waitForURL(`${base}/services`);

    const menu = page.getByRole('navigation', { name: 'Меню' });
    assert.ok(await menu.getByRole('heading', { name: 'Поддержка' }).isVisible(), 'the menu has a Support section');
    await menu.getByRole('link', { name: 'Запросы', exact: true }).click();
    await page.waitForURL(`${base}/support/requests`);
    await page.getByRole('link', { name: 'Создать', exact: true }).click();
    await page.waitForURL(`${base}/support/requests/new`);

    await page.getByLabel('Тема').fill(subject);
    const service = await page.locator('#serviceId option', { hasText: 'VPS Cloud-2 (Москва)' }).getAttribute('value');
    assert.ok(service, 'Ivan’s VPS is offered');
    await page.getByLabel('Услуга').selectOption(service);
    await page.getByLabel('Технический отдел', { exact: true }).check();
    await page.getByLabel('Сообщение').fill('Сайт на VPS отдаёт 502 с утра. Скриншот и заметки приложены.');
    await page.getByLabel('Файлы').setInputFiles([
      { name: 'screen.png', mimeType: 'image/png', buffer: png },
      { name: 'notes.txt', mimeType: 'text/plain', buffer: notes },
    ]);
    await page.getByRole('button', { name: 'Создать запрос' }).click();
    await page.waitForURL(/\/support\/requests\/\d+\?created=1$/);
    ticketNumber = /\/(\d+)\?created=1$/.exec(page.url())?.[1] ?? '';
    ticketUrl = `${base}/support/requests/${ticketNumber}`;

    // The list shows it; open it from there.
    await menu.getByRole('link', { name: 'Запросы', exact: true }).click();
    await page.waitForURL(`${base}/support/requests`);
    const row = page.locator('table.list tr', { hasText: subject });
    assert.equal(await row.count(), 1, 'the new request is in the list');
    assert.ok((await row.textContent())?.includes(ticketNumber));
    await row.getByRole('link', { name: subject }).click();
    await page.waitForURL(ticketUrl);

    const files = page.getByRole('list', { name: 'Файлы' });
    assert.deepEqual(await files.getByRole('link').allTextContents(), ['screen.png', 'notes.txt']);
    const [download] = await Promise.all([page.waitForEvent('download'), files.getByRole('link', { name: 'screen.png' }).click()]);
    assert.equal(download.suggestedFilename(), 'screen.png');
    assert.deepEqual(fs.readFileSync(await download.path()), png);
    await browserDemo.shot('customer-ticket');
  });

  it('counts the subject without cutting it, lists the chosen files in the page’s language', async () => {
    await page.goto(`${base}/support/requests/new`);
    const counter = page.locator('#subject-limit');
    await page.getByLabel('Тема').fill('Сайт не открывается');
    assert.equal(await counter.textContent(), '19 из 120');
    assert.equal(await page.locator('#subject-live').textContent(), '', 'the live region keeps quiet while there is room');
    await page.getByLabel('Тема').fill('Я'.repeat(125));
    assert.equal(await page.getByLabel('Тема').inputValue(), 'Я'.repeat(125), 'typing goes on past the limit');
    assert.equal(await counter.textContent(), 'Тема длиннее 120 символов, лишних: 5.');
    assert.equal(
      await page.locator('#subject-live').textContent(),
      'Тема длиннее 120 символов, лишних: 5.',
      'said once, when it goes over',
    );
    await page.getByLabel('Файлы').setInputFiles([
      { name: 'screen.png', mimeType: 'image/png', buffer: png },
      { name: 'notes.txt', mimeType: 'text/plain', buffer: notes },
    ]);
    assert.equal(await page.locator('#files-chosen').textContent(), 'Выбрано: screen.png, notes.txt');
    await browserDemo.shot('customer-form-counter');
  });

  it('explains an emergency as soon as it is chosen, asks once without the checkbox, keeps the file, and reassures', async () => {
    await page.goto(`${base}/support/requests/new`);
    const note = page.locator('#emergency-confirm');
    assert.equal(await note.isVisible(), false, 'hidden until an urgent department is chosen');
    await page.getByLabel('Аварийная служба', { exact: true }).check();
    assert.equal(await note.isVisible(), true);
    assert.match((await note.textContent()) ?? '', /сервер или сайт не работает[\s\S]*пропали или повреждены данные[\s\S]*идёт атака/);
    await page.getByLabel('Технический отдел', { exact: true }).check();
    assert.equal(await note.isVisible(), false, 'hidden again for another department');

    // Sent without the checkbox: the form comes back with the question, the file kept.
    await page.getByLabel('Аварийная служба', { exact: true }).check();
    await page.getByLabel('Тема').fill('Сервер недоступен');
    await page.getByLabel('Сообщение').fill('С 09:40 VPS не отвечает ни по SSH, ни по HTTP.');
    await page.getByLabel('Файлы').setInputFiles([{ name: 'ping.png', mimeType: 'image/png', buffer: png }]);
    await page.getByRole('button', { name: 'Создать запрос' }).click();
    await page.getByRole('button', { name: 'Да, это авария — отправить' }).waitFor();
    assert.ok(await page.getByText('Убрать «ping.png»').isVisible(), 'the file is kept');
    assert.equal(await page.getByLabel('Тема').inputValue(), 'Сервер недоступен');
    await browserDemo.shot('customer-emergency-confirm');
    await page.getByRole('button', { name: 'Да, это авария — отправить' }).click();
    await page.waitForURL(/\/support\/requests\/\d+\?created=1$/);
    assert.match(
      (await page.getByRole('status').textContent()) ?? '',
      /Дежурный инженер уже получил оповещение\. Обычно отвечаем в течение 30 минут\./,
    );
    assert.deepEqual(await page.getByRole('list', { name: 'Файлы' }).getByRole('link').allTextContents(), ['ping.png']);

    // With the checkbox the form goes at once.
    await page.goto(`${base}/support/requests/new`);
    await page.getByLabel('Аварийная служба', { exact: true }).check();
    await page.getByLabel('Да, это авария', { exact: true }).check();
    await page.getByLabel('Тема').fill('Сайт взломан');
    await page.getByLabel('Сообщение').fill('На главной чужой баннер с 10:15.');
    await page.getByRole('button', { name: 'Создать запрос' }).click();
    await page.waitForURL(/\/support\/requests\/\d+\?created=1$/);
  });

  it('shows a staff answer as new: a menu badge, a bold row that says so, who replied and when; opening it clears both', async () => {
    assert.ok(ticketNumber, 'the request was created in the test before');
    await browserDemo.signInAs(/Tech: Sergey/);
    await page.goto(ticketUrl);
    await page.getByLabel('Answer', { exact: true }).fill('Restarted nginx, please check the site.');
    await page.getByRole('button', { name: 'Send the answer' }).click();
    await page.waitForURL(`${ticketUrl}#reply`);

    await browserDemo.signInAs('Войти: Иван Петров');
    const menu = page.getByRole('navigation', { name: 'Меню' });
    const requests = menu.getByRole('link', { name: /^Запросы 1 ?: Запросы с новым ответом$/ });
    assert.equal(await requests.count(), 1, 'the menu badge counts the answered request, and says what it counts');
    await requests.click();
    await page.waitForURL(`${base}/support/requests`);
    const row = page.locator('table.list tbody tr', { hasText: subject });
    assert.equal(await row.getAttribute('class'), 'support-unseen');
    const weight = await row
      .getByRole('link', { name: new RegExp(subject) })
      .evaluate((a) => (globalThis as unknown as { getComputedStyle(e: unknown): { fontWeight: string } }).getComputedStyle(a).fontWeight);
    assert.ok(Number(weight) >= 600, `the row is bold (font-weight ${weight})`);
    assert.ok(await row.getByRole('link', { name: `${subject} (новый ответ)` }).isVisible(), 'a screen reader hears it is new');
    assert.equal(await row.locator('td[data-label="Последний ответ"]').innerText(), 'поддержка, только что');
    assert.match((await row.locator('time').getAttribute('title')) ?? '', /\d{2}:\d{2}/, 'the exact time is at hand');
    await browserDemo.shotWithPhone('customer-list-answer', 'customer-list-answer-390');

    await row.getByRole('link', { name: new RegExp(subject) }).click();
    await page.waitForURL(ticketUrl);
    assert.equal(await menu.getByRole('link', { name: 'Запросы', exact: true }).count(), 1, 'no badge once the answer was seen');
    await page.goto(`${base}/support/requests`);
    assert.equal(await page.locator('table.list tbody tr.support-unseen').count(), 0);
  });

  it('finds a request by words of its subject or its number, without JavaScript, and says when nothing matches', async () => {
    assert.ok(ticketNumber, 'the request was created in the test before');
    await page.goto(`${base}/support/requests`);
    const filters = page.getByRole('search', { name: 'Поиск и фильтр запросов' });
    await filters.getByLabel('Поиск').fill(subject.toUpperCase());
    await filters.getByLabel('Статус').selectOption('open');
    await filters.getByRole('button', { name: 'Показать' }).click();
    await page.waitForURL(/\?q=.*&status=open$/);
    assert.deepEqual(await page.locator('table.list tbody tr td:first-child').allInnerTexts(), [`№${ticketNumber}`]);
    await filters.getByLabel('Поиск').fill(`№${ticketNumber}`);
    await filters.getByLabel('Статус').selectOption('closed');
    await filters.getByRole('button', { name: 'Показать' }).click();
    await page.waitForURL(/status=closed$/);
    const none = page.getByRole('status');
    assert.equal(await none.innerText(), `Среди закрытых нет запросов с номером или темой «№${ticketNumber}». Показать все запросы`);
    await browserDemo.shot('customer-list-no-match');
    await none.getByRole('link', { name: 'Показать все запросы' }).click();
    await page.waitForURL(`${base}/support/requests/`);
    assert.equal(await page.locator('table.list tbody tr', { hasText: subject }).count(), 1);

    // The same list in English, on a phone too.
    await page.getByRole('button', { name: 'EN' }).click();
    await page.waitForURL(`${base}/support/requests/`);
    assert.equal(await page.locator('table.list th').last().textContent(), 'Last reply');
    await browserDemo.shotWithPhone('customer-list-en', 'customer-list-en-320');
    // The choice of language outlives signing out: a new session, so the next tests see each user's own.
    await page.context().clearCookies();
    await browserDemo.signInAs('Войти: Иван Петров');
  });

  it('answers 404 to the other customer on that request’s page', async () => {
    assert.ok(ticketUrl, 'the request was created in the test before');
    await page.getByRole('button', { name: 'Выйти' }).click();
    await page.waitForURL(`${base}/login`);
    await page.getByRole('button', { name: /Alice Smith/ }).click();
    await page.waitForURL(`${base}/services`);
    const response = await page.goto(ticketUrl);
    assert.equal(response?.status(), 404);
    assert.ok(!(await page.content()).includes(subject), 'nothing of the request is shown');
  });

  it('shows the form in English to an English-speaking customer, where to ask first', async () => {
    // Alice is signed in by the test before.
    await page.goto(`${base}/support/requests/new`);
    const order = await page.locator('.support-new > *').evaluateAll((nodes) => nodes.map((n) => n.className));
    assert.equal(order[0], 'support-contacts support-contacts-top', 'the channels come first');
    assert.ok(await page.getByText('Anything about your account or your services is a request').isVisible());
    assert.ok(
      await page
        .getByRole('option', { name: /— ID \d+, active$/ })
        .first()
        .count(),
      'services show their ID and status',
    );
    await page.getByLabel('Emergency', { exact: true }).check();
    await browserDemo.shotWithPhone('customer-form-en', 'phone-customer-form-en');
  });

  it('shows the department’s e-mail in the demo Mailbox, its HTML part in the frame', async () => {
    assert.ok(ticketNumber, 'the request was created in the test before');
    await page.goto(`${base}/services`);
    await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Mailbox' }).click();
    await page.waitForURL(`${base}/mailbox`);
    const row = page
      .locator('table.mailbox tr', { hasText: `[#${ticketNumber}] ` })
      .filter({ hasText: subject })
      .filter({ hasText: 'tech@panel.example' });
    await mailboxLink(page, subject);
    assert.equal(await row.count(), 1, 'one e-mail to the technical department');
    // The subject opens the e-mail (the row's other link is its Reply button).
    await row.getByRole('link', { name: new RegExp(`^\\[#${ticketNumber}\\] `) }).click();
    await page.waitForURL(/\/mailbox\/\d+$/);
    assert.match((await page.locator('dl.mailbox-headers').textContent()) ?? '', /tech@panel\.example/);
    assert.match((await page.locator('ul.mailbox-files').textContent()) ?? '', /screen\.png[\s\S]*notes\.txt/);
    const body = page.frameLocator('iframe.mailbox-html').locator('body');
    assert.match((await body.textContent()) ?? '', new RegExp(subject));
  });

  it('runs no script of an e-mail’s HTML part, and still shows the part', async () => {
    const html =
      '<p id="hello">Hello from a hostile e-mail</p>' +
      '<script>document.body.setAttribute("data-ran", "script"); parent.document.title = "owned";</script>' +
      '<img src="x" onerror="document.body.setAttribute(\'data-ran\', \'img\')">';
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: demo.catcher?.port, secure: false, ignoreTLS: true });
    try {
      await transport.sendMail({ from: 'attacker@evil.example', to: 'victim@panel.example', subject: 'hostile html', html });
    } finally {
      transport.close();
    }
    await page.goto(`${base}/mailbox`);
    await (await mailboxLink(page, 'hostile html')).click();
    await page.waitForURL(/\/mailbox\/\d+$/);
    const frame = page.frameLocator('iframe.mailbox-html');
    assert.equal(await frame.locator('#hello').textContent(), 'Hello from a hostile e-mail');
    // Give an onerror handler time to fire if it were allowed to.
    await page.waitForTimeout(300);
    assert.equal(await frame.locator('body').getAttribute('data-ran'), null, 'a script of the e-mail ran');
    assert.notEqual(await page.title(), 'owned');
  });
});
