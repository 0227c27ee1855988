// Plain (not multipart) admin forms: the body parser that runs after the CSRF check, and the
// "show the form again with its problems" step every such form shares.
import crypto from 'node:crypto';
import express, { type Request, type RequestHandler } from 'express';
import { ValidationError, type Problem } from '../model/errors';
import { formField, refuseUnreadable, urlencodedBytesCheck } from './text-input';

/** An url-encoded body of at most `limit`; mount it after csrf.protect, so a forged POST is never read. */
export function formBody(limit: string, fields = 20): RequestHandler {
  return express.urlencoded({ extended: false, limit, parameterLimit: fields, verify: urlencodedBytesCheck });
}

/**
 * Runs a change (which answers, usually with a redirect); a ValidationError shows the form again
 * instead, and so does text that was not valid UTF-8, before the change runs.
 */
export async function orShowAgain(req: Request, change: () => Promise<void>, showAgain: (problems: Record<string, Problem>) => Promise<void>): Promise<void> {
  try {
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
