// The plugin's router: who is asking decides which routes they get; errors become pages.
import { Router, type NextFunction, type Request, type Response } from 'express';
import type { HostLogger, SupportHost } from '../host';
import { contextOf, attachContext } from './context';
import { answerFor, shortReason } from './error-answers';
import type { Renderer } from './render';
import type { Catalog } from '../i18n';
import type { Locale } from '../host';
import { SCRIPT_PATH, STYLESHEET_PATH, type Script, type Stylesheet } from './stylesheet';
import { isStorageUnavailable } from '../files/unavailable';
import { answerUnavailable } from './unavailable';
import { MAIL_IN_PATH, mailIntakeRoute } from './mail-intake-route';
import type { InboundSettings } from '../model/settings';
import type { ReceiveMail } from '../model/inbound';

export interface RouterParts {
  /** The host's currentUser(). */
  currentUser: SupportHost['currentUser'];
  catalog: Catalog;
  defaultLocale: Locale;
  render: Renderer;
  customer: Router;
  admin: Router;
  staff: Router;
  stylesheet: Stylesheet;
  script: Script;
  logger: HostLogger;
  /** Whether an error means the database is not there right now (the store's classifier). */
  isDatabaseUnavailable(err: unknown): boolean;
  /** The intake, for the pipe command's endpoint, and the settings that turn it on. */
  receiveMail: ReceiveMail;
  inbound: InboundSettings;
}

export function pluginRouter({
  currentUser,
  catalog,
  defaultLocale,
  render,
  customer,
  admin,
  staff,
  stylesheet,
  script,
  logger,
  isDatabaseUnavailable,
  receiveMail,
  inbound,
}: RouterParts): Router {
  const router = Router();
  // Static and the same for everyone, so before who is asking is looked up.
  router.get(STYLESHEET_PATH, stylesheet.serve);
  router.get(SCRIPT_PATH, script.serve);
  // A machine's door, with its own secret: no user, no session, no CSRF token.
  router.post(MAIL_IN_PATH, ...mailIntakeRoute({ inbound, receiveMail, logger, isDatabaseUnavailable }));
  router.use(attachContext(currentUser, catalog, defaultLocale));

  router.use((req, res, next) => {
    const { user } = contextOf(res);
    if (!user) {
      render.message(req, res, 401, 'errors.signIn').catch(next);
    } else if (user.role === 'client') {
      customer(req, res, next);
    } else if (user.role === 'admin') {
      admin(req, res, (err?: unknown) => (err ? next(err) : staff(req, res, next)));
    } else {
      staff(req, res, next);
    }
  });

  router.use((req, res, next) => void render.message(req, res, 404, 'errors.notFound').catch(next));

  // Four parameters: express knows an error handler by its arity.
  router.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    if (res.headersSent) return void res.destroy();
    // Should the page itself fail, a plain sentence still answers: never the host's stack page.
    const plainly = (status: number) => () => {
      if (!res.headersSent) res.status(status).type('text').send(`Error ${status}`);
    };
    const outage = isDatabaseUnavailable(err) ? 'database' : isStorageUnavailable(err) ? 'storage' : null;
    if (outage) {
      // An outage, not a bug: one line, no stack; the page keeps what was typed.
      logger.error(
        `support-requests: ${req.method} ${req.baseUrl}${req.path}: ${outage} unavailable: ${(err as { code?: string })?.code ?? ''} ${(err as Error)?.message ?? String(err)}`.replace(
          / +/g,
          ' ',
        ),
      );
      return void answerUnavailable(render, req, res, outage).catch(plainly(503));
    }
    const { status, key, log } = answerFor(err);
    // The path only: the query string may carry the CSRF token.
    const where = `${req.method} ${req.baseUrl}${req.path}`;
    if (log === 'line') logger.warn(`support-requests: ${where} answered ${status}: ${shortReason(err)}`);
    if (log === 'stack') logger.error(`support-requests: ${where} failed: ${(err as Error)?.stack ?? String(err)}`);
    render.message(req, res, status, key).catch(plainly(status));
  });

  return router;
}
