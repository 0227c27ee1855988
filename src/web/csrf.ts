// CSRF protection with csrf-sync (synchroniser token kept in the host's session). The token
// travels in the form's action URL or a header, never only in the body, so it is checked
// before a multipart body is parsed and before any uploaded byte reaches the disk.
import type { Request } from 'express';
import { csrfSync } from 'csrf-sync';
import type { SupportHost } from '../host';

const SESSION_KEY = 'support-requests.csrf';

/** @param session the host's session(): the token is kept in the browser's session */
export function csrfProtection(session: SupportHost['session']) {
  const { csrfSynchronisedProtection, generateToken } = csrfSync({
    getTokenFromState: (req) => session(req).get(SESSION_KEY),
    storeTokenInState: (req, token) => session(req).set(SESSION_KEY, token ?? undefined),
    getTokenFromRequest: (req) => {
      const fromHeader = req.get('x-csrf-token');
      const fromQuery = typeof req.query._csrf === 'string' ? req.query._csrf : undefined;
      return fromHeader ?? fromQuery;
    },
  });
  return {
    /** Refuses POSTs without the session's token. */
    protect: csrfSynchronisedProtection,
    /** The session's token, made on first use and then kept, so several open tabs all work. */
    token: (req: Request) => generateToken(req, false),
  };
}

export type CsrfProtection = ReturnType<typeof csrfProtection>;

export function isCsrfError(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 'EBADCSRFTOKEN';
}
