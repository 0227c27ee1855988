// Response regulations in a real Chromium with the plugin's clock moved, never slept: an admin sets
// a department's working hours and first-response target on its page, a customer is promised an
// answer in working minutes, and once the clock has passed the target the queue says the request
// is overdue, in words. Screenshots at 1280 px and at phone width land in test-output/screenshots.
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
    await b.page.setViewportSize({ width: 1280, height: 900 });
  });
  after(() => b?.close());

  it('an admin sets working hours, a request becomes overdue on a moved clock, the queue shows it', async () => {
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
    await b.shot('sla-queue-overdue');
    await page.setViewportSize({ width: 320, height: 640 });
    await b.shot('phone-sla-queue-overdue');
    await page.setViewportSize({ width: 1280, height: 900 });
  });
});
