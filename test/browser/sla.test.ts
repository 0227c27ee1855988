// Response regulations in a real Chromium with the plugin's clock moved, never slept: an admin sets
// a department's working hours and first-response target on its page, a customer is promised an
// answer in working minutes, and once the clock has passed the target the queue says the request
// is overdue, in words; staff answer late, and the admin's report counts it. Screenshots at 1280 px and at phone width land in test-output/screenshots.
import assert from 'node:assert/strict';
import { startBrowserDemo, type BrowserDemo } from './harness';
import { TestClock } from '../support/test-host';

const MINUTE = 60_000;

describe('response regulations in the browser', function () {
  this.timeout(90_000);
  const clock = new TestClock();
  let b: BrowserDemo;
  before(async () => {
    b = await startBrowserDemo({ now: clock.now });
  });
  after(() => b?.close());

  it('an admin sets working hours, a request becomes overdue on a moved clock, the queue shows it, the report counts it', async () => {
    const { page, base } = b;
    await b.signInAs(/Администратор/);
    const technical = await b.demo.knex('support_departments').where('code', 'technical').first('id');
    await page.goto(`${base}/support/requests/admin/departments/${technical.id}`);

    // A schedule typed wrong comes back with the problem next to the field and the rest as typed.
    await page.locator('#firstResponse').fill('5');
    await page.getByLabel('Считать только рабочее время').check();
    await page.locator('#timeZone').fill('Europe/Moscow');
    for (const day of [1, 2, 3, 4, 5, 6, 7]) await page.locator(`#week${day}`).fill(day === 1 ? '9 - 18' : '00:00-24:00');
    await page.getByRole('button', { name: 'Сохранить', exact: true }).first().click();
    await page.locator('#week1-error').waitFor();
    assert.match(await page.locator('#week1-error').innerText(), /Не получилось прочитать «9 - 18»/);
    assert.equal(await page.locator('#week2').inputValue(), '00:00-24:00', 'kept as typed');
    await b.shot('sla-admin-regulation-error');

    await page.locator('#week1').fill('00:00-24:00');
    await page.getByRole('button', { name: 'Сохранить', exact: true }).first().click();
    await page.waitForURL(/admin\/departments\?saved=1$/);

    await b.signInAs('Войти: Иван Петров');
    await page.goto(`${base}/support/requests/new`);
    await b.submitTechnicalRequest('Не работает почта', 'С утра письма не уходят.');
    assert.match(await page.getByRole('status').innerText(), /Обычно отвечаем в течение 5 рабочих минут\.$/);
    await page.goto(page.url().replace(/\?created=1$/, ''));
    assert.match(await page.locator('[data-promise]').innerText(), /^Ответим в течение 5 рабочих минут\.$/);
    await b.shot('sla-customer-promise');

    clock.advance(20 * MINUTE);
    await page.reload();
    assert.equal(await page.locator('[data-promise]').count(), 0, 'late: no promise, never a negative time');

    await b.signInAs(/Tech: Sergey/);
    await page.goto(`${base}/support/requests?due=overdue`);
    const row = page.getByRole('row').filter({ hasText: 'Не работает почта' });
    assert.match(await row.locator('[data-due="overdue"]').innerText(), /^(просрочен на|overdue by) 1[56] (мин|min)$/);
    await b.shotWithPhone('sla-queue-overdue');

    // Sergey answers, 20 working minutes in: late by the regulation.
    await row.getByRole('link', { name: 'Не работает почта' }).click();
    await page.locator('#message').fill('Почтовый сервер перезапущен, письма уходят.');
    await page
      .locator('form', { has: page.locator('#message') })
      .getByRole('button', { name: /^(Send the answer|Отправить ответ)$/ })
      .click();
    await page.waitForURL(/#reply$/);

    // The admin's report counts it once the figures are counted again: one first answer, late.
    await b.signInAs(/Администратор/);
    await page.goto(`${base}/support/requests`);
    await page.getByRole('link', { name: 'Отчёты' }).click();
    await page.getByLabel('Отдел', { exact: true }).selectOption({ label: 'Технический отдел' });
    await page.getByRole('button', { name: 'Показать' }).click();
    await page.getByRole('button', { name: 'Пересчитать' }).click();
    await page.getByRole('status').filter({ hasText: 'Показатели за период пересчитаны' }).waitFor();
    const figure = (name: string) => page.locator(`[data-figure="${name}"] dd`).innerText();
    assert.equal(await figure('opened'), '1');
    assert.match(await figure('first-within'), /^0\s%\s\(0 из 1\)$/, 'Russian puts a no-break space before %');
    assert.match(await figure('first'), /^20 мин · 90%: 20 мин$/);
    await b.picture('admin-reports');
    await b.shotWithPhone('reports');
    // The same report in English.
    await page.getByRole('button', { name: 'EN' }).click();
    await page.locator('[data-figure="first-within"]').waitFor();
    assert.equal(await figure('first-within'), '0% (0 of 1)');
    await b.shot('reports-en');
    await page.context().clearCookies();
  });
});
