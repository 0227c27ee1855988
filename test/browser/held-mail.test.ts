// The admin's Held mail pages in a real Chromium on the demo panel, at a desktop width and a
// phone's, in Russian and English: the list and one held e-mail read without sideways scrolling,
// show the reason in words, and the discard button works. Screenshots
// land in test-output/screenshots/held-*.png for a person to look at.
import assert from 'node:assert/strict';
import { startBrowserDemo, type BrowserDemo } from './harness';
import { picture } from '../support/pictures';
import { mailWithFiles } from '../support/mail-message';
import { decodedWidth } from './picture-request';

const WIDTHS = { desktop: 1280, phone: 320 } as const;

describe('held mail in a real browser', function () {
  this.timeout(90_000);
  let b: BrowserDemo;
  before(async () => {
    b = await startBrowserDemo();
    // A stranger writes to the support address, and a customer writes with a long line and a file.
    const to = b.demo.inboundAddress;
    const stranger = mailWithFiles(
      {
        From: '"Пётр Сидоров" <petr.sidorov@unknown-company.example>',
        To: to,
        Subject: 'Хотим перенести сайт к вам — сколько стоит и сколько займёт по времени?',
        'Message-ID': '<browser-held-1@unknown-company.example>',
        Date: 'Thu, 26 Nov 2026 09:41:00 +0300',
      },
      [
        'Здравствуйте!',
        '',
        'У нас интернет-магазин на https://unknown-company.example/catalog/very/long/path/without/any/break/at/all, около 20 ГБ.',
        'Подскажите, пожалуйста, сколько стоит перенос и сколько он займёт.',
        '',
        '--',
        'Пётр',
      ].join('\r\n'),
      [
        {
          type: 'application/pdf',
          filename: 'техническое-задание-на-перенос-сайта-версия-2.pdf',
          content: Buffer.from('%PDF-1.4\n%%EOF\n'),
        },
        { type: 'image/png', filename: 'ошибка-на-сайте.png', content: await picture('png', 1200, 700) },
      ],
    );
    const outcome = await b.demo.plugin.receiveMail(stranger);
    assert.equal(outcome.outcome, 'held');
  });
  after(() => b?.close());

  /** The page's content wider than the window means the reader has to scroll sideways. */
  async function assertFits(name: string): Promise<void> {
    const { content, window } = (await b.page.evaluate(`({
      content: document.documentElement.scrollWidth,
      window: document.documentElement.clientWidth,
    })`)) as { content: number; window: number };
    await b.shot(name);
    assert.ok(content <= window, `${name}: content is ${content}px wide in a ${window}px window`);
  }

  async function language(code: 'ru' | 'en'): Promise<void> {
    await b.page.locator(`form[action="/language"] button[value="${code}"]`).click();
    await b.page.waitForLoadState();
  }

  it('shows the list and one e-mail in Russian and English, at 1280 px and on a phone', async () => {
    const { page, base } = b;
    await b.signInAs(/Администратор/);
    for (const lang of ['ru', 'en'] as const) {
      await page.goto(`${base}/support/requests`);
      await language(lang);
      const title = lang === 'ru' ? 'Задержанные письма' : 'Held mail';
      for (const [width, px] of Object.entries(WIDTHS)) {
        await page.setViewportSize({ width: px, height: 900 });
        await page.goto(`${base}/support/requests`);
        // The admin's queue links the page, with how many e-mails wait.
        const link = page.getByRole('link', { name: new RegExp(`^${title}`) });
        assert.equal((await link.textContent())?.replace(/\s+/g, ' ').trim(), `${title} 1`);
        if (width === 'desktop') await b.shot(`held-queue-link-${lang}`);
        await link.click();
        await page.waitForURL(`${base}/support/requests/admin/held-mail`);
        const reason = lang === 'ru' ? 'Отправитель не является клиентом панели' : 'The sender is not a customer of the panel';
        assert.ok(await page.getByText(reason).isVisible(), `${lang} ${width}: the reason in words`);
        await assertFits(`held-list-${lang}-${width}`);
        if (lang === 'ru' && width === 'desktop') await b.picture('admin-held-mail');
        await page.getByRole('link', { name: /Хотим перенести сайт/ }).click();
        await page.waitForURL(/\/admin\/held-mail\/\d+$/);
        assert.ok(await page.getByText('техническое-задание-на-перенос-сайта-версия-2.pdf').isVisible());
        // The picture it carries shows, made from the e-mail: the admin sees it before deciding.
        const thumbnail = page.getByRole('img', { name: 'ошибка-на-сайте.png' });
        await thumbnail.scrollIntoViewIfNeeded();
        assert.equal(await decodedWidth(thumbnail), 640, `${lang} ${width}: the thumbnail shows`);
        await assertFits(`held-message-${lang}-${width}`);
        if (lang === 'en' && width === 'desktop') await b.picture('admin-held-message');
      }
    }
  });

  it('discards with the page’s plain form, and says so', async () => {
    const { page, base } = b;
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${base}/support/requests/admin/held-mail`);
    await language('en');
    await page.getByRole('link', { name: /Хотим перенести сайт/ }).click();
    await page.getByRole('button', { name: 'Discard the e-mail' }).click();
    await page.waitForURL(`${base}/support/requests/admin/held-mail?discarded=1`);
    assert.ok(await page.getByText('The e-mail is discarded.').isVisible());
    assert.ok(await page.getByText('No e-mail is held.').isVisible());
  });

  it('marks a request opened by e-mail on the staff page, and shows its original as text', async () => {
    const { page, base } = b;
    const [local, domain] = b.demo.inboundAddress.split('@');
    const opened = await b.demo.plugin.receiveMail(
      Buffer.from(
        [
          'From: Иван Петров <ivan@example.ru>',
          `To: ${local}+technical@${domain}`,
          'Subject: Не работает SSH',
          'Message-ID: <browser-opened-1@example.ru>',
          'Content-Type: text/plain; charset=utf-8',
          'Content-Transfer-Encoding: 8bit',
          '',
          'С утра не пускает по SSH: Connection refused.',
          '',
        ].join('\r\n'),
      ),
    );
    assert.equal(opened.outcome, 'opened');
    await b.signInAs(/Tech: Sergey/);
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${base}/support/requests/${opened.ticketNumber}`);
    assert.ok(await page.getByText('by e-mail', { exact: true }).isVisible());
    await b.shot('held-staff-emailed-message');
    await page.getByRole('link', { name: 'View the original e-mail' }).click();
    await page.waitForURL(/\/messages\/\d+\/original$/);
    assert.match(await page.locator('body').innerText(), /Message-ID: <browser-opened-1@example\.ru>/);
  });
});
