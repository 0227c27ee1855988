// A request's round trip in a real Chromium on the demo panel: a customer opens it with a file,
// the Technical staff member answers from the queue, the customer reads the answer and finds it
// in the Mailbox; then Technical transfers it to Client relations, whose e-mail arrives there too. Elements are found by their visible labels and roles; every page is saved as
// a screenshot under test-output/screenshots.
import assert from 'node:assert/strict';
import { startBrowserDemo, type BrowserDemo } from './harness';

const subject = `Не работает почта ${Date.now()}`;
const answer = 'Почтовый сервис перезапущен, письма снова уходят.';

describe('staff answer in a real browser', function () {
  this.timeout(60_000);
  let b: BrowserDemo;

  before(async () => {
    b = await startBrowserDemo();
  });
  after(() => b?.close());

  it('customer creates a request with a file, Technical answers it, the customer sees the answer', async () => {
    const { page, base } = b;
    await b.signInAs('Войти: Иван Петров');
    await page.getByRole('navigation', { name: 'Меню' }).getByRole('link', { name: 'Запросы', exact: true }).click();
    await page.getByRole('link', { name: 'Создать', exact: true }).click();
    await page.getByLabel('Тема').fill(subject);
    await page.getByLabel('Технический отдел', { exact: true }).check();
    await page.getByLabel('Сообщение').fill('С утра письма с сайта не доходят до клиентов. Журнал приложен.');
    await page
      .getByLabel('Файлы')
      .setInputFiles([{ name: 'mail.log', mimeType: 'text/plain', buffer: Buffer.from('postfix: connect to mx: timed out\n') }]);
    await b.shot('1-customer-create-form');
    await page.getByRole('button', { name: 'Создать запрос' }).click();
    await page.waitForURL(/\/support\/requests\/\d+\?created=1$/);
    const number = /\/(\d+)\?created=1$/.exec(page.url())?.[1] as string;
    await b.shot('2-customer-created');

    // The Technical staff member (English interface) finds it in the queue, with the badge.
    await b.signInAs(/Tech: Sergey/);
    const menu = page.getByRole('navigation', { name: 'Menu' });
    const requests = menu.getByRole('link', { name: /Requests/ });
    assert.match((await requests.textContent()) ?? '', /1/, 'the menu badge counts the waiting request');
    await requests.click();
    await page.waitForURL(`${base}/support/requests`);
    await b.shot('3-staff-queue');
    await page.getByRole('link', { name: subject }).click();
    await page.waitForURL(`${base}/support/requests/${number}`);
    assert.ok(await page.getByRole('link', { name: 'mail.log' }).isVisible(), 'the customer’s file is listed');
    await page.getByLabel('Answer', { exact: true }).fill(answer);
    await b.shot('4-staff-answer');
    await page.getByRole('button', { name: 'Send the answer' }).click();
    await page.waitForURL(`${base}/support/requests/${number}#reply`);
    assert.ok(await page.getByText(answer).isVisible());
    assert.ok(await page.getByText('answered the customer').isVisible(), 'the history records the answer');

    // The customer reads it on their page and in the mailbox.
    await b.signInAs('Войти: Иван Петров');
    await page.goto(`${base}/support/requests/${number}`);
    assert.ok(await page.getByText(answer).isVisible(), 'the answer is on the customer’s page');
    assert.ok(await page.locator('.support-meta').getByText('Есть ответ').isVisible(), 'the status says it is answered');
    await b.shot('5-customer-sees-answer');
    await page.goto(`${base}/mailbox`);
    const row = page.locator('table.mailbox tr', { hasText: `[#${number}] Ответ на ваш запрос` });
    for (let i = 0; i < 50 && (await row.count()) === 0; i++) {
      await page.waitForTimeout(100);
      await page.reload();
    }
    assert.equal(await row.count(), 1, 'the answer e-mail reached the customer');
    await b.shot('6-mailbox');

    // Technical hands it to Client relations with a reason; that department's e-mail arrives.
    await b.signInAs(/Tech: Sergey/);
    await page.goto(`${base}/support/requests/${number}`);
    await page.getByLabel('Transfer to').selectOption({ label: 'Client relations' });
    await page.getByLabel(/^Reason/).fill('The customer asks about a refund');
    await b.shot('7-staff-transfer');
    await page.getByRole('button', { name: 'Transfer', exact: true }).click();
    await page.waitForURL(`${base}/support/requests/?transferred=${number}`);
    assert.ok(
      await page.getByRole('status').getByText(`Request #${number} has been transferred.`).isVisible(),
      'the queue says where the request went',
    );
    await page.goto(`${base}/mailbox`);
    const transferred = page.locator('table.mailbox tr', { hasText: 'clients@panel.example' }).filter({ hasText: `[#${number}]` });
    for (let i = 0; i < 50 && (await transferred.count()) === 0; i++) {
      await page.waitForTimeout(100);
      await page.reload();
    }
    assert.equal(await transferred.count(), 1, "Client relations' e-mail arrived");
    await b.shot('8-mailbox-transfer');
  });
});
