// Errors carry a code and a message key; the web layer turns them into a localized message
// next to the field (validation) or into a status page.

/** A message key with its parameters, looked up in locales/*.json. */
export interface Problem {
  key: string;
  params?: Record<string, string | number>;
}

/** Input that breaks a rule; `fields` maps each form field to what is wrong with it. */
export class ValidationError extends Error {
  readonly code = 'VALIDATION';
  constructor(readonly fields: Record<string, Problem>) {
    super(`invalid input: ${Object.keys(fields).join(', ')}`);
    this.name = 'ValidationError';
  }
}

/** Not there, or not the caller's: both answer the same, so existence is never confirmed. */
export class NotFoundError extends Error {
  readonly code = 'NOT_FOUND';
  constructor(what = 'not found') {
    super(what);
    this.name = 'NotFoundError';
  }
}
