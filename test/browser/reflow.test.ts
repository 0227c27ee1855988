// WCAG 1.4.10 Reflow: at 320 CSS pixels wide (a small phone) every plugin page reads without
// sideways scrolling: lists turn into cards, the filters and forms wrap. Screenshots of each
// page land in test-output/screenshots/phone-*.png for a person to look at.
import assert from 'node:assert/strict';
import { startBrowserDemo, walkStaffRequestStates, type BrowserDemo } from './harness';
import { submitRequestWithPictures } from './picture-request';
import { answeredRequest, ratingLink } from './rating-steps';
import { toMergeConfirmation, twoRequests } from './merge-steps';
import { declareIncident, ivansVpsId } from './incident-steps';

describe('the plugin pages on a phone (320 px, no sideways scrolling)', function () {
  this.timeout(90_000);
  let b: BrowserDemo;
  /** The number of the customer's request with pictures, for the staff to look at. */
  let pictureRequest = '';
  before(async () => {
    b = await startBrowserDemo();
    await b.page.setViewportSize({ width: 320, height: 640 });
  });
  after(() => b?.close());

  /** The page's content wider than the window means the reader has to scroll sideways. */
  async function assertFits(name: string, url?: string): Promise<void> {
    if (url !== undefined) await b.page.goto(`${b.base}${url}`);
    // Runs in the page (a string, as the plugin's TypeScript has no DOM types).
    const { content, window, scrollingLists } = (await b.page.evaluate(`({
      content: document.documentElement.scrollWidth,
      window: document.documentElement.clientWidth,
      // A list turned into cards must not hide a sideways scroll in it, or a value cut off.
      scrollingLists: [...document.querySelectorAll('.support-stack, .support-stack td')]
        .filter((box) => box.scrollWidth > box.clientWidth).length,
    })`)) as { content: number; window: number; scrollingLists: number };
    await b.shot(`phone-${name}`);
    assert.ok(content <= window, `${name}: content is ${content}px wide in a ${window}px window`);
    assert.equal(scrollingLists, 0, `${name}: a list (or a value in it) is wider than its card`);
  }

  it('fits the customer pages', async () => {
    const { page } = b;
    await b.signInAs('Войти: Иван Петров');
    await page.goto(`${b.base}/support/requests/new`);
    await b.submitTechnicalRequest(
      'Не открывается сайт',
      'С утра сайт отдаёт 502 на всех страницах, адрес https://example.com/a/very/long/path/without/any/break/at/all',
    );
    await assertFits('customer-request');
    await assertFits('customer-close', `${new URL(page.url()).pathname}/close`);
    await assertFits('customer-list', '/support/requests');
    await assertFits('customer-form', '/support/requests/new');
    await b.askPaymentInTechnical();
    await assertFits('customer-form-hint');
    await page.goto(`${b.base}/support/requests/new`);
    // Sent to Emergency without the checkbox: the question, with the file kept.
    await page.getByLabel('Аварийная служба', { exact: true }).check();
    await b.fillEmergency();
    await page.getByRole('button', { name: 'Создать запрос' }).click();
    await page.getByRole('button', { name: 'Да, это авария — отправить' }).waitFor();
    await assertFits('customer-emergency-confirm');
    pictureRequest = await submitRequestWithPictures(b, 'Ошибка после обновления');
    await assertFits('customer-request-pictures');
    await page.getByRole('link', { name: 'Открыть фото-экрана.jpg в полном размере' }).click();
    await page.waitForURL(/\/files\/\d+\/view$/);
    await assertFits('customer-picture-full');
    await assertFits('customer-list-filtered', `/support/requests/?q=${encodeURIComponent('сайт')}&status=open`);
    await assertFits(
      'customer-list-no-match',
      `/support/requests/?q=${encodeURIComponent('очень-длинное-слово-без-пробелов-которое-не-найдётся')}&status=closed`,
    );
  });

  it('fits the staff and admin pages', async () => {
    const { page } = b;
    await b.signInAs(/Tech: Sergey/);
    await assertFits('staff-queue', '/support/requests');
    await page.getByRole('link', { name: 'Не открывается сайт' }).click();
    await assertFits('staff-request');
    const staffRequest = page.url();
    // An answer, so the customer's list has a bold row with its last reply, on a phone too.
    await page.getByLabel('Answer', { exact: true }).fill('Restarted nginx, please check.');
    await page.getByRole('button', { name: 'Send the answer' }).click();
    await page.waitForURL(/#reply$/);
    await b.signInAs('Войти: Иван Петров');
    await assertFits('customer-list-unseen', '/support/requests');
    assert.equal(await page.locator('tr.support-unseen').count(), 1);
    await b.signInAs(/Tech: Sergey/);
    assert.ok(pictureRequest, 'the customer test made a request with pictures');
    // The walk ends with Client relations; the pictures are Technical's.
    await b.signInAs(/Tech: Sergey/);
    await assertFits('staff-request-pictures', `/support/requests/${pictureRequest}`);
    await page.goto(staffRequest);
    await walkStaffRequestStates(b, (state) => assertFits(state));
    await b.signInAs(/Администратор/);
    await assertFits('admin-queue-due-soon', '/support/requests?due=soon');
    await assertFits('admin-departments', '/support/requests/admin/departments');
    await assertFits('admin-department-form', '/support/requests/admin/departments/new');
    await assertFits('admin-canned', '/support/requests/admin/canned');
    await assertFits('admin-mail', '/support/requests/admin/mail');
    await assertFits('admin-held-mail', '/support/requests/admin/held-mail');
  });

  it('fits the rating pages', async () => {
    const { page } = b;
    const number = await answeredRequest(b);
    await assertFits('customer-rating', `/support/requests/${number}`);
    await assertFits('customer-rate-confirm', await ratingLink(b, number, 'bad'));
    await page.getByLabel('Комментарий (необязательно)').fill('Очень-очень-длинное-слово-без-пробелов-которое-должно-переноситься-само');
    await page.getByRole('button', { name: 'Отправить оценку' }).click();
    await page.waitForURL(/\?rated=1#rating$/);
    await assertFits('customer-rated');
    await b.signInAs(/Tech: Sergey/);
    await assertFits('staff-request-rated', `/support/requests/${number}`);
    await b.signInAs(/Администратор/);
    await assertFits('admin-ratings', '/support/requests/admin/ratings');
    await assertFits('admin-reports', '/support/requests/admin/reports');
  });

  it('fits the merge pages', async () => {
    const [into, from] = await twoRequests(b, ['Сайт отдаёт 502', 'Опять 502 на всех страницах сайта']);
    await toMergeConfirmation(b, from, into);
    await assertFits('staff-merge-confirm');
    await b.page.getByRole('button', { name: `Merge #${from} into #${into}` }).click();
    await b.page.waitForURL(`${b.base}/support/requests/${into}`);
    await assertFits('staff-request-merged');
    await b.signInAs('Войти: Иван Петров');
    await assertFits('customer-request-merged', `/support/requests/${into}`);
  });

  it('fits the incident pages and the known-issue banner', async () => {
    await declareIncident(b, await ivansVpsId(b));
    await assertFits('staff-incident');
    await assertFits('staff-incidents', '/support/requests/incidents');
    await assertFits('staff-incident-new', '/support/requests/incidents/new');
    await b.signInAs('Войти: Иван Петров');
    await assertFits('customer-list-incident', '/support/requests');
    await assertFits('customer-form-incident', '/support/requests/new');
  });
});
