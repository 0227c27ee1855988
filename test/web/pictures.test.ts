// Pictures in the thread: PNG, JPEG, GIF and WebP (by content, as the decoder agrees) show as
// thumbnails and open full size; anything else, a fake, a broken picture or a bomb stays a download.
// Each picture address answers only whoever may download the file.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import sharp from 'sharp';
import { forEachDatabase } from '../support/databases';
import { startPlugin, type TestAgent, type TestPlugin } from '../support/test-host';
import { createTicket } from '../support/tickets';
import { animatedGif, picture, pngBomb, sidewaysPhoto, type PictureFormat } from '../support/pictures';
import { FileStorage } from '../../src/files/storage';

const PICTURE_POLICY = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox";

interface Posted {
  number: string;
  /** The file's download address under the plugin, e.g. /12345678/files/3. */
  file: string;
  page: string;
  storageKey: string;
}

forEachDatabase('pictures in the thread', (db) => {
  let t: TestPlugin;
  before(async () => {
    t = await startPlugin(db);
  });
  after(() => t.close());

  /** A new request of Ivan's with one file; its page as Ivan sees it. */
  async function post(content: Buffer, name: string): Promise<Posted> {
    const ivan = t.as('ivan');
    const number = await createTicket(t, ivan, { files: [[content, name]] });
    const row = await t.knex(t.tables.attachments).orderBy('id', 'desc').first();
    const page = await ivan.get(`/${number}`);
    assert.equal(page.status, 200);
    return { number, file: `/${number}/files/${row.id}`, page: page.text, storageKey: row.storage_key };
  }

  const thumbnailOf = (page: string, file: string) =>
    new RegExp(
      `<a class="support-thumbnail" href="/support/requests${file}/view" aria-label="[^"]+"><img src="/support/requests${file}/thumbnail" alt="([^"]*)" width="(\\d+)" height="(\\d+)" loading="lazy" decoding="async"></a>`,
    ).exec(page);

  /** The thread shows the file as a download only: its name links to the download, no picture anywhere. */
  async function assertDownloadOnly(as: TestAgent, { page, file }: Posted, name: string) {
    assert.equal(thumbnailOf(page, file), null);
    assert.doesNotMatch(page, /<img /);
    assert.match(
      page,
      new RegExp(`<ul class="support-attachments"[^>]*>\\s*<li><a href="/support/requests${file}">${name.replace(/\./g, '\\.')}</a>`),
    );
    const thumbnail = await as.get(`${file}/thumbnail`);
    assert.equal(thumbnail.status, 404);
    const inline = await as.get(`${file}/inline`);
    assert.equal(inline.status, 200);
    assert.match(String(inline.headers['content-disposition']), /^attachment; filename=/);
    assert.equal(inline.headers['content-security-policy'], "default-src 'none'; sandbox");
    const view = await as.get(`${file}/view`);
    assert.equal(view.status, 303);
    assert.equal(view.headers.location, `/support/requests${file}`);
  }

  const formats: Array<[PictureFormat, string]> = [
    ['png', 'image/png'],
    ['jpeg', 'image/jpeg'],
    ['gif', 'image/gif'],
    ['webp', 'image/webp'],
  ];
  for (const [format, type] of formats) {
    it(`shows a ${format.toUpperCase()} as a thumbnail, serves it inline with exact headers and opens it full size`, async () => {
      const content = await picture(format, 640, 480);
      const name = `экран.${format === 'jpeg' ? 'jpg' : format}`;
      const posted = await post(content, name);
      const ivan = t.as('ivan');

      const thumb = thumbnailOf(posted.page, posted.file);
      assert.ok(thumb, 'the thread shows a thumbnail linked to the full-size page');
      assert.deepEqual(thumb.slice(1), [name, '320', '240']);
      // The thumbnail's link says where it leads; the name next to it downloads, as for any file.
      assert.match(thumb[0], new RegExp(`aria-label="Открыть ${name} в полном размере"`));
      assert.match(posted.page, new RegExp(`<span><a href="/support/requests${posted.file}">${name}</a> <span class="muted">\\(`));

      const thumbnail = await ivan.get(`${posted.file}/thumbnail`);
      assert.equal(thumbnail.status, 200);
      const body = thumbnail.body as Buffer;
      assert.deepEqual(
        {
          'content-type': thumbnail.headers['content-type'],
          'content-disposition': thumbnail.headers['content-disposition'],
          'content-length': thumbnail.headers['content-length'],
          'x-content-type-options': thumbnail.headers['x-content-type-options'],
          'content-security-policy': thumbnail.headers['content-security-policy'],
          'cross-origin-resource-policy': thumbnail.headers['cross-origin-resource-policy'],
          'cache-control': thumbnail.headers['cache-control'],
        },
        {
          'content-type': 'image/webp',
          // The name without its extension, ASCII-safe with its UTF-8 form beside it.
          'content-disposition': `inline; filename="?????-thumbnail.webp"; filename*=UTF-8''%D1%8D%D0%BA%D1%80%D0%B0%D0%BD-thumbnail.webp`,
          'content-length': String(body.length),
          'x-content-type-options': 'nosniff',
          'content-security-policy': PICTURE_POLICY,
          'cross-origin-resource-policy': 'same-origin',
          'cache-control': 'private, max-age=3600',
        },
      );
      // Made at twice the size the page shows it, so it stays sharp on a 2× screen.
      const meta = await sharp(body).metadata();
      assert.deepEqual([meta.format, meta.width, meta.height, meta.exif], ['webp', 640, 480, undefined]);

      const inline = await ivan.get(`${posted.file}/inline`);
      assert.equal(inline.status, 200);
      assert.equal(inline.headers['content-type'], type);
      assert.match(String(inline.headers['content-disposition']), /^inline; filename="/);
      assert.equal(inline.headers['content-length'], String(content.length));
      assert.equal(inline.headers['x-content-type-options'], 'nosniff');
      assert.equal(inline.headers['content-security-policy'], PICTURE_POLICY);
      assert.deepEqual(inline.body, content);

      const view = await ivan.get(`${posted.file}/view`);
      assert.equal(view.status, 200);
      assert.match(view.text, new RegExp(`<img src="/support/requests${posted.file}/inline" alt="${name}" width="640" height="480">`));
      assert.match(view.text, new RegExp(`<a href="/support/requests/${posted.number}">&larr; Назад к запросу №${posted.number}</a>`));
      assert.match(view.text, new RegExp(`<a class="btn btn-primary" href="/support/requests${posted.file}" download>Скачать \\(`));
    });
  }

  it('keeps the download of a picture an attachment', async () => {
    const posted = await post(await picture('png'), 'screen.png');
    const res = await t.as('ivan').get(posted.file);
    assert.equal(res.headers['content-disposition'], 'attachment; filename=screen.png');
    assert.equal(res.headers['content-security-policy'], "default-src 'none'; sandbox");
  });

  it('turns a photo as its EXIF says, and takes only the first frame of an animated GIF', async () => {
    const photo = await post(await sidewaysPhoto(), 'sideways.jpg');
    assert.deepEqual(thumbnailOf(photo.page, photo.file)?.slice(2), ['120', '240']);
    const turned = await sharp((await t.as('ivan').get(`${photo.file}/thumbnail`)).body as Buffer).metadata();
    assert.deepEqual([turned.width, turned.height], [200, 400], 'its own pixels: less than twice the box, never enlarged');
    assert.match((await t.as('ivan').get(`${photo.file}/view`)).text, /width="200" height="400"/);

    const gif = await post(await animatedGif(), 'blink.gif');
    assert.deepEqual(thumbnailOf(gif.page, gif.file)?.slice(2), ['40', '30']);
    const meta = await sharp((await t.as('ivan').get(`${gif.file}/thumbnail`)).body as Buffer).metadata();
    assert.equal(meta.pages ?? 1, 1);
  });

  it('keeps a file named .png that is really HTML, SVG or text a download', async () => {
    const ivan = t.as('ivan');
    const html = await post(Buffer.from('<!doctype html><script>alert(document.cookie)</script>'), 'cat.png');
    await assertDownloadOnly(ivan, html, 'cat.png.txt');
    const svg = await post(
      Buffer.from(
        '<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"><script>alert(1)</script><rect width="100" height="100"/></svg>',
      ),
      'logo.png',
    );
    await assertDownloadOnly(ivan, svg, 'logo.png.txt');
    const text = await post(Buffer.from('just some words'), 'photo.jpg');
    await assertDownloadOnly(ivan, text, 'photo.jpg.txt');
  });

  it('keeps a PNG signature with HTML behind it, a truncated PNG and a corrupt JPEG downloads, without an error', async () => {
    const ivan = t.as('ivan');
    const png = await picture('png', 200, 100, true);
    const disguised = await post(Buffer.concat([png.subarray(0, 8), Buffer.from('<html><script>alert(1)</script></html>')]), 'x.png');
    await assertDownloadOnly(ivan, disguised, 'x.png');
    const truncated = await post(png.subarray(0, png.length >> 1), 'half.png');
    await assertDownloadOnly(ivan, truncated, 'half.png');
    const jpeg = await picture('jpeg', 200, 100, true);
    const corrupt = await post(Buffer.concat([jpeg.subarray(0, 600), Buffer.alloc(400, 0xff)]), 'broken.jpg');
    await assertDownloadOnly(ivan, corrupt, 'broken.jpg');
    // Refused once, remembered: an empty thumbnail beside the file.
    assert.equal(fs.statSync(new FileStorage(t.storageDir).thumbnailPathOf(truncated.storageKey)).size, 0);
  });

  it('refuses a decompression bomb a thumbnail: it stays a download', async () => {
    const bomb = await post(pngBomb(), 'bomb.png');
    await assertDownloadOnly(t.as('ivan'), bomb, 'bomb.png');
  });

  it("answers 404 for another customer's or another department's picture, and shows it to the request's staff", async () => {
    const { number, file } = await post(await picture('jpeg'), 'photo.jpg');
    for (const who of ['alice', 'olga']) {
      for (const route of ['thumbnail', 'inline', 'view']) {
        assert.equal((await t.as(who).get(`${file}/${route}`)).status, 404, `${who} ${route}`);
      }
    }
    const tech = t.as('tech');
    const page = await tech.get(`/${number}`);
    assert.ok(thumbnailOf(page.text, file), 'staff see the thumbnail');
    assert.equal((await tech.get(`${file}/thumbnail`)).headers['content-type'], 'image/webp');
    assert.equal((await tech.get(`${file}/inline`)).headers['content-type'], 'image/jpeg');
    const view = await tech.get(`${file}/view`);
    assert.equal(view.status, 200);
    assert.match(view.text, new RegExp(`<a href="/support/requests/${number}">&larr; Назад к запросу №${number}</a>`));
  });
});
