// A multer storage engine that streams each upload straight to FileStorage while hashing it
// and detecting its type, so nothing is held in memory and no second pass over the file is needed.
// The file is written as `<key>.part` and renamed when whole (see FileStorage), and gets its
// shown name from its detected type (see names.ts).
import crypto from 'node:crypto';
import fs from 'node:fs';
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import type { Request } from 'express';
import type multer from 'multer';
import type { FileStorage } from './storage';
import type { StoredFile } from '../model/types';
import { detectBinaryType, SNIFF_BYTES, TextDetector } from './sniff';
import { attachmentName } from './names';

/** What this engine adds to multer's file object. */
export interface UploadedFile extends Express.Multer.File {
  stored: StoredFile;
}

export function streamingStorage(storage: FileStorage): multer.StorageEngine {
  return {
    _handleFile(_req: Request, file: Express.Multer.File, callback: (error?: unknown, info?: Partial<UploadedFile>) => void) {
      const key = storage.newKey();
      const hash = crypto.createHash('sha256');
      const text = new TextDetector();
      let head = Buffer.alloc(0);
      let size = 0;
      const inspect = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          hash.update(chunk);
          text.push(chunk);
          if (head.length < SNIFF_BYTES) head = Buffer.concat([head, chunk.subarray(0, SNIFF_BYTES - head.length)]);
          size += chunk.length;
          done(null, chunk);
        },
      });
      let out: fs.WriteStream | null = null;
      storage
        .openPart(key)
        .then((handle) => pipeline(file.stream, inspect, (out = handle.createWriteStream())))
        .then(() => storage.complete(key))
        .then(() => {
          const contentType = detectBinaryType(head) ?? (size > 0 && text.isText() ? 'text/plain' : 'application/octet-stream');
          const stored: StoredFile = {
            storageKey: key,
            originalName: attachmentName(file.originalname, contentType),
            size,
            contentType,
            sha256: hash.digest('hex'),
          };
          callback(null, { size, stored });
        })
        .catch((err: unknown) => {
          // A stream cut short by a limit leaves a partial file: remove it before reporting, once
          // the file is closed (a body cut short can fail the pipeline while the file is still opening).
          const closed = out && !out.closed ? once(out, 'close').catch(() => {}) : Promise.resolve();
          closed.then(() => storage.remove([key])).finally(() => callback(err));
        });
    },

    _removeFile(_req: Request, file: Express.Multer.File, callback: (error: Error | null) => void) {
      const stored = (file as Partial<UploadedFile>).stored;
      if (!stored) return callback(null);
      storage.remove([stored.storageKey]).then(() => callback(null), callback);
    },
  };
}
