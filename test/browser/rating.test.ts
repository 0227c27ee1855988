// A rating in a real Chromium on the demo panel: Technical answers, the customer rates it good on
// the request's page, then changes it to bad from the link in the answer e-mail (a page that asks
// first); Technical sees the rating on the request, the admin on the Ratings page, and Technical's
// department gets the alert in the Mailbox. Screenshots at 1280 px and on a phone, ru and en.
import assert from 'node:assert/strict';
import { startBrowserDemo, type BrowserDemo } from './harness';
import { answerAsTechnical, ratingLink } from './rating-steps';

describe('rating a request in a real browser', function () {
  this.timeout(90_000);
  let b: BrowserDemo;

  before(async () => {
    b = await startBrowserDemo();
  });
  after(() => b?.close());

  /** A screenshot at 1280 px and one at phone width. */
  const shots = (name: string) => b.shotWithPhone(`rating-${name}`);

  it('the customer rates on the page, changes it from the e-mail link, and staff and the admin see it', async () => {
    const { page, base } = b;
    await b.signInAs('Войти: Иван Петров');
    await page.goto(`${base}/support/requests/new`);
    await b.submitTechnicalRequest('Сайт отдаёт 502', 'С утра сайт отдаёт 502 на всех страницах.');
    const number = /\/(\d+)\?created=1$/.exec(page.url())?.[1] as string;
    assert.equal(await page.getByRole('heading', { name: 'Как мы справились?' }).count(), 0, 'no rating before an answer');

    await answerAsTechnical(b, number);
    await b.signInAs('Войти: Иван Петров');
    await page.goto(`${base}/support/requests/${number}`);
    const block = page.getByRole('region', { name: 'Как мы справились?' });
    assert.ok(await block.isVisible(), 'the rating block after the answer');
    await shots('block-ru');
    await block.getByLabel('Комментарий (необязательно)').fill('Быстро разобрались, спасибо!');
    await block.getByRole('button', { name: 'Хорошо' }).click();
    await page.waitForURL(`${base}/support/requests/${number}?rated=1#rating`);
    assert.ok(await page.getByRole('status').getByText('Спасибо за оценку!').isVisible());
    assert.match((await block.textContent()) ?? '', /Ваша оценка:\s*👍 Хорошо/);
    assert.equal(await block.getByRole('button', { name: 'Хорошо' }).getAttribute('aria-pressed'), 'true');
    await shots('rated-ru');

    // The link in the answer e-mail: the page asks, with Bad chosen; only sending it records.
    await page.goto(`${base}${await ratingLink(b, number, 'bad')}`);
    assert.ok(await page.getByLabel('Плохо').isChecked(), 'the link’s choice is preselected');
    assert.equal(await page.getByLabel('Комментарий (необязательно)').inputValue(), 'Быстро разобрались, спасибо!');
    await page.getByLabel('Комментарий (необязательно)').fill('Через час снова 502.');
    await shots('confirm-ru');
    await page.getByRole('button', { name: 'Отправить оценку' }).click();
    await page.waitForURL(`${base}/support/requests/${number}?rated=1#rating`);
    assert.match((await page.getByRole('region', { name: 'Как мы справились?' }).textContent()) ?? '', /👎 Плохо/);

    // Technical sees it next to the status, in English.
    await b.signInAs(/Tech: Sergey/);
    await page.goto(`${base}/support/requests/${number}`);
    assert.match((await page.locator('.support-rating-staff').textContent()) ?? '', /Bad[\s\S]*Через час снова 502\./);
    assert.ok(await page.getByText('The customer rated the request: Bad (Иван Петров)').isVisible());
    await shots('staff-en');
    // In the queue, the row says so before the request is opened.
    await page.goto(`${base}/support/requests`);
    const row = page.locator('tr', { has: page.getByRole('link', { name: `#${number}`, exact: true }) });
    assert.ok(await row.getByText('Rated bad').isVisible(), 'the queue marks the bad rating');
    await shots('queue-en');

    // The department's alert arrives in the Mailbox.
    await page.goto(`${base}/mailbox`);
    const alert = page.locator('table.mailbox tr', { hasText: `[#${number}] Плохая оценка` });
    for (let i = 0; i < 50 && (await alert.count()) === 0; i++) {
      await page.waitForTimeout(100);
      await page.reload();
    }
    assert.equal(await alert.count(), 1, 'one alert to Technical');

    // The admin's figures.
    await b.signInAs(/Администратор/);
    await page.goto(`${base}/support/requests`);
    await page.getByRole('link', { name: 'Оценки' }).click();
    await page.waitForURL(`${base}/support/requests/admin/ratings`);
    const technical = page.locator('tr[data-department="technical"]');
    assert.deepEqual(await technical.locator('td[data-count]').allTextContents(), ['0', '1', '0\u00a0%']);
    assert.ok(await page.getByRole('link', { name: number, exact: true }).isVisible(), 'the bad rating is listed');
    await shots('admin-ru');
  });

  it('an English customer sees the block and the page in English', async () => {
    const { page, base } = b;
    await b.signInAs(/Alice Smith/);
    await page.goto(`${base}/support/requests/new`);
    await page.getByLabel('Subject').fill('Site returns 502');
    await page.getByLabel('Technical', { exact: true }).check();
    await page.getByLabel('Message').fill('Since this morning every page returns 502.');
    await page.getByRole('button', { name: 'Create request' }).click();
    await page.waitForURL(/\/support\/requests\/\d+\?created=1$/);
    const number = /\/(\d+)\?created=1$/.exec(page.url())?.[1] as string;
    await answerAsTechnical(b, number, 'We restarted the web server; the site is back.');
    await b.signInAs(/Alice Smith/);
    await page.goto(`${base}/support/requests/${number}`);
    assert.ok(await page.getByRole('region', { name: 'How did we do?' }).isVisible());
    await shots('block-en');
    await page.goto(`${base}${await ratingLink(b, number, 'good')}`);
    assert.ok(await page.getByLabel('Good').isChecked());
    await shots('confirm-en');
  });
});
