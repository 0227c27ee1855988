// The panel's sessions, as hosts usually keep them: express-session, with the id in the
// httpOnly, SameSite=Lax cookie "panel_sid" and the values in memorystore (in memory, a session
// idle for 12 hours pruned). A real panel with several instances keeps them in a shared store.
import crypto from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import session from 'express-session';
import createMemoryStore from 'memorystore';
import type { SessionState } from 'support-requests';

const SESSION_COOKIE = 'panel_sid';

declare module 'express-session' {
  interface SessionData {
    /** The contract's key/value view (SessionState) keeps its strings here. */
    values: Record<string, string>;
  }
}

const MemoryStore = createMemoryStore(session);

export class PanelSessions {
  private readonly store: InstanceType<typeof MemoryStore>;
  private readonly handler: RequestHandler;

  /** @param idleMs a session unused this long is forgotten */
  constructor(idleMs = 12 * 60 * 60 * 1000) {
    this.store = new MemoryStore({ ttl: idleMs, checkPeriod: Math.min(idleMs, 60 * 60 * 1000) });
    this.handler = session({
      name: SESSION_COOKIE,
      // Sessions live in this process only, so a secret of its own is enough.
      secret: crypto.randomBytes(32).toString('base64url'),
      store: this.store,
      resave: false,
      // A session starts once something is kept in it (every page keeps the host's CSRF token).
      saveUninitialized: false,
      cookie: { httpOnly: true, sameSite: 'lax', secure: 'auto', path: '/' },
    });
  }

  /** Finds the browser's session or starts one; every later handler can call state(req). */
  middleware(): RequestHandler {
    return this.handler;
  }

  /** The contract's key/value view of the request's session. */
  state(req: Request): SessionState {
    if (!req.session) throw new Error('demo sessions: the session middleware did not run for this request');
    return {
      get: (key) => req.session.values?.[key],
      set: (key, value) => {
        if (value !== undefined) (req.session.values ??= {})[key] = value;
        else if (req.session.values) delete req.session.values[key];
      },
    };
  }

  /** A new session id (on sign-in and sign-out, against session fixation), keeping the named values. */
  async regenerate(req: Request, keep: string[]): Promise<void> {
    const old = req.session.values ?? {};
    await new Promise<void>((resolve, reject) => req.session.regenerate((err: unknown) => (err ? reject(err) : resolve())));
    req.session.values = Object.fromEntries(keep.flatMap((key) => (old[key] === undefined ? [] : [[key, old[key]]])));
  }

  /** Forgets every session and stops the pruning timer. */
  close(): void {
    this.store.stopInterval();
    this.store.clear();
  }
}
