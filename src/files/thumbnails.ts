// Pictures in the thread: which attachments a browser may show (PNG, JPEG, GIF, WebP, as their
// content says and as the image decoder agrees), and their small WebP thumbnails.
//
// A thumbnail is made the first time a page shows its file, not at upload: uploads stay as fast
// as they were (the create bench), files that came before this feature or by e-mail get one too,
// no column is added, and the page learns before it writes its HTML whether a file is a picture
// (a thumbnail with its width and height, so the layout does not jump) or a download. It is kept
// as `<key>.thumb` beside its file (see storage.ts), so it goes wherever the file goes. A file
// the decoder refuses (corrupt, truncated, a decompression bomb, HTML behind a PNG signature)
// is kept as an empty `<key>.thumb`, so it is tried once, and stays a plain download.
//
// A picture that is not stored (a file of a held e-mail, shown to the admin who decides on it)
// gets a thumbnail made from its bytes, remembered in memory a while and never written.
import fs from 'node:fs';
import type { Sharp, SharpOptions } from 'sharp';
import { detectBinaryType, SNIFF_BYTES } from './sniff';
import type { FileStorage } from './storage';

/** The types shown in the page, each with the name the decoder gives the same format. SVG never: it is a document that runs scripts. */
const PICTURE_FORMATS: Record<string, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpeg',
  'image/gif': 'gif',
  'image/webp': 'webp',
};

/** The page shows a thumbnail within this box (CSS pixels); smaller pictures keep their size. */
const THUMBNAIL_BOX = { width: 320, height: 240 } as const;

/**
 * A thumbnail is made at twice the box, so it stays sharp on the phones and laptops whose screens
 * have two pixels to a CSS pixel; the page shows it at the box's size. One file, not a 1× and a
 * 2× pair: a WebP at this size is tens of KB, and a second one would double the work of each
 * first look for little saved on the few 1× screens left.
 */
const PIXEL_DENSITY = 2;
const MADE_BOX = { width: THUMBNAIL_BOX.width * PIXEL_DENSITY, height: THUMBNAIL_BOX.height * PIXEL_DENSITY } as const;

/**
 * The largest picture decoded: 40 megapixels is more than any phone or camera saves by default
 * (a 48 MP phone writes 12 or 24 MP). A picture of a few KB can claim 65535 × 65535 pixels and
 * take gigabytes to decode: such a file is refused before any pixel is read.
 */
const MAX_PICTURE_PIXELS = 40_000_000;

/** Sizes remembered in memory, so a page shown again does not read its thumbnails' headers. */
const REMEMBERED = 2000;
/** Thumbnails of pictures not stored, remembered in memory: a page and its thumbnails ask together. */
const REMEMBERED_UNSTORED = 50;

export interface PictureSize {
  width: number;
  height: number;
}

/** What is needed of an attachment: where it is and what its content was found to be. */
interface PictureFile {
  storageKey: string;
  contentType: string;
}

/** The thumbnail of a picture that is not stored, with the picture's file name. */
interface UnstoredThumbnail {
  bytes: Buffer;
  size: PictureSize;
  name: string;
}

export interface Thumbnails {
  /** The size the page shows the thumbnail at, making it on first ask; null: the file is not shown, only downloaded. */
  sizeOf(file: PictureFile): Promise<PictureSize | null>;
  /** The thumbnail (WebP); null as for sizeOf. */
  bytesOf(file: PictureFile): Promise<Buffer | null>;
  /** The size a browser shows the whole picture at (its EXIF orientation applied); null as for sizeOf. */
  fullSizeOf(file: PictureFile): Promise<PictureSize | null>;
  /**
   * A picture that is not stored (a held e-mail's file), its type told from its content: the
   * thumbnail and the size the page shows it at; null: no picture the decoder agrees with.
   * Remembered under `key`, which must name the same bytes for good: `load` (reading the file
   * from wherever it is) is asked only when the key is not remembered.
   */
  ofContent(key: string, load: () => Promise<{ content: Buffer; name: string }>): Promise<UnstoredThumbnail | null>;
}

/**
 * The size the page shows a thumbnail at: within the box, never larger than the thumbnail. A
 * thumbnail made at 2× shows at half its pixels; a small picture's at its own.
 */
function shownSize(made: PictureSize): PictureSize {
  const scale = Math.min(1, THUMBNAIL_BOX.width / made.width, THUMBNAIL_BOX.height / made.height);
  return { width: Math.max(1, Math.round(made.width * scale)), height: Math.max(1, Math.round(made.height * scale)) };
}

/** Whether the file's content was found to be a type the page may show (the decoder has the last word). */
function isPictureType(contentType: string): boolean {
  return Object.hasOwn(PICTURE_FORMATS, contentType);
}

/** sharp (libvips) loads with the first picture, not when the plugin starts: many panels never see one. */
let sharpModule: Promise<typeof import('sharp')> | null = null;
async function decoder(input: string | Buffer, options: SharpOptions = {}): Promise<Sharp> {
  const sharp = await (sharpModule ??= import('sharp').then((module) => module.default));
  // Only the first frame of an animated GIF or WebP; a warning (a truncated file) fails the file.
  return sharp(input, { limitInputPixels: MAX_PICTURE_PIXELS, animated: false, failOn: 'warning', ...options });
}

