// The host's own CSRF protection for its forms (sign-in, sign-out, language): a per-session
// token in a hidden "_csrf" field, compared on POST. The plugin protects its forms itself.
import crypto from 'node:crypto';
import type { SessionState } from 'support-requests';

const KEY = 'panel.csrf';

/** The session's token, made on first use. */
export function csrfToken(session: SessionState): string {
  let token = session.get(KEY);
  if (!token) {
    token = crypto.randomBytes(32).toString('base64url');
    session.set(KEY, token);
  }
  return token;
}

export function csrfValid(session: SessionState, submitted: unknown): boolean {
  const expected = session.get(KEY);
  if (!expected || typeof submitted !== 'string') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(submitted);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}
