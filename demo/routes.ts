// The host's own pages: sign-in (demo accounts, no passwords), sign-out, language switch, and
// the customer's services. Every form carries the host's CSRF token.
import express, { Router, type Request, type RequestHandler } from 'express';
import type { Knex } from 'knex';
import { findAccount, listAccounts, servicesOf } from './accounts';
import { csrfValid } from './csrf';
import { asLocale, strings } from './i18n';
import type { Identity } from './identity';
import type { Layout } from './layout';
import type { PanelSessions } from './sessions';

export interface HostRoutesParts {
  knex: Knex;
  identity: Identity;
  sessions: PanelSessions;
  layout: Layout;
}

/** A path inside this panel ("/x?y"), never another site ("//evil", "/\\evil", "https://..."). */
function localPath(value: unknown): string | undefined {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//')) return undefined;
  if (/[\\\u0000-\u001f\u007f]/.test(value)) return undefined;
  return value;
}

function field(req: Request, name: string): unknown {
  return (req.body as Record<string, unknown> | undefined)?.[name];
}

export function hostRoutes({ knex, identity, sessions, layout }: HostRoutesParts): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 20 });
  const checkCsrf: RequestHandler = (req, res, next) => {
    if (csrfValid(sessions.state(req), field(req, '_csrf'))) next();
    else layout.message(req, res, 403, 'csrf');
  };
  const s = (req: Request) => strings[identity.locale(req)];

  router.get('/', (req, res) => res.redirect(302, identity.user(req) ? '/services' : '/login'));

  router.get('/login', async (req, res) => {
    if (identity.user(req)) return res.redirect(302, localPath(req.query.next) ?? '/services');
    const accounts = await listAccounts(knex);
    layout.page(req, res, 'login', s(req).login.title, { accounts, next: localPath(req.query.next) ?? '' });
  });

  // The token here is the pre-login session's; signing in starts a new session.
  router.post('/login', form, checkCsrf, async (req, res) => {
    const userId = field(req, 'userId');
    const user = typeof userId === 'string' ? await findAccount(knex, userId) : null;
    if (!user) return layout.message(req, res, 400, 'badRequest');
    await identity.signIn(req, user);
    res.redirect(303, localPath(field(req, 'next')) ?? '/services');
  });

  router.post('/logout', form, checkCsrf, async (req, res) => {
    await identity.signOut(req);
    res.redirect(303, '/login');
  });

  router.post('/language', form, checkCsrf, (req, res) => {
    const locale = asLocale(field(req, 'lang'));
    if (!locale) return layout.message(req, res, 400, 'badRequest');
    identity.setLanguage(req, locale);
    res.redirect(303, localPath(field(req, 'returnTo')) ?? '/');
  });

  router.get('/services', async (req, res) => {
    const user = identity.user(req);
    if (!user) return res.redirect(303, '/login');
    const services = user.role === 'client' ? await servicesOf(knex, user.id) : [];
    layout.page(req, res, 'services', s(req).services, { user, services });
  });

  return router;
}
