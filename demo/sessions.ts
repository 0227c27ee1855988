// A tiny in-memory session: a random id in the httpOnly, SameSite=Lax cookie "panel_sid" and a
// Map of string values on the server. Enough for a demo; a real panel keeps sessions in a store.
import crypto from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import type { SessionState } from '../src/host';

export const SESSION_COOKIE = 'panel_sid';

interface Session {
  id: string;
  values: Map<string, string>;
  lastSeen: number;
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export class SessionStore {
  private readonly sessions = new Map<string, Session>();
  private readonly byRequest = new WeakMap<Request, Session>();
  private lastPrune = 0;

  /** @param idleMs a session unused this long is forgotten */
  constructor(private readonly idleMs = 12 * 60 * 60 * 1000) {}

  /** Finds the browser's session or starts one; every later handler can call state(req). */
  middleware(): RequestHandler {
    return (req, res, next) => {
      const id = cookieValue(req.headers.cookie, SESSION_COOKIE);
      const found = id ? this.sessions.get(id) : undefined;
      const now = Date.now();
      if (found && now - found.lastSeen <= this.idleMs) {
        found.lastSeen = now;
        this.byRequest.set(req, found);
      } else {
        if (found) this.sessions.delete(found.id);
        this.start(req, res);
      }
      next();
    };
  }

  /** The contract's key/value view of the request's session. */
  state(req: Request): SessionState {
    const session = this.byRequest.get(req);
    if (!session) throw new Error('demo sessions: the session middleware did not run for this request');
    return {
      get: (key) => session.values.get(key),
      set: (key, value) => void (value === undefined ? session.values.delete(key) : session.values.set(key, value)),
    };
  }

  /** A new session id (on sign-in and sign-out, against session fixation), keeping the named values. */
  regenerate(req: Request, res: Response, keep: string[]): void {
    const old = this.byRequest.get(req);
    const fresh = this.start(req, res);
    if (!old) return;
    for (const key of keep) {
      const value = old.values.get(key);
      if (value !== undefined) fresh.values.set(key, value);
    }
    this.sessions.delete(old.id);
  }

  clear(): void {
    this.sessions.clear();
  }

  private start(req: Request, res: Response): Session {
    this.prune();
    const session: Session = { id: crypto.randomBytes(32).toString('base64url'), values: new Map(), lastSeen: Date.now() };
    this.sessions.set(session.id, session);
    this.byRequest.set(req, session);
    res.cookie(SESSION_COOKIE, session.id, { httpOnly: true, sameSite: 'lax', secure: req.secure, path: '/' });
    return session;
  }

  private prune(): void {
    const now = Date.now();
    if (now - this.lastPrune < 60_000) return;
    this.lastPrune = now;
    for (const [id, session] of this.sessions) if (now - session.lastSeen > this.idleMs) this.sessions.delete(id);
  }
}
