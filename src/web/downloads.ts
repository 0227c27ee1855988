// Sends stored files so the browser never renders them as one of our pages: attachments to save,
// pictures to show as pictures only, and e-mail originals to read as text.
import { isUtf8 } from 'node:buffer';
import fs from 'node:fs';
import path from 'node:path';
import type { Response } from 'express';
import type { Attachment } from '../model/types';
import type { FileStorage } from '../files/storage';

export function sendAttachment(res: Response, storage: FileStorage, attachment: Attachment): void {
  res.attachment(attachment.originalName);
  res.set({
    'Content-Type': attachment.contentType === 'text/plain' ? 'text/plain; charset=utf-8' : attachment.contentType,
    'Content-Length': String(attachment.size),
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': "default-src 'none'; sandbox",
    'Cache-Control': 'private, no-store',
  });
  streamFile(res, storage, attachment);
}

/**
 * A picture's own bytes, shown in the browser: only for a file the decoder took as the picture its
 * content says it is (thumbnails.ts). Its exact type and nosniff keep the browser from taking it
 * for anything else, and should it be opened as a page of its own, the policy lets that page show
 * the picture and nothing more (no script, no request elsewhere, a sandbox). Kept an hour in the
 * viewer's own browser only: a thread shown again does not fetch its pictures again.
 */
export function sendPicture(res: Response, storage: FileStorage, attachment: Attachment): void {
  setPictureHeaders(res, attachment.originalName, attachment.contentType, attachment.size);
  streamFile(res, storage, attachment);
}

/** A picture's thumbnail (WebP, see thumbnails.ts), with a picture's headers; named after the picture's file name. */
export function sendThumbnail(res: Response, pictureName: string, thumbnail: Buffer): void {
  const name = `${path.parse(pictureName).name || 'picture'}-thumbnail.webp`;
  setPictureHeaders(res, name, 'image/webp', thumbnail.length);
  res.end(thumbnail);
}

function setPictureHeaders(res: Response, name: string, contentType: string, size: number): void {
  // express writes the name safely (quoted, with a UTF-8 form for non-ASCII); only the type changes.
  res.attachment(name);
  res.set({
    'Content-Disposition': (res.get('Content-Disposition') as string).replace(/^attachment/, 'inline'),
    'Content-Type': contentType,
    'Content-Length': String(size),
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox",
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Cache-Control': 'private, max-age=3600',
  });
}

function streamFile(res: Response, storage: FileStorage, attachment: Attachment): void {
  fs.createReadStream(storage.pathOf(attachment.storageKey))
    .on('error', () => res.destroy())
    .pipe(res);
}

/**
 * Shows a kept e-mail as it came, as plain text in the browser: never saved as a file, never
 * rendered or run as a page (its HTML, scripts and images stay text).
 */
export function sendOriginalMail(res: Response, raw: Buffer): void {
  res.set({
    'Content-Type': `text/plain; charset=${charsetOfOriginal(raw)}`,
    'Content-Disposition': 'inline',
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': "default-src 'none'; sandbox",
    'Cache-Control': 'no-store',
  });
  res.send(raw);
}

/** How far into an original its charset is looked for. */
const HEAD_BYTES = 64 * 1024;

/** Single-byte charsets Russian mail is written in 8-bit, which a browser can show as they are. */
const EIGHT_BIT = new Set(['windows-1251', 'koi8-r', 'koi8-u', 'iso-8859-5', 'cp866', 'ibm866']);

/**
 * What the browser should read the original as: UTF-8 when it is (7-bit mail always is), else
 * the Russian 8-bit charset its first part names, so a windows-1251 or KOI8-R body reads as text.
 */
function charsetOfOriginal(raw: Buffer): string {
  if (isUtf8(raw)) return 'utf-8';
  // The first part's header is near the start: no need to copy a message of megabytes to find it.
  const named = /charset\s*=\s*"?([\w-]+)/i.exec(raw.toString('latin1', 0, HEAD_BYTES))?.[1]?.toLowerCase();
  return named && EIGHT_BIT.has(named) ? named : 'utf-8';
}