/** Decodes a picture (a stored file's path, or its bytes) and makes its thumbnail; empty when the decoder refuses it. */
async function thumbnailFrom(source: string | Buffer, contentType: string): Promise<Buffer> {
  try {
    // The header alone first: the format must be the one the content was taken for, and the size sane.
    const { format, width, height } = await (await decoder(source)).metadata();
    if (format !== PICTURE_FORMATS[contentType] || !width || !height || width * height > MAX_PICTURE_PIXELS) {
      return Buffer.alloc(0);
    }
    return await (
      await decoder(source, { sequentialRead: true })
    )
      .autoOrient()
      .resize({ ...MADE_BOX, fit: 'inside', withoutEnlargement: true })
      // No metadata is copied: a photo's EXIF (place, camera) stays in the original.
      .webp({ quality: 75 })
      .toBuffer();
  } catch {
    return Buffer.alloc(0);
  }
}

/** The size a thumbnail of ours is shown at; null for an empty one (a refused picture). */
async function shownSizeOf(thumbnail: Buffer): Promise<PictureSize | null> {
  // Our own WebP: its header says its size.
  const meta = thumbnail.length > 0 ? await (await decoder(thumbnail)).metadata().catch(() => null) : null;
  return meta?.width && meta.height ? shownSize({ width: meta.width, height: meta.height }) : null;
}

/** Adds to a map that forgets its oldest entry beyond `limit`. */
function rememberIn<V>(map: Map<string, V>, limit: number, key: string, value: V): void {
  if (map.size >= limit) map.delete(map.keys().next().value as string);
  map.set(key, value);
}

export function thumbnails(storage: FileStorage): Thumbnails {
  const sizes = new Map<string, PictureSize | null>();
  const making = new Map<string, Promise<Buffer | undefined>>();
  const unstored = new Map<string, Promise<UnstoredThumbnail | null>>();

  const decode = (file: PictureFile) => thumbnailFrom(storage.pathOf(file.storageKey), file.contentType);

  /**
   * Makes the thumbnail and keeps it (empty: the file was refused). undefined: the file is not in
   * storage, which is no refusal for good (a restored backup brings it back).
   */
  async function make(file: PictureFile): Promise<Buffer | undefined> {
    if (!(await fs.promises.stat(storage.pathOf(file.storageKey)).catch(() => null))) return undefined;
    const made = await decode(file);
    const target = storage.thumbnailPathOf(file.storageKey);
    // Written whole under another name, then renamed: a reader never sees half a thumbnail. Another
    // instance making the same one at once (the `wx` fails) or a full disk only means it is not kept.
    const part = `${target}.part`;
    try {
      await fs.promises.writeFile(part, made, { flag: 'wx' });
      await fs.promises.rename(part, target);
    } catch {
      // Not kept this time; made again on the next ask.
    }
    return made;
  }

  /** The kept thumbnail, or one made now (one making per file at a time: a page and its thumbnails ask together). */
  async function thumbnailOf(file: PictureFile): Promise<Buffer | undefined> {
    try {
      return await fs.promises.readFile(storage.thumbnailPathOf(file.storageKey));
    } catch (err) {
      // A disk that cannot be read now (out of file handles, failing): the page shows a download
      // link this time rather than fail; the download itself says whether the file is there.
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') return undefined;
    }
    let pending = making.get(file.storageKey);
    if (!pending) {
      pending = make(file).finally(() => making.delete(file.storageKey));
      making.set(file.storageKey, pending);
    }
    return pending;
  }

  async function sizeOf(file: PictureFile): Promise<PictureSize | null> {
    if (!isPictureType(file.contentType)) return null;
    const known = sizes.get(file.storageKey);
    if (known !== undefined) return known;
    const bytes = await thumbnailOf(file);
    if (!bytes) return null;
    const size = await shownSizeOf(bytes);
    rememberIn(sizes, REMEMBERED, file.storageKey, size);
    return size;
  }

  return {
    sizeOf,
    async bytesOf(file) {
      if (!isPictureType(file.contentType)) return null;
      const bytes = await thumbnailOf(file);
      return bytes && bytes.length > 0 ? bytes : null;
    },
    async fullSizeOf(file) {
      if (!(await sizeOf(file))) return null;
      try {
        const { autoOrient } = await (await decoder(storage.pathOf(file.storageKey))).metadata();
        return { width: autoOrient.width, height: autoOrient.height };
      } catch {
        // Gone from storage since its thumbnail was made: the download says so.
        return null;
      }
    },
    ofContent(key, load) {
      let made = unstored.get(key);
      if (!made) {
        made = load().then(async ({ content, name }) => {
          const contentType = detectBinaryType(content.subarray(0, SNIFF_BYTES));
          if (contentType === null || !isPictureType(contentType)) return null;
          const bytes = await thumbnailFrom(content, contentType);
          const size = await shownSizeOf(bytes);
          return size ? { bytes, size, name } : null;
        });
        // A failed read (the original gone) is not remembered: it is asked again next time.
        made.catch(() => unstored.delete(key));
        rememberIn(unstored, REMEMBERED_UNSTORED, key, made);
      }
      return made;
    },
  };
}
