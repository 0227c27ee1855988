// What a request page with photos weighs in the browser: a customer opens a request with five
// photos of 2–4 MB, and the page is loaded as a browser loads it (the HTML, its stylesheet and
// every picture it shows). Printed: the page with thumbnails, as the plugin shows it, next to the
// same page if it showed the photos themselves, and the ratio; then the time of the first view
// (when the thumbnails are made) and of the next one (when they are kept).
//
//   npm run build && node dist/bench/page-weight.js
//   PHOTOS=3 node dist/bench/page-weight.js
//
// Runs in one process on 127.0.0.1 over real HTTP, against the plugin in the bench host, on a
// new SQLite file (or DATABASE_URL). The photos are made with sharp (see photo()).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { closeServer, excerpt, runMain } from './common';
import { openDatabase } from './database';
import { httpClient, listen, multipart, type HttpClient } from './http-client';
import { signIn, startHost } from './bench-host';

const PHOTOS = Number(process.env.PHOTOS ?? 5);
const TARGET_BYTES = 4 * 1024 * 1024;

/**
 * A photo-sized JPEG (2200 × 1650 to 2600 × 1950, quality 92) of 2–4 MB: fine noise for a
 * camera's weight over coarse blotches, so that its thumbnail has a photo's detail too.
 */
async function photo(i: number): Promise<Buffer> {
  const width = 2200 + (i % 5) * 100;
  const height = (width * 3) / 4;
  const noise = (w: number, h: number, sigma: number) =>
    sharp({ create: { width: w, height: h, channels: 3, background: '#777', noise: { type: 'gaussian', mean: 128, sigma } } });
  const blotches = await noise(400, 300, 70).resize(width, height, { kernel: 'cubic' }).png().toBuffer();
  return noise(width, height, 25)
    .composite([{ input: blotches, blend: 'overlay' }])
    .jpeg({ quality: 92 })
    .toBuffer();
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MB`;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

/** Bytes of every address, fetched one after another as the session's browser would. */
async function weigh(client: HttpClient, base: string, cookie: string, paths: string[]): Promise<number> {
  let total = 0;
  for (const address of paths) {
    const reply = await client.send(`${base}${address}`, 'GET', { Cookie: cookie });
    if (reply.status !== 200) throw new Error(`GET ${address} answered ${reply.status}: ${excerpt(reply.text)}`);
    total += Number(reply.headers['content-length']);
  }
  return total;
}

async function main(): Promise<number> {
  const db = openDatabase(4, 'support-bench-weight-');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'support-bench-weight-data-'));
  const client = httpClient(4);
  const tablePrefix = `w${Date.now().toString(36).slice(-7)}_`;
  const host = await startHost({
    knex: db.knex,
    tablePrefix,
    dataDir,
    users: [
      { key: 'ivan', user: { id: 'c-ivan', role: 'client', name: 'Иван Петров', email: 'ivan@example.ru', locale: 'ru' }, services: [] },
    ],
  });
  const { server, base } = await listen(host.app);
  try {
    await host.plugin.migrate();
    const cookie = await signIn(client, base, 'ivan');
    const form = await client.send(`${base}${host.plugin.mountPath}/new`, 'GET', { Cookie: cookie });
    const action = /action="([^"]*\?_csrf=[^"]+)"/.exec(form.text)?.[1]?.replace(/&amp;/g, '&');
    const departmentId = /name="departmentId" value="(\d+)"/.exec(form.text)?.[1];
    if (!action || !departmentId) throw new Error(`no create form: ${excerpt(form.text)}`);

    const photos = await Promise.all(Array.from({ length: PHOTOS }, (_, i) => photo(i)));
    const oversized = photos.filter((p) => p.length > TARGET_BYTES).length;
    console.log(`node ${process.version}, ${os.platform()} ${os.arch()}, ${os.cpus().length} CPUs; ${db.description}`);
    console.log(`photos: ${photos.map((p) => mb(p.length)).join(', ')}${oversized ? ` (${oversized} over 4 MB)` : ''}`);
    const { body, contentType } = multipart([
      { name: 'subject', value: 'Ошибка на сайте после обновления' },
      { name: 'serviceId', value: '' },
      { name: 'departmentId', value: departmentId },
      { name: 'message', value: 'Фотографии экрана приложены.' },
      ...photos.map((data, i) => ({ name: 'files', value: { filename: `photo-${i + 1}.jpg`, contentType: 'image/jpeg', data } })),
    ]);
    const created = await client.send(`${base}${action}`, 'POST', { Cookie: cookie, 'Content-Type': contentType }, body);
    const ticketPath = String(created.headers.location ?? '').replace(/\?.*$/, '');
    if (created.status !== 303 || !ticketPath) throw new Error(`create answered ${created.status}: ${excerpt(created.text)}`);

    let started = performance.now();
    const page = await client.send(`${base}${ticketPath}`, 'GET', { Cookie: cookie });
    const firstView = performance.now() - started;
    started = performance.now();
    await client.send(`${base}${ticketPath}`, 'GET', { Cookie: cookie });
    const nextView = performance.now() - started;

    const html = Buffer.byteLength(page.text);
    const stylesheet = /<link rel="stylesheet" href="([^"]+)"/.exec(page.text)?.[1] as string;
    const thumbnails = [...page.text.matchAll(/<img src="([^"]+)"/g)].map((m) => m[1] as string);
    if (thumbnails.length !== PHOTOS) throw new Error(`the page shows ${thumbnails.length} pictures, not ${PHOTOS}`);
    const css = await weigh(client, base, cookie, [stylesheet]);
    const thumbnailBytes = await weigh(client, base, cookie, thumbnails);
    const fullBytes = await weigh(
      client,
      base,
      cookie,
      thumbnails.map((t) => t.replace(/\/thumbnail$/, '/inline')),
    );
    const withThumbnails = html + css + thumbnailBytes;
    const withPhotos = html + css + fullBytes;
    console.log(`HTML ${kb(html)}, stylesheet ${kb(css)}`);
    console.log(`page with thumbnails: ${kb(withThumbnails)} (thumbnails ${kb(thumbnailBytes)}, ${kb(thumbnailBytes / PHOTOS)} each)`);
    console.log(`page with the photos themselves: ${mb(withPhotos)} (photos ${mb(fullBytes)})`);
    console.log(
      `ratio: the page with thumbnails weighs 1/${Math.round(withPhotos / withThumbnails)} of the one with photos (${((100 * withThumbnails) / withPhotos).toFixed(2)} %)`,
    );
    console.log(
      `server time of the page: first view ${firstView.toFixed(0)} ms (thumbnails made), next view ${nextView.toFixed(0)} ms (kept)`,
    );
    return host.errorsLogged.length > 0 ? 1 : 0;
  } finally {
    client.destroy();
    await closeServer(server);
    await host.plugin.close();
    if (db.kind !== 'sqlite') await host.plugin.rollback();
    await db.knex.destroy();
    fs.rmSync(dataDir, { recursive: true, force: true });
    if (db.tempDir) fs.rmSync(db.tempDir, { recursive: true, force: true });
  }
}

runMain(main);
