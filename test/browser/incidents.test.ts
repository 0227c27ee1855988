// An incident in a real Chromium on the demo panel: Technical declares one for Ivan's VPS; Ivan
// sees the known issue above his list and the create form, Alice (another VPS) does not; Ivan's
// new request about that VPS is linked to it; Technical sends an update, and Ivan reads it as an
// answer on his request. Screenshots go to test-output/screenshots/incident-*.png.
import assert from 'node:assert/strict';
import { startBrowserDemo, type BrowserDemo } from './harness';
import { declareIncident, INCIDENT, ivansVpsId } from './incident-steps';

const update = 'Коммутатор заменён, серверы загружаются.';

describe('an incident in a real browser', function () {
  this.timeout(90_000);
  let b: BrowserDemo;
  before(async () => {
    b = await startBrowserDemo();
  });
  after(() => b?.close());

  it('declared for a VPS: its customer sees it and is linked, another does not, the update arrives as an answer', async () => {
    const { page, base } = b;
    const vps = await ivansVpsId(b);
    assert.ok(vps, "Ivan's create form offers his VPS");
    await declareIncident(b, vps);
    await b.shot('incident-1-staff-declared');

    await b.signInAs('Войти: Иван Петров');
    await page.goto(`${base}/support/requests`);
    const banner = page.getByRole('status').filter({ hasText: 'Известная проблема' });
    assert.ok(await banner.getByText(INCIDENT.titleRu).isVisible(), 'the list shows the known issue');
    await b.shot('incident-2-customer-list');
    await page.goto(`${base}/support/requests/new`);
    assert.ok(
      await banner.getByText('Писать о ней в поддержку не нужно', { exact: false }).isVisible(),
      'the form says there is no need to write',
    );
    await b.shot('incident-3-customer-form');
    await page.getByLabel('Услуга').selectOption(vps);
    await b.submitTechnicalRequest('VPS не отвечает', 'С 12:00 сервер не отвечает ни по SSH, ни по HTTP.');
    const number = /\/(\d+)\?created=1$/.exec(page.url())?.[1] as string;

    await b.signInAs('Войти: Alice Smith');
    await page.goto(`${base}/support/requests/new`);
    assert.equal(await page.getByText('Known issue').count(), 0, 'Alice has no affected service');

    await b.signInAs(/Tech: Sergey/);
    await page.goto(`${base}/support/requests/${number}`);
    assert.ok(await page.getByText('Linked to incident:').isVisible(), 'the request was linked as it was made');
    await page.getByRole('link', { name: INCIDENT.titleEn }).click();
    assert.ok(await page.getByRole('link', { name: `#${number}` }).isVisible(), 'the incident lists the request');
    await page.getByLabel('Update (ru)').fill(update);
    await page.getByLabel('Update (en)').fill('The switch is replaced; servers are booting.');
    await page.getByRole('button', { name: 'Send an update' }).click();
    await page.waitForURL(/\?done=updated$/);
    assert.ok(await page.getByText('reached: 1').isVisible());
    await b.shot('incident-4-staff-updated');

    await b.signInAs('Войти: Иван Петров');
    await page.goto(`${base}/support/requests/${number}`);
    assert.ok(await page.getByText(update).isVisible(), 'Ivan reads the update as an answer');
    assert.ok(await page.locator('.support-meta').getByText('Есть ответ').isVisible());
    await b.shot('incident-5-customer-answer');
  });
});
