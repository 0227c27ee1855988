// Sends a stored attachment so the browser saves it and never renders it as one of our pages.
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
