// Per-request context: who is signed in (from the host), in which language to answer.
import type { NextFunction, Request, Response } from 'express';
import type { HostUser, Locale, SupportHost } from '../host';
import { chooseLocale, type Catalog, type Translate } from '../i18n';
import { knownTimeZone } from '../model/time-zone';

export interface RequestContext {
  user: HostUser | null;
  locale: Locale;
  t: Translate;
  /** The user's time zone (IANA), else the plugin's setting; the server's own when neither. */
  timeZone: string | undefined;
}

// Kept beside the response rather than in the host's res.locals, which stay the host's.
const contexts = new WeakMap<Response, RequestContext>();

export function contextOf(res: Response): RequestContext {
  return contexts.get(res) as RequestContext;
}

/**
 * @param currentUser the host's currentUser()
 * @param defaultTimeZone settings.timeZone
 */
export function attachContext(
  currentUser: SupportHost['currentUser'],
  catalog: Catalog,
  defaultLocale: Locale,
  defaultTimeZone: string | undefined,
) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const user = await currentUser(req);
    const locale = chooseLocale(user?.locale, req.get('accept-language'), catalog.supported, defaultLocale);
    const timeZone = knownTimeZone(user?.timeZone) ?? defaultTimeZone;
    contexts.set(res, { user, locale, t: catalog.translator(locale), timeZone });
    // Forms carry their CSRF token in the action URL; keep it out of Referer headers.
    res.set('Referrer-Policy', 'same-origin');
    res.set('Content-Language', locale);
    next();
  };
}
