// A customer's and a staff member's day on the demo panel, in a real Chromium: two requests, one
// answered (the customer sees the badge, reads the answer and rates it) and one in the wrong
// department (transferred, which both sides see), then an emergency that asks to be confirmed.
// Its screenshots are the README's pictures (docs/pictures), so they stay current with the pages.
import assert from 'node:assert/strict';
import { startBrowserDemo, type BrowserDemo } from './harness';

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

describe("a customer's and a staff member's day (the README's pictures)", function () {
  this.timeout(120_000);
  let b: BrowserDemo;

  before(async () => {
    b = await startBrowserDemo();
    await b.page.setViewportSize(DESKTOP);
  });
  after(() => b?.close());

  /** The page as the README shows it, at the desktop width and, when asked, on a phone. */
  async function picture(name: string, phone = false): Promise<void> {
    await b.picture(name);
    if (!phone) return;
    await b.page.setViewportSize(PHONE);
    await b.picture(`${name}-phone`);
    await b.page.setViewportSize(DESKTOP);
  }

  const numberIn = (url: string) => /\/(\d+)\?created=1$/.exec(url)?.[1] as string;

  it('answered badge → rating → transfer visible → emergency confirm', async () => {
    const { page, base } = b;
    const menu = () => page.getByRole('navigation', { name: /Меню|Menu/ });

    // Morning: Ivan writes about his site, and asks for a refund in the wrong department.
    await b.signInAs('Войти: Иван Петров');
    await page.goto(`${base}/support/requests/new`);
    await page.getByLabel('Тема').fill('Сайт отдаёт 502');
    await page.getByLabel('Услуга').selectOption({ index: 1 });
    await picture('customer-create', true);
    await page.goto(`${base}/support/requests/new`);
    await b.submitTechnicalRequest(
      'Сайт отдаёт 502',
      'С 10:00 сайт petrov-shop.ru отдаёт 502 на всех страницах. Перезапуск nginx не помог.',
    );
    const site = numberIn(page.url());
    await page.goto(`${base}/support/requests/new`);
    await b.submitTechnicalRequest('Возврат за год хостинга', 'Прошу вернуть оплату за год: услуга больше не нужна, договор от 12.01.');
    const refund = numberIn(page.url());

    // Technical answers the first and sends the refund to Client relations.
    await b.signInAs(/Tech: Sergey/);
    await page.goto(`${base}/support/requests/${site}`);
    await page
      .getByLabel('Answer', { exact: true })
      .fill('Перезапустили php-fpm: у него кончились рабочие процессы. Сайт снова открывается, лимит процессов мы подняли.');
    await page.getByRole('button', { name: 'Send the answer' }).click();
    await page.waitForURL(`${base}/support/requests/${site}#reply`);
    await page.goto(`${base}/support/requests/${refund}`);
    await page.getByLabel('Transfer to').selectOption({ label: 'Client relations' });
    await page.getByLabel(/^Reason/).fill('Возврат денег — вопрос оплаты, не технический');
    await page.getByRole('button', { name: 'Transfer', exact: true }).click();
    await page.waitForURL(/transferred=/);

    // Client relations sees it come in: counted in the menu, the reason on top; and answers it.
    await b.signInAs(/Ольга/);
    assert.match(
      (await menu()
        .getByRole('link', { name: /Запросы/ })
        .textContent()) ?? '',
      /1/,
      'the transfer is counted',
    );
    await page.goto(`${base}/support/requests`);
    await picture('staff-queue');
    await page.goto(`${base}/support/requests/${refund}`);
    assert.match(
      (await page.locator('[data-transfer-banner]').innerText()) ?? '',
      /Прежний отдел: Технический отдел\. Причина: Возврат денег/,
    );
    await page
      .getByLabel('Ответ', { exact: true })
      .fill('Оформили возврат за неиспользованные месяцы: деньги придут на карту в течение пяти рабочих дней.');
    await picture('staff-request');
    await page.getByRole('button', { name: 'Отправить ответ' }).click();
    await page.waitForURL(`${base}/support/requests/${refund}#reply`);

    // Ivan sees he has an answer, reads it and rates it; the refund says where it went.
    await b.signInAs('Войти: Иван Петров');
    const badged = menu().getByRole('link', { name: /^Запросы 2/ });
    assert.equal(await badged.count(), 1, 'the menu badge counts both answered requests');
    await badged.click();
    await page.waitForURL(`${base}/support/requests`);
    assert.equal(await page.locator('tr.support-unseen', { hasText: 'Сайт отдаёт 502' }).count(), 1, 'the answered request is bold');
    await picture('customer-list', true);
    await page
      .getByRole('link', { name: /Сайт отдаёт 502/ })
      .first()
      .click();
    await page.waitForURL(`${base}/support/requests/${site}`);
    const rating = page.getByRole('region', { name: 'Как мы справились?' });
    await rating.getByLabel('Комментарий (необязательно)').fill('Быстро, спасибо!');
    await rating.getByRole('button', { name: 'Хорошо' }).click();
    await page.waitForURL(/rated=1/);
    assert.ok(await page.getByText('Спасибо за оценку!').isVisible());
    await picture('customer-request', true);
    await page.goto(`${base}/support/requests/${refund}`);
    assert.ok(
      await page.getByText('Запрос передан в другой отдел: Отдел по работе с клиентами').isVisible(),
      'the customer sees the transfer',
    );

    // Evening: the server goes down. Emergency asks first, and reassures once sent.
    await page.goto(`${base}/support/requests/new`);
    await page.getByLabel('Аварийная служба', { exact: true }).check();
    await b.fillEmergency();
    await page.getByRole('button', { name: 'Создать запрос' }).click();
    const confirm = page.getByRole('button', { name: 'Да, это авария — отправить' });
    await confirm.waitFor();
    await picture('customer-emergency-confirm');
    await confirm.click();
    await page.waitForURL(/\?created=1$/);
    assert.ok(await page.getByText('Дежурный инженер уже получил оповещение.').isVisible(), 'the on-call engineer was alerted');
  });
});
