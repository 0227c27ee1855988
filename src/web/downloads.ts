// Sends stored files so the browser never renders them as one of our pages: attachments to save,
// and e-mail originals to read as text.
import fs from 'node:fs';
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
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Disposition': 'inline',
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': "default-src 'none'; sandbox",
    'Cache-Control': 'no-store',
  });
  res.send(raw);
}
