// Merging in a real Chromium on the demo panel: Technical merges one of Ivan's requests into his
// other one through the form and the confirmation page; Ivan's old link then opens the new request,
// with a line saying what happened. Screenshots at 1280 px and on a phone, English and Russian.
import assert from 'node:assert/strict';
import { startBrowserDemo, type BrowserDemo } from './harness';
import { toMergeConfirmation, twoRequests } from './merge-steps';

describe('merging requests in a real browser', function () {
  this.timeout(60_000);
  let b: BrowserDemo;

  before(async () => {
    b = await startBrowserDemo();
  });
  after(() => b?.close());

  it('staff merge two requests of one customer; the customer’s old link opens the new request', async () => {
    const { page, base } = b;
    const [into, from] = await twoRequests(b, ['Не открывается сайт', 'Сайт снова не работает']);
    await toMergeConfirmation(b, from, into);
    assert.ok(await page.locator('[data-merge-source]').getByText('Сайт снова не работает').isVisible());
    assert.ok(await page.locator('[data-merge-target]').getByText('Не открывается сайт').isVisible());
    await b.shotWithPhone('merge-1-confirm-en');
    await page.getByRole('button', { name: `Merge #${from} into #${into}` }).click();
    await page.waitForURL(`${base}/support/requests/${into}`);
    assert.ok(await page.locator('[data-merge-banner]').getByText(`Request #${from} was merged into this one.`).isVisible());
    assert.ok(await page.getByText('Сайт снова не работает: подробности').isVisible(), 'the moved message is in the thread');
    await b.shot('merge-2-staff-merged-en');

    await b.signInAs('Войти: Иван Петров');
    await page.goto(`${base}/support/requests/${from}`);
    await page.waitForURL(`${base}/support/requests/${into}`);
    const line = page.locator('[data-merge]');
    assert.match((await line.textContent()) ?? '', new RegExp(`Запрос №${from} объединён с запросом №${into}`));
    await b.shotWithPhone('merge-3-customer-ru');
    await page.goto(`${base}/support/requests`);
    assert.equal(await page.getByRole('link', { name: 'Сайт снова не работает' }).count(), 0, 'the old request is not listed');
  });

  it('the confirmation page in Russian, and a refusal next to the number', async () => {
    const { page, base } = b;
    const [into, from] = await twoRequests(b, ['Не приходят письма', 'Почта не работает']);
    // Ольга works in Client relations: Technical's requests are not hers. An admin (Russian) merges instead.
    await b.signInAs(/Администратор/);
    await page.goto(`${base}/support/requests/${from}`);
    await page.getByLabel('Или номер другого запроса').fill(from);
    await page.getByRole('button', { name: 'Дальше' }).click();
    assert.match((await page.locator('#target-error').textContent()) ?? '', /тот же самый запрос/);
    await b.shot('merge-4-refused-ru');
    await page.getByLabel('Или номер другого запроса').fill(`№ ${into}`);
    await page.getByLabel('Закрыть как дубликат').check();
    await page.getByRole('button', { name: 'Дальше' }).click();
    await page.waitForURL(/\/merge\?/);
    await b.shot('merge-5-confirm-duplicate-ru');
    await page.getByRole('button', { name: `Закрыть №${from} как дубликат №${into}` }).click();
    await page.waitForURL(`${base}/support/requests/${from}`);
    assert.ok(
      await page
        .locator('[data-merge-banner]')
        .getByRole('link', { name: `Закрыт как дубликат запроса №${into}: продолжаем там.` })
        .isVisible(),
    );
    await b.shot('merge-6-duplicate-ru');
  });
});
