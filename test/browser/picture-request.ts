// A request with pictures in its thread, made through the customer's form, for the browser tests
// that look at thumbnails and the full-size page (flow, axe, 320 px reflow); and a picture's
// width as the browser decoded it.
import type { Locator } from 'playwright-core';
import { picture } from '../support/pictures';
import type { BrowserDemo } from './harness';

/** A picture's width as the browser decoded it (0: it does not show). */
export const decodedWidth = (img: Locator): Promise<number> =>
  img.evaluate(async (element) => {
    const loaded = element as unknown as { decode(): Promise<void>; naturalWidth: number };
    await loaded.decode().catch(() => {});
    return loaded.naturalWidth;
  });

/** As the signed-in (Russian) customer: a Technical request with a photo, a screenshot and a log. Returns its number. */
export async function submitRequestWithPictures(b: BrowserDemo, subject: string): Promise<string> {
  const { page, base } = b;
  await page.goto(`${base}/support/requests/new`);
  await page.getByLabel('Тема').fill(subject);
  await page.getByLabel('Технический отдел', { exact: true }).check();
  await page.getByLabel('Сообщение').fill('После обновления панели сайт показывает ошибку. Фото экрана, скриншот и журнал приложены.');
  await page.getByLabel('Файлы').setInputFiles([
    { name: 'фото-экрана.jpg', mimeType: 'image/jpeg', buffer: await picture('jpeg', 1600, 1200, true) },
    { name: 'screenshot.png', mimeType: 'image/png', buffer: await picture('png', 300, 500) },
    { name: 'error.log', mimeType: 'text/plain', buffer: Buffer.from('PHP Fatal error: Allowed memory size exhausted\n') },
  ]);
  await page.getByRole('button', { name: 'Создать запрос' }).click();
  await page.waitForURL(/\/support\/requests\/\d+\?created=1$/);
  return /\/(\d+)\?created=1$/.exec(page.url())?.[1] as string;
}
