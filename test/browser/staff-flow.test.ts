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
    assert.ok(await page.getByText('answer to the customer').isVisible(), 'the history records the answer');

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

    // Client relations (Russian interface): the badge counts it although it is answered, not
    // waiting, until someone of the department opens it; the page says where it came from and why.
    await b.signInAs(/Ольга/);
    const olgaMenu = page.getByRole('navigation', { name: 'Меню' }).getByRole('link', { name: /Запросы/ });
    assert.match((await olgaMenu.textContent()) ?? '', /1/, 'the badge counts the transferred request');
    await olgaMenu.click();
    await assertNoSidewaysScroll('the queue of one department');
    assert.equal(await page.getByRole('columnheader', { name: 'Отдел' }).count(), 0, 'one department: no Department column');
    assert.ok(await page.locator('[data-transfer-unseen]').getByText('Передан вам').isVisible(), 'the queue marks it');
    await b.shot('9-staff-queue-transferred-ru');
    await page.getByRole('link', { name: subject }).click();
    const banner = page.locator('[data-transfer-banner]');
    assert.match(
      (await banner.innerText()).replace(/\s+/g, ' '),
      /Запрос передан вам\. Прежний отдел: Технический отдел\. Причина: The customer asks about a refund/,
    );
    const history = (await page.locator('.support-audit').innerText()).replace(/\s+/g, ' ');
    assert.match(history, /Передан: Технический отдел → Отдел по работе с клиентами\. Причина: The customer asks about a refund/);
    assert.match(history, /Статус: новый → отвечен/);
    assert.doesNotMatch(history, /technical|client_relations|answered/, 'no raw codes');
    await assertTwoColumns();
    await b.shot('10-staff-request-transferred-ru');
    await page.goto(`${base}/services`);
    assert.doesNotMatch((await olgaMenu.textContent()) ?? '', /\d/, 'opened: the badge no longer counts it');

    // The note tab: its own colour and words, the answer's form hidden meanwhile.
    await page.goto(`${base}/support/requests/${number}`);
    await page.getByText('Внутренняя заметка', { exact: true }).click();
    assert.ok(await page.getByText('Эту заметку видят только сотрудники.', { exact: false }).isVisible());
    assert.ok(!(await page.getByLabel('Ответ', { exact: true }).isVisible()), 'the answer box is hidden behind its tab');
    await b.shot('11-staff-note-tab-ru');

    // The admin's Departments list at 1280 px: no sideways scrolling, every Edit link on screen,
    // and the staff the panel places in each department.
    await b.signInAs(/Администратор/);
    await page.goto(`${base}/support/requests/admin/departments`);
    await assertNoSidewaysScroll('the Departments list');
    const edits = page.getByRole('link', { name: /^Изменить/ });
    assert.equal(await edits.count(), 3);
    for (const edit of await edits.all()) assert.ok(await isOnScreen(edit), 'the Edit link is on screen');
    const staffOf = (code: string) => page.locator(`tr[data-code="${code}"] [data-staff]`).innerText();
    assert.match(await staffOf('technical'), /Tech: Sergey/);
    assert.match(await staffOf('client_relations'), /Ольга/);
    assert.match(await staffOf('emergency'), /Павел/);
    await b.shot('12-admin-departments-ru');
    await page.goto(`${base}/support/requests/`);
    await assertNoSidewaysScroll('the queue of every department');
    assert.equal(await page.getByRole('columnheader', { name: 'Отдел' }).count(), 1, 'many departments: the Department column');
    await b.shot('13-admin-queue-ru');
  });

  /** The page reads without sideways scrolling at the window's width. */
  async function assertNoSidewaysScroll(what: string): Promise<void> {
    const { content, window } = (await b.page.evaluate(
      '({ content: document.documentElement.scrollWidth, window: document.documentElement.clientWidth })',
    )) as { content: number; window: number };
    assert.ok(content <= window, `${what}: content is ${content}px wide in a ${window}px window`);
    const scrolling = (await b.page.evaluate(
      "[...document.querySelectorAll('.table-wrap')].filter((w) => w.scrollWidth > w.clientWidth).length",
    )) as number;
    assert.equal(scrolling, 0, `${what}: a list scrolls sideways inside its box`);
  }

  async function isOnScreen(link: import('playwright-core').Locator): Promise<boolean> {
    const box = await link.boundingBox();
    const width = b.page.viewportSize()?.width ?? 0;
    return box !== null && box.x >= 0 && box.x + box.width <= width && (await link.isVisible());
  }

  /** The request page's facts beside the thread, not under it. */
  async function assertTwoColumns(): Promise<void> {
    const work = await b.page.locator('.support-work').boundingBox();
    const facts = await b.page.locator('.support-facts').boundingBox();
    assert.ok(work && facts && facts.x >= work.x + work.width, 'the facts are in a column right of the thread');
  }
});
