// What the plugin answers for an error that reached its router, and what the log gets. Errors
// caused by the request itself (a path that is not percent-encoded, a body that is cut short,
// too big or not a form) carry their 4xx status from the parser that found them; the request
// made them, so they answer that status and leave one short line, never a stack.
import { NotFoundError } from '../model/errors';
import { isCsrfError } from './csrf';

export interface ErrorAnswer {
  status: number;
  /** The message page's key in locales/*.json. */
  key: string;
  /** Nothing, one line naming the fault, or the whole stack (a fault of ours). */
  log: 'none' | 'line' | 'stack';
}

/** A request the parsers could not read; `status` as http-errors would set it. */
export class MalformedRequestError extends Error {
  readonly status = 400;
  constructor(reason: string) {
    super(reason);
    this.name = 'MalformedRequestError';
  }
}

/** The 4xx status an error carries (body-parser, the router's param decoding, ours), or null. */
function clientStatusOf(err: unknown): number | null {
  if (typeof err !== 'object' || err === null) return null;
  const { status, statusCode } = err as { status?: unknown; statusCode?: unknown };
  const value = typeof status === 'number' ? status : statusCode;
  return typeof value === 'number' && Number.isInteger(value) && value >= 400 && value < 500 ? value : null;
}

export function answerFor(err: unknown): ErrorAnswer {
  if (err instanceof NotFoundError) return { status: 404, key: 'errors.notFound', log: 'none' };
  if (isCsrfError(err)) return { status: 403, key: 'errors.csrf', log: 'none' };
  const status = clientStatusOf(err);
  if (status === 404) return { status, key: 'errors.notFound', log: 'none' };
  if (status === 413) return { status, key: 'errors.tooLarge', log: 'line' };
  if (status !== null) return { status, key: 'errors.badRequest', log: 'line' };
  return { status: 500, key: 'errors.server', log: 'stack' };
}

/** A client error for the log: its parser's type or message, on one short line. */
export function shortReason(err: unknown): string {
  const { type, message } = (err ?? {}) as { type?: unknown; message?: unknown };
  const reason = typeof type === 'string' ? type : typeof message === 'string' ? message : String(err);
  return reason.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').slice(0, 120);
}
