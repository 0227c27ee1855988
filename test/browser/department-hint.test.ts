// The create form's department hint in a real Chromium: typing a payment question with Technical
// chosen brings up «Похоже на вопрос об оплате — это «Отдел по работе с клиентами»», the choice
// stays Technical until the customer presses the hint's button, and the hint goes once the
// chosen department is the one it names. In Russian and English, at 1280 px and on a phone.
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { startBrowserDemo, type BrowserDemo } from './harness';

const checkedLabel = (page: Page) =>
  page.evaluate(`document.querySelector('input[name="departmentId"]:checked + label')?.textContent.trim() ?? null`);

describe('the department hint on the create form', function () {
  this.timeout(60_000);
  let b: BrowserDemo;
  before(async () => {
    b = await startBrowserDemo();
  });
  after(() => b?.close());

  /** Screenshots of the page at 1280 px and on a phone (`<name>-phone`), back at 1280 px after. */

  it('suggests Client relations for a payment question, and changes the choice only when its button is pressed', async () => {
    const { page } = b;
    await b.signInAs('Войти: Иван Петров');
    await page.goto(`${b.base}/support/requests/new`);
    assert.equal(
      await page
        .locator('#department-hint')
        .textContent()
        .then((t) => t?.trim()),
      '',
      'nothing before typing',
    );
    const hint = await b.askPaymentInTechnical();
    assert.equal(await hint.getAttribute('aria-live'), 'polite');
    assert.equal((await hint.locator('span').textContent())?.trim(), 'Похоже на вопрос об оплате — это «Отдел по работе с клиентами».');
    // More typing that says the same changes nothing, and the choice is still the customer's.
    await page.getByLabel('Сообщение').pressSequentially(' Карта Visa.');
    assert.equal(await checkedLabel(page), 'Технический отдел', 'the hint does not change the choice');
    await b.shotWithPhone('customer-create-hint');

    await hint.getByRole('button', { name: 'Выбрать этот отдел' }).click();
    assert.equal(await checkedLabel(page), 'Отдел по работе с клиентами');
    assert.equal(await page.evaluate(`document.activeElement.id`), await page.getByLabel('Отдел по работе с клиентами').getAttribute('id'));
    assert.equal((await hint.textContent())?.trim(), '', 'the hint is gone: its department is chosen');

    // Choosing another department by hand brings it back; a vague text has none.
    await page.getByLabel('Технический отдел', { exact: true }).check();
    await hint.getByText('Похоже на вопрос об оплате').waitFor();
    await page.getByLabel('Тема').fill('Вопрос');
    await page.getByLabel('Сообщение').fill('Здравствуйте, помогите, пожалуйста.');
    await page.waitForFunction(`document.getElementById('department-hint').textContent.trim() === ''`);
    assert.equal(await checkedLabel(page), 'Технический отдел');
  });

  it('keeps the hint on a form shown again after a refusal, and its button works there', async () => {
    const { page } = b;
    await page.goto(`${b.base}/support/requests/new`);
    await b.askPaymentInTechnical();
    await page.getByLabel('Тема').fill('');
    await page.getByRole('button', { name: 'Создать запрос' }).click();
    await page.getByText('Укажите тему').waitFor();
    const hint = page.locator('#department-hint');
    assert.equal(await checkedLabel(page), 'Технический отдел');
    await hint.getByRole('button', { name: 'Выбрать этот отдел' }).click();
    assert.equal(await checkedLabel(page), 'Отдел по работе с клиентами');
    assert.equal((await hint.textContent())?.trim(), '');
  });

  it('speaks English on an English page', async () => {
    const { page } = b;
    await b.signInAs(/Alice Smith/);
    await page.goto(`${b.base}/support/requests/new`);
    await page.getByLabel('Technical', { exact: true }).check();
    await page.getByLabel('Subject').fill('Server down');
    await page.getByLabel('Message').fill('Our site is unreachable since midnight, the server is down.');
    const hint = page.locator('#department-hint');
    await hint.getByText('Looks like a question about an outage: that is “Emergency”.').waitFor();
    assert.equal(await checkedLabel(page), 'Technical');
    await b.shotWithPhone('customer-create-hint-en');
    await hint.getByRole('button', { name: 'Choose this department' }).click();
    assert.equal(await checkedLabel(page), 'Emergency');
  });

  it('shows the admin each department’s keywords, a line per topic, in both languages', async () => {
    const { page } = b;
    await b.signInAs(/Администратор/);
    await page.goto(`${b.base}/support/requests/admin/departments`);
    await page.locator('tr[data-code="client_relations"]').getByRole('link', { name: 'Изменить' }).click();
    assert.match(await page.getByLabel('Ключевые слова (ru)').inputValue(), /^об оплате: оплат, платёж, /);
    assert.match(await page.getByLabel('Ключевые слова (en)').inputValue(), /^about payment: pay, paid, /);
    await b.shotWithPhone('admin-department-keywords');
  });
});
