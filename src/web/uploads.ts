// Multipart parsing for forms with files. Limits are enforced by multer while the upload
// streams; a limit hit becomes a field problem for the form instead of an error page, with
// the text fields parsed so far kept (file inputs come last in our forms).
import type { NextFunction, Request, Response } from 'express';
import multer from 'multer';
import type { Problem } from '../model/errors';
import type { StoredFile } from '../model/types';
import type { UploadSettings } from '../model/settings';
import type { FileStorage } from '../files/storage';
import { streamingStorage, type UploadedFile } from '../files/multer-storage';
import { LIMITS } from '../domain/field-rules';
import { acceptAttribute, typeLabels } from '../files/types';
import { MalformedRequestError } from './error-answers';
import { unreadableFields } from './text-input';
import type { Translate } from '../i18n';

type UploadLimits = Pick<UploadSettings, 'maxFiles' | 'maxFileSizeMb'>;

/** Text fields a ticket form can carry besides its kept files' two (token, remove) each; anything beyond is refused. */
const MAX_FIELDS = 10;

/** A problem met while the form was read, with the field it belongs next to. */
export type UploadProblem = Problem & { field: string };

/** Each response's UploadProblem; kept here, not in the host's res.locals. */
const uploadProblems = new WeakMap<Response, UploadProblem>();

function problemFor(err: multer.MulterError, limits: UploadLimits): UploadProblem {
  switch (err.code) {
    case 'LIMIT_FILE_SIZE':
      return { field: 'files', key: 'errors.files.tooBig', params: { max: limits.maxFileSizeMb } };
    case 'LIMIT_FILE_COUNT':
      return { field: 'files', key: 'errors.files.tooMany', params: { max: limits.maxFiles } };
    case 'LIMIT_UNEXPECTED_FILE':
      return { field: 'files', key: 'errors.files.invalid' };
    case 'LIMIT_FIELD_VALUE':
      return { field: 'message', key: 'errors.message.tooLong', params: { max: LIMITS.message } };
    default:
      return { field: 'form', key: 'errors.form.invalid' };
  }
}

/**
 * busboy's own errors for a body that is not a well-formed multipart/form-data (cut short, no
 * boundary, another multipart type, broken part headers). Anything else, such as a full disk
 * while storing a file, stays a fault of ours.
 */
function isMalformedMultipart(err: unknown): boolean {
  return (
    err instanceof Error &&
    !('code' in err) &&
    /^(Unexpected end of (form|file)|Malformed (part header|content type)|Multipart: Boundary not found|Unsupported content type|Missing Content-Type)/.test(
      err.message,
    )
  );
}

/**
 * The storage engine, with each request's writes in flight kept: on a broken body, multer
 * reports the error as soon as busboy does, while a file may still be opening or being
 * removed; the answer waits for those, so "nothing was stored" is already true when it is sent.
 */
function trackedWrites(engine: multer.StorageEngine) {
  const inFlight = new WeakMap<Request, Set<Promise<void>>>();
  const tracked: multer.StorageEngine = {
    _handleFile(req, file, callback) {
      let settle = () => {};
      const write = new Promise<void>((resolve) => (settle = resolve));
      const writes = inFlight.get(req) ?? new Set();
      inFlight.set(req, writes.add(write));
      engine._handleFile(req, file, (err, info) => {
        writes.delete(write);
        settle();
        callback(err, info);
      });
    },
    _removeFile: (req, file, callback) => engine._removeFile(req, file, callback),
  };
  return { engine: tracked, settled: async (req: Request) => void (await Promise.all(inFlight.get(req) ?? [])) };
}

export function fileUploads(storage: FileStorage, limits: UploadLimits) {
  const writes = trackedWrites(streamingStorage(storage));
  const parser = multer({
    storage: writes.engine,
    defParamCharset: 'utf8',
    limits: {
      files: limits.maxFiles,
      fileSize: Math.floor(limits.maxFileSizeMb * 1024 * 1024),
      fields: MAX_FIELDS + 2 * limits.maxFiles,
      // 20,000 characters of 4-byte UTF-8, with room to spare.
      fieldSize: LIMITS.message * 4 + 1024,
      parts: MAX_FIELDS + 3 * limits.maxFiles,
    },
  }).array('files');

  /** Text that was not valid UTF-8 is the form's problem, like a limit: its files are removed at once. */
  async function refuseUnreadableText(req: Request, res: Response): Promise<void> {
    const [field, problem] = Object.entries(unreadableFields(req))[0] ?? [];
    if (!field || !problem) return;
    const { files } = uploadsOf(req, res);
    req.files = [];
    await storage.remove(files.map((f) => f.storageKey));
    uploadProblems.set(res, { field, ...problem });
  }

  return (req: Request, res: Response, next: NextFunction): void => {
    parser(req, res, (err: unknown) => {
      if (!err) return refuseUnreadableText(req, res).then(() => next(), next);
      if (err instanceof multer.MulterError) {
        // multer has already removed every file of this request.
        uploadProblems.set(res, problemFor(err, limits));
        req.files = [];
        return next();
      }
      // A broken body, or a fault such as a full disk: either way answer once the partial file is gone.
      const answer = isMalformedMultipart(err) ? new MalformedRequestError(`multipart: ${(err as Error).message}`) : err;
      writes.settled(req).then(() => next(answer), next);
    });
  };
}

/** The problem a limit (or text that was not UTF-8) caused while the form was read; its files are gone then. */
export function uploadProblemOf(res: Response): UploadProblem | undefined {
  return uploadProblems.get(res);
}

/**
 * The files this request stored; filesLost tells a form shown again to ask for them again (a
 * problem while reading removed them, or the refused change does).
 */
export function uploadsOf(req: Request, res: Response): { files: StoredFile[]; filesLost: boolean } {
  const files = ((Array.isArray(req.files) ? req.files : []) as UploadedFile[]).map((f) => f.stored);
  return { files, filesLost: files.length > 0 || uploadProblemOf(res) !== undefined };
}

/** What a file input shows: limits and allowed types, from the settings. */
export function fileRulesOf(settings: { uploads: UploadSettings }) {
  return {
    maxFiles: settings.uploads.maxFiles,
    maxFileSizeMb: settings.uploads.maxFileSizeMb,
    labels: typeLabels(settings.uploads.allowedTypes),
    accept: acceptAttribute(settings.uploads.allowedTypes),
    // Tells the customer why "deploy.sh" comes back as "deploy.sh.txt" (see files/names.ts).
    textAsTxt: settings.uploads.allowedTypes.includes('text/plain'),
  };
}

/** A file problem names what may be attached, so the customer need not look for the hint. */
export function withFileRules(errors: Record<string, string>, t: Translate, rules: ReturnType<typeof fileRulesOf>): Record<string, string> {
  if (!errors.files) return errors;
  const allowed = t('form.filesAllowed', { types: rules.labels, size: rules.maxFileSizeMb, count: rules.maxFiles });
  return { ...errors, files: `${errors.files} ${allowed}` };
}
