// The demo panel on a real port with Debian's Chromium (driven by playwright-core) pointed at
// it, and screenshots kept under test-output/ (which git ignores) for a person to look at.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { createDemoApp, type DemoApp } from '../../demo/app';
import { memoryLogger } from '../demo/panel-session';
import { png } from '../support/samples';

const SCREENSHOTS = path.resolve(__dirname, '..', '..', '..', 'test-output', 'screenshots');
/** The README's pictures: taken by these tests, so they show the pages as they are. */
const PICTURES = path.resolve(__dirname, '..', '..', '..', 'docs', 'pictures');

/** Debian's chromium package; CI installs it (.ci/run). Never a downloaded browser build. */
function chromiumPath(): string {
  const file = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (!fs.existsSync(file)) {
    throw new Error(`Chromium not found at ${file}: install it (apt-get install -y chromium; bash .ci/run does) or set CHROMIUM_PATH`);
  }
  return file;
}

export interface BrowserDemo {
  base: string;
  demo: DemoApp;
  page: Page;
  /** Saves a full-page screenshot as test-output/screenshots/<name>.png. */
  shot(name: string): Promise<void>;
  /** The same, then the page at a phone's width (390 px) as `phoneName` (`<name>-phone`); the viewport is put back. */
  shotWithPhone(name: string, phoneName?: string): Promise<void>;
  /** Saves a full-page screenshot as docs/pictures/<name>.png, one of the README's pictures. */
  picture(name: string): Promise<void>;
  /** Signs out (if signed in) and signs in with the button of this account. */
  signInAs(account: RegExp | string): Promise<void>;
  /** On the (Russian) create form: fills subject and message for Technical and sends it. */
  submitTechnicalRequest(subject: string, message: string): Promise<void>;
  /** On the (Russian) create form: Technical chosen, a payment question typed, and the department hint that comes up. */
  askPaymentInTechnical(): Promise<Locator>;
  /** Fills the create form for an emergency, with a file (the department is chosen by the test). */
  fillEmergency(): Promise<void>;
  close(): Promise<void>;
}

/** The desktop the pages are judged at; tests that look at a phone set 320 px for a while. */
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

/** `now`: the plugin's clock, e.g. a TestClock the test moves forward. The page starts at 1280 × 800. */
export async function startBrowserDemo(options: { now?: () => number } = {}): Promise<BrowserDemo> {
  const executablePath = chromiumPath();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'panel-browser-'));
  // Listen first, so the panel's links in e-mails carry the real port.
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const base = `http://127.0.0.1:${port}`;
  let demo: DemoApp | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  const close = async () => {
    await context?.close();
    await browser?.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await demo?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    demo = await createDemoApp({
      dataDir,
      port,
      mail: { catcherPort: 0 },
      mx: { port: 0 },
      logger: memoryLogger(),
      ...(options.now ? { now: options.now } : {}),
    });
    server.on('request', demo.app);
    browser = await chromium.launch({ executablePath, headless: true });
    context = await browser.newContext({ locale: 'ru-RU', acceptDownloads: true, viewport: DESKTOP });
    const page = await context.newPage();
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    const shot = async (name: string) => {
      await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
    };
    return {
      base,
      demo,
      page,
      close,
      shot,
      async shotWithPhone(name, phoneName = `${name}-phone`) {
        const size = page.viewportSize() ?? DESKTOP;
        await shot(name);
        await page.setViewportSize(PHONE);
        await shot(phoneName);
        await page.setViewportSize(size);
      },
      async picture(name) {
        fs.mkdirSync(PICTURES, { recursive: true });
        await page.screenshot({ path: path.join(PICTURES, `${name}.png`), fullPage: true });
      },
      async fillEmergency() {
        await page.getByLabel('Тема').fill('Сервер недоступен');
        await page.getByLabel('Сообщение').fill('С 09:40 VPS не отвечает ни по SSH, ни по HTTP.');
        await page
          .getByLabel('Файлы')
          .setInputFiles([{ name: 'ping-with-a-rather-long-name-2026-01-12.png', mimeType: 'image/png', buffer: png }]);
      },
      async submitTechnicalRequest(subject, message) {
        await page.getByLabel('Тема').fill(subject);
        await page.getByLabel('Технический отдел', { exact: true }).check();
        await page.getByLabel('Сообщение').fill(message);
        await page.getByRole('button', { name: 'Создать запрос' }).click();
        await page.waitForURL(/\/support\/requests\/\d+\?created=1$/);
      },
      async askPaymentInTechnical() {
        await page.getByLabel('Технический отдел', { exact: true }).check();
        await page.getByLabel('Тема').fill('Не проходит оплата');
        await page.getByLabel('Сообщение').fill('Пытаюсь пополнить баланс картой, платёж отклоняется.');
        const hint = page.locator('#department-hint').getByText('Похоже на вопрос об оплате');
        await hint.waitFor();
        return page.locator('#department-hint');
      },
      async signInAs(account) {
        await page.goto(`${base}/login`);
        const signOut = page.getByRole('button', { name: /Выйти|Sign out/ });
        if ((await signOut.count()) > 0) {
          await signOut.click();
          await page.waitForURL(`${base}/login`);
        }
        await page.getByRole('button', { name: account }).click();
        await page.waitForURL(`${base}/services`);
      },
    };
  } catch (err) {
    await close();
    throw err;
  }
}

/**
 * The staff request page's states beyond its first look, for the accessibility and phone-width
 * checks: starting signed in as Tech (English) on one of Ivan's (Russian) requests, a canned reply
 * in another language inserted (its warning), then the request transferred to Client relations
 * and opened there (the banner), and the note tab. `visit` runs at each state, named.
 */
export async function walkStaffRequestStates(b: BrowserDemo, visit: (state: string) => Promise<void>): Promise<void> {
  const { page } = b;
  const number = /\/(\d+)(?:[?#].*)?$/.exec(page.url())?.[1] as string;
  await page.getByLabel('Canned reply').selectOption({ label: 'We need more details (EN)' });
  await page.getByRole('button', { name: 'Insert' }).click();
  await page.locator('[data-canned-language]').waitFor();
  await visit('staff-request-canned-warning');
  await page.getByLabel('Transfer to').selectOption({ label: 'Client relations' });
  await page.getByLabel(/^Reason/).fill('The customer asks about a refund for the whole year, see the second message');
  await page.getByRole('button', { name: 'Transfer', exact: true }).click();
  await page.waitForURL(/transferred=/);
  await b.signInAs(/Ольга/);
  await page.goto(`${b.base}/support/requests/${number}`);
  await page.locator('[data-transfer-banner]').waitFor();
  await visit('staff-request-transferred');
  await page.getByText('Внутренняя заметка', { exact: true }).click();
  await page.getByLabel('Заметка', { exact: true }).waitFor();
  await visit('staff-request-note');
}
