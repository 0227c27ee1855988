// Per-request context: who is signed in (from the host), in which language to answer.
import type { NextFunction, Request, Response } from 'express';
import type { HostUser, Locale, SupportHost } from '../host';
import { chooseLocale, type Catalog, type Translate } from '../i18n';

export interface RequestContext {
  user: HostUser | null;
  locale: Locale;
  t: Translate;
}

export function contextOf(res: Response): RequestContext {
  return res.locals.support as RequestContext;
}

export function attachContext(host: SupportHost, catalog: Catalog, defaultLocale: Locale) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const user = await host.currentUser(req);
    const locale = chooseLocale(user?.locale, req.get('accept-language'), catalog.supported, defaultLocale);
    const context: RequestContext = { user, locale, t: catalog.translator(locale) };
    res.locals.support = context;
    // Forms carry their CSRF token in the action URL; keep it out of Referer headers.
    res.set('Referrer-Policy', 'same-origin');
    res.set('Content-Language', locale);
    next();
  };
}
