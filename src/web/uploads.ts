// Multipart parsing for forms with files. Limits are enforced by multer while the upload
// streams; a limit hit becomes a field problem for the form instead of an error page, with
// the text fields parsed so far kept (file inputs come last in our forms).
import type { NextFunction, Request, Response } from 'express';
import multer from 'multer';
import type { Problem } from '../domain/errors';
import type { StoredFile } from '../domain/types';
import type { FileStorage } from '../files/storage';
import { streamingStorage, type UploadedFile } from '../files/multer-storage';
import { MESSAGE_MAX } from '../domain/ticket-rules';
import { acceptAttribute, typeLabels } from '../files/types';

export interface UploadLimits {
  maxFiles: number;
  maxFileSizeMb: number;
}

/** Fields a ticket form can carry; anything beyond is refused. */
const MAX_FIELDS = 10;

function problemFor(err: multer.MulterError, limits: UploadLimits): Problem & { field: string } {
  switch (err.code) {
    case 'LIMIT_FILE_SIZE':
      return { field: 'files', key: 'errors.files.tooBig', params: { max: limits.maxFileSizeMb } };
    case 'LIMIT_FILE_COUNT':
      return { field: 'files', key: 'errors.files.tooMany', params: { max: limits.maxFiles } };
    case 'LIMIT_UNEXPECTED_FILE':
      return { field: 'files', key: 'errors.files.invalid' };
    case 'LIMIT_FIELD_VALUE':
      return { field: 'message', key: 'errors.message.tooLong', params: { max: MESSAGE_MAX } };
    default:
      return { field: 'form', key: 'errors.form.invalid' };
  }
}

export function fileUploads(storage: FileStorage, limits: UploadLimits) {
  const parser = multer({
    storage: streamingStorage(storage),
    defParamCharset: 'utf8',
    limits: {
      files: limits.maxFiles,
      fileSize: Math.floor(limits.maxFileSizeMb * 1024 * 1024),
      fields: MAX_FIELDS,
      // 20,000 characters of 4-byte UTF-8, with room to spare.
      fieldSize: MESSAGE_MAX * 4 + 1024,
      parts: MAX_FIELDS + limits.maxFiles,
    },
  }).array('files');

  return (req: Request, res: Response, next: NextFunction): void => {
    parser(req, res, (err: unknown) => {
      if (err instanceof multer.MulterError) {
        // multer has already removed every file of this request.
        res.locals.uploadProblem = problemFor(err, limits);
        req.files = [];
        return next();
      }
      next(err);
    });
  };
}

/** The files this request stored, and the problem a limit caused, if any. */
export function uploadsOf(req: Request, res: Response): { files: StoredFile[]; problem?: Problem & { field: string } } {
  const uploaded = (Array.isArray(req.files) ? req.files : []) as UploadedFile[];
  return { files: uploaded.map((f) => f.stored), problem: res.locals.uploadProblem as (Problem & { field: string }) | undefined };
}

/** A text field of a parsed form; repeated or missing fields read as their first value or "". */
export function formField(req: Request, name: string): string {
  const value = (req.body as Record<string, unknown> | undefined)?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first : '';
}

/** What a file input shows: limits and allowed types, from the settings. */
export function fileRulesOf(settings: { uploads: UploadLimits & { allowedTypes: string[] } }) {
  return {
    maxFiles: settings.uploads.maxFiles,
    maxFileSizeMb: settings.uploads.maxFileSizeMb,
    labels: typeLabels(settings.uploads.allowedTypes),
    accept: acceptAttribute(settings.uploads.allowedTypes),
    // Tells the customer why "deploy.sh" comes back as "deploy.sh.txt" (see files/names.ts).
    textAsTxt: settings.uploads.allowedTypes.includes('text/plain'),
  };
}
