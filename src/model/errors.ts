// The domain's errors. Each carries a code; input that breaks a rule carries message keys, which
// the web layer turns into a localized message next to the field, others into a status page. The
// store raises the refusals of its unique indexes and foreign keys as errors of this file too, so
// the domain never sees a driver's error.

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

/** What a unique index keeps from repeating, named for what it means rather than for the index. */
export type UniqueRule =
  | 'departmentCode'
  | 'memberUser'
  | 'ticketNumber'
  | 'ticketSubmission'
  | 'messageSubmission'
  | 'eventSubmission'
  | 'attachmentStorageKey'
  | 'incidentSubmission'
  | 'incidentUpdateSubmission'
  | 'escalationPage'
  | 'slaWarning'
  | 'reportSum';

/** A row refers to another: a ticket to its department, a member or a canned reply to theirs. */
export type Reference = 'ticketDepartment' | 'memberDepartment' | 'cannedDepartment';

/** What the store's refusals share: a code, a message that names what was refused, and the driver's error as the cause. */
abstract class StoreRefusal<Code extends string> extends Error {
  constructor(
    readonly code: Code,
    message: string,
    options: ErrorOptions | undefined,
  ) {
    super(message, options);
    // The subclass's own name: ConflictError, StillReferencedError, ReferenceMissingError.
    this.name = new.target.name;
  }
}

/** The store refused a row that already exists (a double submission, a code taken meanwhile). */
export class ConflictError extends StoreRefusal<'CONFLICT'> {
  constructor(
    readonly rule: UniqueRule,
    options?: ErrorOptions,
  ) {
    super('CONFLICT', `already exists: ${rule}`, options);
  }
}

/** The store refused to delete a row others still refer to (a department with tickets). */
export class StillReferencedError extends StoreRefusal<'STILL_REFERENCED'> {
  constructor(
    readonly reference: Reference,
    options?: ErrorOptions,
  ) {
    super('STILL_REFERENCED', `still referenced: ${reference}`, options);
  }
}

/** The store refused a row that refers to one that is gone (a department deleted meanwhile). */
export class ReferenceMissingError extends StoreRefusal<'REFERENCE_MISSING'> {
  constructor(
    readonly reference: Reference,
    options?: ErrorOptions,
  ) {
    super('REFERENCE_MISSING', `refers to a missing row: ${reference}`, options);
  }
}

/**
 * A message with more MIME parts than the intake takes: refused whole, before its parts are
 * decoded, so a message of thousands of tiny parts costs a scan of its lines and no more.
 */
export class MailTooComplexError extends Error {
  readonly code = 'MAIL_TOO_COMPLEX';
  constructor(readonly maxParts: number) {
    super(`the message has more than ${maxParts} MIME parts`);
    this.name = 'MailTooComplexError';
  }
}

/** An error as one line for the log and the admin page: its code, and an SMTP server's answer or its message; never a stack. */
export function describeFailure(err: unknown): string {
  const e = (err ?? {}) as { response?: string; message?: string; code?: string };
  const text = e.response ?? e.message ?? String(err);
  return [e.code, text].filter(Boolean).join(': ').replace(/\s+/g, ' ').slice(0, 1000);
}
