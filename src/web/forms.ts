// What every form shares: the body parser of plain (not multipart) forms, which runs after the
// CSRF check; the one way a form is shown again with its problems; one-time submission keys.
import crypto from 'node:crypto';
import { ValidationError, type Problem } from '../model/errors';
import express, { type Request, type RequestHandler, type Response } from 'express';
import { formField, formFields, refuseUnreadable, urlencodedBytesCheck } from './text-input';
import type { PendingChoice } from '../domain/pending-uploads';
import { uploadProblemOf } from './uploads';

/** An url-encoded body of at most `limit`; mount it after csrf.protect, so a forged POST is never read. */
export function formBody(limit: string, fields = 20): RequestHandler {
  return express.urlencoded({ extended: false, limit, parameterLimit: fields, verify: urlencodedBytesCheck });
}

/**
 * The one way a form is handled: runs its change (which answers, usually with a redirect), or
 * shows the form again with its problems instead. Problems met while reading the form (a limit
 * of its upload, text that was not valid UTF-8) stop it before the change runs; a
 * ValidationError from the change comes back the same way. `uploadProblemAt` puts an upload's
 * problem next to another field than its own.
 */
export async function orShowAgain(
  req: Request,
  res: Response,
  change: () => Promise<void>,
  showAgain: (problems: Record<string, Problem>) => Promise<void>,
  uploadProblemAt?: string,
): Promise<void> {
  try {
    const upload = uploadProblemOf(res);
    if (upload) throw new ValidationError({ [uploadProblemAt ?? upload.field]: upload });
    refuseUnreadable(req);
    await change();
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    await showAgain(err.fields);
  }
}

/**
 * A fresh one-time key for a rendered form that changes something and sends mail; the change
 * stores it, so the same submission twice (a double click, a resend) makes one change.
 */
export function newSubmissionKey(): string {
  return crypto.randomUUID();
}

/** The submitted form's key; a form without one (an old page) still works, just unguarded. */
export function submissionKeyOf(req: Request): string {
  // We make keys as UUIDs; anything else (a tampered form) gets a fresh key and no guard.
  const key = formField(req, 'submissionKey');
  return /^[A-Za-z0-9-]{1,64}$/.test(key) ? key : crypto.randomUUID();
}

/** The kept files (pending uploads) a form shown again carried, and those its user ticked off. */
export function keptFilesOf(req: Request): PendingChoice {
  return { carried: formFields(req, 'pending'), removed: formFields(req, 'removePending') };
}
