// Who is signed in: the user id and the chosen language kept in the session, the user read once
// per request from panel_users, and the contract's HostUser made from them.
import type { Request, RequestHandler } from 'express';
import type { Knex } from 'knex';
import type { HostUser, Locale } from 'support-requests';
import { findAccount, type PanelUser } from './accounts';
import { acceptedLanguages, asLocale, pickLocale } from './i18n';
import type { PanelSessions } from './sessions';

const USER_KEY = 'panel.userId';
const LANGUAGE_KEY = 'panel.language';

export class Identity {
  private readonly users = new WeakMap<Request, PanelUser | null>();

  constructor(
    private readonly knex: Knex,
    private readonly sessions: PanelSessions,
  ) {}

  /** Reads the signed-in user for the request (after the session middleware). */
  middleware(): RequestHandler {
    return async (req, _res, next) => {
      await this.load(req);
      next();
    };
  }

  /** Anonymous GETs go to the sign-in page; anything else passes (the plugin answers 401 itself). */
  requireSignIn(): RequestHandler {
    return (req, res, next) => {
      if (this.user(req) || req.path === '/login' || (req.method !== 'GET' && req.method !== 'HEAD')) return next();
      const back = req.originalUrl === '/' ? '' : `?next=${encodeURIComponent(req.originalUrl)}`;
      res.redirect(303, `/login${back}`);
    };
  }

  user(req: Request): PanelUser | null {
    return this.users.get(req) ?? null;
  }

  /** The contract's currentUser(): the locale is the session's choice, else the user's own. */
  async currentUser(req: Request): Promise<HostUser | null> {
    const user = this.users.has(req) ? this.user(req) : await this.load(req);
    if (!user) return null;
    const locale = this.chosenLanguage(req) ?? user.locale;
    return {
      id: user.id,
      role: user.role,
      name: user.name,
      email: user.email,
      ...(locale ? { locale } : {}),
      ...(user.role === 'staff' ? { departments: user.departments } : {}),
    };
  }

  /** The language of the host's pages: the session's choice, the user's, the browser's, else ru. */
  locale(req: Request): Locale {
    return pickLocale(this.chosenLanguage(req), this.user(req)?.locale, ...acceptedLanguages(req.get('accept-language')));
  }

  setLanguage(req: Request, locale: Locale): void {
    this.sessions.state(req).set(LANGUAGE_KEY, locale);
  }

  async signIn(req: Request, user: PanelUser): Promise<void> {
    await this.sessions.regenerate(req, [LANGUAGE_KEY]);
    this.sessions.state(req).set(USER_KEY, user.id);
    this.users.set(req, user);
  }

  async signOut(req: Request): Promise<void> {
    await this.sessions.regenerate(req, [LANGUAGE_KEY]);
    this.users.set(req, null);
  }

  private chosenLanguage(req: Request): Locale | undefined {
    return asLocale(this.sessions.state(req).get(LANGUAGE_KEY));
  }

  private async load(req: Request): Promise<PanelUser | null> {
    const session = this.sessions.state(req);
    const id = session.get(USER_KEY);
    const user = id ? await findAccount(this.knex, id) : null;
    if (id && !user) session.set(USER_KEY, undefined);
    this.users.set(req, user);
    return user;
  }
}
