// The on-call engineer takes an emergency from the "Беру в работу" link of its e-mail: the page
// asks, the button records it, and the customer's page says an engineer is on it. The
// confirmation page passes axe (WCAG 2.1 AA) and reads at 320 px, as does the department's
// escalation form; screenshots at 1280 px and on a phone.
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { startBrowserDemo, type BrowserDemo } from './harness';

/** The path of the "I'm on it" link in the caught e-mail of the request, waiting for it to arrive. */
async function acknowledgeLink(b: BrowserDemo, number: string, ms = 5000): Promise<string> {
  const pattern = new RegExp(`https?://[^/\\s]+(/support/requests/${number}/acknowledge\\?sig=[0-9a-f]+)`);
  const until = Date.now() + ms;
  for (;;) {
    for (const mail of b.demo.catcher?.list() ?? []) {
      const found = pattern.exec(mail.text);
      if (found) return found[1] as string;
    }
    if (Date.now() > until) throw new Error(`no "I'm on it" link for #${number} in the caught e-mail after ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Serious and critical axe findings on the page, by rule id. */
async function axeFindings(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: require.resolve('axe-core') });
  const result = (await page.evaluate(() =>
    (globalThis as unknown as { axe: { run(o: object): Promise<unknown> } }).axe.run({
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    }),
  )) as { violations: Array<{ id: string; impact: string | null }> };
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id);
}

/** Whether the page reads without sideways scrolling. */
async function fits(page: Page): Promise<boolean> {
  return (await page.evaluate('document.documentElement.scrollWidth <= document.documentElement.clientWidth')) as boolean;
}

describe('emergency: "I\'m on it" from the e-mail', function () {
  this.timeout(90_000);
  let b: BrowserDemo;
  before(async () => {
    b = await startBrowserDemo();
  });
  after(() => b?.close());

  /** The page as it is: screenshots at 1280 px and on a phone, axe at the one and reflow at the other. */
  async function check(name: string, what: string): Promise<void> {
    const { page } = b;
    await b.shot(name);
    assert.deepEqual(await axeFindings(page), [], `${what} passes axe`);
    await page.setViewportSize({ width: 320, height: 640 });
    await b.shot(`phone-${name}`);
    assert.ok(await fits(page), `${what} fits 320 px`);
    await page.setViewportSize({ width: 1280, height: 800 });
  }

  /** Ivan reports an emergency; its number. */
  async function emergency(): Promise<string> {
    const { page } = b;
    await b.signInAs('Войти: Иван Петров');
    await page.goto(`${b.base}/support/requests/new`);
    await page.getByLabel('Аварийная служба', { exact: true }).check();
    await b.fillEmergency();
    await page.getByRole('button', { name: 'Создать запрос' }).click();
    await page.getByRole('button', { name: 'Да, это авария — отправить' }).click();
    await page.waitForURL(/\/support\/requests\/\d+\?created=1$/);
    return /\/(\d+)\?created=1$/.exec(page.url())?.[1] as string;
  }

  /** Ivan reports an emergency, and the on-call engineer opens the link of its e-mail; its number and link. */
  async function linkOpenedByOnCall(): Promise<{ number: string; link: string }> {
    const number = await emergency();
    const link = await acknowledgeLink(b, number);
    await b.signInAs(/Дежурный инженер Павел/);
    await b.page.goto(`${b.base}${link}`);
    return { number, link };
  }

  it('the on-call engineer confirms from the link, and the customer is told an engineer is on it', async () => {
    const { page } = b;
    const { number } = await linkOpenedByOnCall();
    await page.getByText('берёте в работу срочный запрос').waitFor();
    await check('staff-acknowledge-confirm', 'the confirmation page');

    await page.getByRole('button', { name: 'Беру в работу' }).click();
    await page.waitForURL(`${b.base}/support/requests/${number}#facts-title`);
    await page.locator('[data-acknowledged]').getByText('Дежурный инженер Павел').waitFor();
    await b.shot('staff-request-acknowledged');

    await b.signInAs('Войти: Иван Петров');
    await page.goto(`${b.base}/support/requests/${number}`);
    await page.getByText('Инженер уже занимается вашим запросом.').waitFor();
    await check('customer-request-acknowledged', "the customer's page with the notice");
  });

  it('the admin sees who took it, and the escalation section of the Emergency department', async () => {
    const { page } = b;
    const { link } = await linkOpenedByOnCall();
    await page.getByRole('button', { name: 'Беру в работу' }).click();
    await b.signInAs(/Администратор/);
    await page.goto(`${b.base}${link}`);
    await page.getByText('Запрос уже в работе: Дежурный инженер Павел').waitFor();
    await b.shot('staff-acknowledge-already');
    await page.goto(`${b.base}/support/requests/admin/departments`);
    await page
      .getByRole('link', { name: /Аварийная служба/ })
      .first()
      .click();
    await page.locator('#escalation').waitFor();
    await page.locator('#escalation').scrollIntoViewIfNeeded();
    await check('admin-department-escalation', 'the department page with its escalation form');
  });
});
