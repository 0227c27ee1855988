// Pictures in a real Chromium on the demo panel: the customer and staff see thumbnails in the
// thread, a thumbnail opens the picture full size on a page of the panel (plain links, no
// script), and the picture opened alone still shows under its closed Content-Security-Policy.
// Screenshots: pictures-*.png at 1280 px and at a phone's width, in Russian (the customer) and
// English (staff).
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { startBrowserDemo, type BrowserDemo } from './harness';
import { decodedWidth, submitRequestWithPictures } from './picture-request';

const subject = `Ошибка после обновления ${Date.now()}`;

/** Widths of the thread's thumbnails: as the page shows them (CSS pixels) and as the browser decoded them. */
async function thumbnailWidths(page: Page): Promise<{ shown: number[]; decoded: number[] }> {
  const thumbnails = page.locator('.support-thumbnail img');
  const widths = { shown: [] as number[], decoded: [] as number[] };
  for (const img of await thumbnails.all()) {
    // They load lazily: as they come into view.
    await img.scrollIntoViewIfNeeded();
    widths.decoded.push(await decodedWidth(img));
    widths.shown.push(Math.round((await img.boundingBox())?.width ?? 0));
  }
  return widths;
}

/** The two pictures of the request: shown within 320 × 240, made at twice that for 2× screens. */
const PICTURE_WIDTHS = { shown: [320, 144], decoded: [640, 288] };

describe('pictures in a real browser', function () {
  this.timeout(60_000);
  let b: BrowserDemo;
  let number = '';

  before(async () => {
    b = await startBrowserDemo();
  });
  after(() => b?.close());

  /** Screenshots of the page at 1280 px (`pictures-<name>`) and at a phone's width (`pictures-<name>-phone`). */
  const shots = (name: string) => b.shotWithPhone(`pictures-${name}`);

  it('shows the customer thumbnails, and one opens the picture full size with the way back', async () => {
    const { page, base } = b;
    await b.signInAs('Войти: Иван Петров');
    number = await submitRequestWithPictures(b, subject);
    const pictures = page.getByRole('list', { name: 'Изображения' });
    assert.deepEqual(await thumbnailWidths(page), PICTURE_WIDTHS, 'both pictures show, fitted in 320 × 240, sharp at 2×');
    assert.deepEqual(await page.getByRole('list', { name: 'Файлы' }).getByRole('link').allTextContents(), ['error.log']);
    await shots('customer-ru');

    await pictures.getByRole('link', { name: 'Открыть фото-экрана.jpg в полном размере' }).click();
    await page.waitForURL(/\/files\/\d+\/view$/);
    const full = page.getByRole('img', { name: 'фото-экрана.jpg' });
    assert.equal(await decodedWidth(full), 1600);
    assert.ok(await page.getByRole('link', { name: /^Скачать \(/ }).isVisible(), 'the page offers the download');
    await shots('full-ru');

    // Opened alone, the picture shows: its policy lets the image document show it and nothing else.
    const alone = `${page.url().replace(/\/view$/, '/inline')}`;
    const response = await page.goto(alone);
    assert.equal(response?.headers()['content-type'], 'image/jpeg');
    assert.equal(await decodedWidth(page.locator('img')), 1600);

    await page.goto(`${base}/support/requests/${number}`);
    await page.getByRole('link', { name: 'Открыть screenshot.png в полном размере' }).click();
    await page.getByRole('link', { name: `Назад к запросу №${number}` }).click();
    await page.waitForURL(`${base}/support/requests/${number}`);
  });

  it('shows staff the thumbnails and the full-size page', async () => {
    assert.ok(number, 'the request was created in the test before');
    const { page, base } = b;
    await b.signInAs(/Tech: Sergey/);
    await page.goto(`${base}/support/requests/${number}`);
    assert.deepEqual(await thumbnailWidths(page), PICTURE_WIDTHS);
    await shots('staff-en');
    await page.getByRole('link', { name: 'Open screenshot.png full size' }).click();
    await page.waitForURL(/\/files\/\d+\/view$/);
    assert.equal(await decodedWidth(page.getByRole('img', { name: 'screenshot.png' })), 300);
    assert.ok(await page.getByRole('link', { name: `Back to request #${number}` }).isVisible());
    await shots('full-en');
  });
});
