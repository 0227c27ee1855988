// Every page of the plugin, checked in a real Chromium with axe-core against WCAG 2.1 A and AA:
// the customer's list, form (also with errors) and request (also with pictures, and one full size),
// the staff queue and request (likewise), and the admin pages. Any serious or critical finding fails the test and is listed.
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { startBrowserDemo, walkStaffRequestStates, type BrowserDemo } from './harness';
import { submitRequestWithPictures } from './picture-request';
import { answeredRequest, ratingLink } from './rating-steps';
import { toMergeConfirmation, twoRequests } from './merge-steps';
import { declareIncident, ivansVpsId } from './incident-steps';

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[] }>;
}

async function violations(page: Page): Promise<AxeViolation[]> {
  await page.addScriptTag({ path: require.resolve('axe-core') });
  const result = (await page.evaluate(() =>
    (globalThis as unknown as { axe: { run(o: object): Promise<unknown> } }).axe.run({
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    }),
  )) as { violations: AxeViolation[] };
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

function describeViolations(list: AxeViolation[]): string {
  return list
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} at ${v.nodes
          .map((n) => n.target.join(' '))
          .slice(0, 3)
          .join(', ')}`,
    )
    .join('\n');
}

describe('accessibility of the plugin pages (axe-core, WCAG 2.1 AA)', function () {
  this.timeout(90_000);
  let b: BrowserDemo;
  /** The number of the customer's request with pictures, for the staff to look at. */
  let pictureRequest = '';
  before(async () => {
    b = await startBrowserDemo();
  });
  after(() => b?.close());

  async function check(url: string, what: string): Promise<void> {
    await b.page.goto(`${b.base}${url}`);
    const found = await violations(b.page);
    assert.deepEqual(
      found.map((v) => v.id),
      [],
      `${what}:\n${describeViolations(found)}`,
    );
  }

  async function expectNone(page: Page, what: string): Promise<void> {
    const found = await violations(page);
    assert.deepEqual(
      found.map((v) => v.id),
      [],
      `${what}:\n${describeViolations(found)}`,
    );
  }

  it('finds a problem where there is one (the check itself works)', async () => {
    await b.page.setContent('<!doctype html><html lang="en"><title>t</title><img src="x.png"><input type="text"></html>');
    const ids = (await violations(b.page)).map((v) => v.id).sort();
    assert.deepEqual(ids, ['image-alt', 'label']);
  });

  it('has no serious finding on the customer pages', async () => {
    const { page } = b;
    await b.signInAs('Войти: Иван Петров');
    await check('/support/requests', 'the empty list');
    await check('/support/requests/new', 'the create form');
    await b.askPaymentInTechnical();
    const hinted = await violations(page);
    assert.deepEqual(
      hinted.map((v) => v.id),
      [],
      `the create form with the department hint:\n${describeViolations(hinted)}`,
    );
    await page.getByLabel('Тема').fill('');
    await page.getByLabel('Сообщение').fill('');
    await page.getByRole('button', { name: 'Создать запрос' }).click();
    assert.ok(await page.getByRole('alert').first().isVisible(), 'the refused form shows its errors');
    const refused = await violations(page);
    assert.deepEqual(
      refused.map((v) => v.id),
      [],
      `the refused form:\n${describeViolations(refused)}`,
    );
    // A subject copied from the message: the form warns, and its own button sends it as it is.
    const copied = 'После перезагрузки сервер не отвечает по SSH и по HTTP, сайт не открывается';
    await page.getByLabel('Тема').fill(copied);
    await page.getByLabel('Технический отдел', { exact: true }).check();
    await page.getByLabel('Сообщение').fill(`${copied}. Перезагружал из панели в 09:40.`);
    await page.getByRole('button', { name: 'Создать запрос' }).click();
    await page.getByRole('button', { name: 'Отправить как есть' }).waitFor();
    const warned = await violations(page);
    assert.deepEqual(
      warned.map((v) => v.id),
      [],
      `the form with a subject warning:\n${describeViolations(warned)}`,
    );
    await page.getByRole('button', { name: 'Отправить как есть' }).click();
    await page.waitForURL(/\/support\/requests\/\d+\?created=1$/);
    await page.goto(`${b.base}/support/requests/new`);
    await b.submitTechnicalRequest('Не открывается сайт', 'С утра сайт отдаёт 502 на всех страницах.');
    const found = await violations(page);
    assert.deepEqual(
      found.map((v) => v.id),
      [],
      `the request page:\n${describeViolations(found)}`,
    );
    await check(`${new URL(page.url()).pathname}/close`, 'the close confirmation');
    await check('/support/requests', 'the list with a request');
    // A thread with pictures, and one picture full size.
    pictureRequest = await submitRequestWithPictures(b, 'Ошибка после обновления');
    const thread = await violations(page);
    assert.deepEqual(
      thread.map((v) => v.id),
      [],
      `the request page with pictures:\n${describeViolations(thread)}`,
    );
    await page.getByRole('link', { name: 'Открыть фото-экрана.jpg в полном размере' }).click();
    await page.waitForURL(/\/files\/\d+\/view$/);
    const full = await violations(page);
    assert.deepEqual(
      full.map((v) => v.id),
      [],
      `a picture full size:\n${describeViolations(full)}`,
    );

    // Emergency chosen: the note with its checkbox; sent without it, the question comes back with the file kept.
    await page.goto(`${b.base}/support/requests/new`);
    await page.getByLabel('Аварийная служба', { exact: true }).check();
    await expectNone(page, 'the form with the emergency note');
    await b.fillEmergency();
    await page.getByRole('button', { name: 'Создать запрос' }).click();
    await page.getByRole('button', { name: 'Да, это авария — отправить' }).waitFor();
    await expectNone(page, 'the emergency confirmation, with a kept file');
    await check(`/support/requests/?q=${encodeURIComponent('сайт')}&status=open`, 'the list searched and filtered');
    await check(`/support/requests/?q=${encodeURIComponent('принтер')}&status=closed`, 'the list with nothing matching');
  });

  it("has no serious finding on the customer's list with an answer not seen yet (bold row, badge)", async () => {
    const { page } = b;
    await b.signInAs(/Tech: Sergey/);
    await page.goto(`${b.base}/support/requests`);
    await page.getByRole('link', { name: 'Не открывается сайт' }).click();
    await page.getByLabel('Answer', { exact: true }).fill('Restarted nginx, please check.');
    await page.getByRole('button', { name: 'Send the answer' }).click();
    await page.waitForURL(/#reply$/);
    await b.signInAs('Войти: Иван Петров');
    await check('/support/requests', 'the list with an unseen answer');
    assert.equal(await page.locator('tr.support-unseen').count(), 1, 'the answered request is shown as new');
  });

  it('has no serious finding on the staff and admin pages', async () => {
    const { page } = b;
    await b.signInAs(/Tech: Sergey/);
    await check('/support/requests', 'the staff queue');
    await page.getByRole('link', { name: 'Не открывается сайт' }).click();
    const found = await violations(page);
    assert.deepEqual(
      found.map((v) => v.id),
      [],
      `the staff request page:\n${describeViolations(found)}`,
    );
    const staffRequest = page.url();
    assert.ok(pictureRequest, 'the customer test made a request with pictures');
    // The walk ends with Client relations; the pictures are Technical's.
    await b.signInAs(/Tech: Sergey/);
    await check(`/support/requests/${pictureRequest}`, 'the staff request page with pictures');
    await page.getByRole('link', { name: 'Open screenshot.png full size' }).click();
    await page.waitForURL(/\/files\/\d+\/view$/);
    const full = await violations(page);
    assert.deepEqual(
      full.map((v) => v.id),
      [],
      `a picture full size (staff):\n${describeViolations(full)}`,
    );
    await page.goto(staffRequest);
    await walkStaffRequestStates(b, async (state) => {
      const seen = await violations(page);
      assert.deepEqual(
        seen.map((v) => v.id),
        [],
        `${state}:\n${describeViolations(seen)}`,
      );
    });
    await b.signInAs(/Администратор/);
    for (const [url, what] of [
      ['/support/requests', 'the admin queue'],
      ['/support/requests?due=soon', 'the queue filtered to overdue or due soon'],
      ['/support/requests/admin/departments', 'departments'],
      ['/support/requests/admin/departments/new', 'a new department'],
      ['/support/requests/admin/canned', 'canned replies'],
      ['/support/requests/admin/canned/new', 'a new canned reply'],
      ['/support/requests/admin/mail', 'the mail queue'],
    ]) {
      await check(url as string, what as string);
    }
    // Held mail: the list and one e-mail, with its forms.
    const held = await b.demo.plugin.receiveMail(
      Buffer.from(
        `From: stranger@unknown.example\r\nTo: ${b.demo.inboundAddress}\r\nSubject: Вопрос\r\n\r\nСколько стоит перенос сайта?\r\n`,
      ),
    );
    assert.equal(held.outcome, 'held');
    await check('/support/requests/admin/held-mail', 'held mail');
    await page.getByRole('link', { name: 'Вопрос' }).click();
    const one = await violations(page);
    assert.deepEqual(
      one.map((v) => v.id),
      [],
      `a held e-mail:\n${describeViolations(one)}`,
    );
  });

  it('has no serious finding on the rating pages', async () => {
    const { page } = b;
    const number = await answeredRequest(b);
    await check(`/support/requests/${number}`, 'the request with the rating block');
    await check(await ratingLink(b, number, 'bad'), 'the rating confirmation page');
    // Sent without a choice: the page comes back with the error next to it.
    await page
      .getByLabel('Плохо')
      .uncheck()
      .catch(() => undefined);
    await page.evaluate(`document.querySelectorAll('input[name=rating]').forEach((i) => { i.checked = false; })`);
    await page.getByRole('button', { name: 'Отправить оценку' }).click();
    await page.getByRole('alert').first().waitFor();
    const refused = await violations(page);
    assert.deepEqual(
      refused.map((v) => v.id),
      [],
      `the refused rating:\n${describeViolations(refused)}`,
    );
    await page.getByLabel('Плохо').check();
    await page.getByRole('button', { name: 'Отправить оценку' }).click();
    await page.waitForURL(/\?rated=1#rating$/);
    const rated = await violations(page);
    assert.deepEqual(
      rated.map((v) => v.id),
      [],
      `the rated request:\n${describeViolations(rated)}`,
    );
    await b.signInAs(/Tech: Sergey/);
    await check(`/support/requests/${number}`, 'the staff request page with a rating');
    await b.signInAs(/Администратор/);
    await check('/support/requests/admin/ratings', 'the ratings page');
    await check('/support/requests/admin/ratings?from=2026-02-30', 'the ratings page with a wrong date');
    // The reports, with the request rated above in its figures, and with a wrong period.
    await check('/support/requests/admin/reports', 'the reports page');
    await check('/support/requests/admin/reports?from=2026-02-30&department=0', 'the reports page with a wrong date and department');
  });

  it('has no serious finding on the merge pages', async () => {
    const { page } = b;
    const [into, from] = await twoRequests(b, ['Сайт отдаёт 502', 'Опять 502 на всех страницах сайта']);
    await toMergeConfirmation(b, from, into);
    const confirm = await violations(page);
    assert.deepEqual(
      confirm.map((v) => v.id),
      [],
      `the merge confirmation page:\n${describeViolations(confirm)}`,
    );
    await check(`/support/requests/${from}/merge?target=${from}&mode=merge`, 'the merge form refused next to the number');
    // The typed number came back with its error; emptied, the list's choice counts again.
    await page.getByLabel('Or another request’s number').fill('');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(/\/merge\?/);
    await page.getByRole('button', { name: `Merge #${from} into #${into}` }).click();
    await page.waitForURL(`${b.base}/support/requests/${into}`);
    await check(`/support/requests/${into}`, 'the staff request page after a merge');
    await b.signInAs('Войти: Иван Петров');
    await check(`/support/requests/${into}`, 'the customer request page after a merge');
  });

  it('has no serious finding on the incident pages and the known-issue banner', async () => {
    const vps = await ivansVpsId(b);
    await declareIncident(b, vps);
    await check(new URL(b.page.url()).pathname, 'an incident');
    await check('/support/requests/incidents', 'the incidents');
    await check('/support/requests/incidents/new', 'the declare form');
    await b.page.getByRole('button', { name: 'Declare an incident' }).click();
    const refused = await violations(b.page);
    assert.deepEqual(
      refused.map((v) => v.id),
      [],
      `the refused declare form:\n${describeViolations(refused)}`,
    );
    await b.signInAs('Войти: Иван Петров');
    await check('/support/requests', 'the list with a known issue');
    await check('/support/requests/new', 'the create form with a known issue');
  });
});
