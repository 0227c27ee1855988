// The demo's Mailbox: what the SMTP catcher received, as a list, one e-mail, and its attachments.
// A demo tool, open to every signed-in role; a real panel has no such page.
import { Router, type Request, type Response } from 'express';
import type { Locale } from 'support-requests';
import { strings } from './i18n';
import type { Identity } from './identity';
import type { Layout } from './layout';
import { isUrgent, type CaughtMail, type MailCatcher } from './mail-catcher';

export const MAILBOX_PATH = '/mailbox';

export interface MailboxParts {
  catcher: MailCatcher;
  identity: Identity;
  layout: Layout;
}

/**
 * The e-mail's HTML goes into a sandboxed srcdoc frame, which inherits this policy: no scripts,
 * no remote images or fonts (a mail client's "don't load remote content"), styles and data: images
 * only. Forms may post to the panel itself for the layout's language switch and sign-out.
 */
const MAILBOX_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; frame-ancestors 'none'";

/** A file name safe for Content-Disposition and the user's disk: no paths, no control characters. */
export function safeFilename(name: string, fallback: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const clean = base
    .replace(/[\u0000-\u001f\u007f"]+/g, '')
    .trim()
    .replace(/^\.+/, '')
    .slice(0, 200);
  return clean || fallback;
}

/** Plain text cut into runs, `link` for http(s) addresses: the view links those and escapes everything. */
export function textParts(text: string): Array<{ text: string; link: boolean }> {
  const parts: Array<{ text: string; link: boolean }> = [];
  let last = 0;
  for (const match of text.matchAll(/https?:\/\/[^\s<>"']*[^\s<>"'.,;:!?)]/g)) {
    if (match.index > last) parts.push({ text: text.slice(last, match.index), link: false });
    parts.push({ text: match[0], link: true });
    last = match.index + match[0].length;
  }
  if (last < text.length) parts.push({ text: text.slice(last), link: false });
  return parts;
}

function formatters(locale: Locale) {
  const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeStyle: 'medium' });
  const units = strings[locale].mailbox.units;
  return {
    when: (date: Date | null) => (date ? dateTime.format(date) : ''),
    size(bytes: number): string {
      if (bytes < 1024) return `${bytes} ${units[0]}`;
      if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} ${units[1]}`;
      return `${(bytes / 1024 / 1024).toFixed(1)} ${units[2]}`;
    },
  };
}

export function mailboxRoutes({ catcher, identity, layout }: MailboxParts): Router {
  const router = Router();
  const locale = (req: Request) => identity.locale(req);

  /** The e-mail named by :id, or a 404 page. */
  function mailOf(req: Request, res: Response): CaughtMail | undefined {
    const id = String(req.params.id);
    const mail = /^\d{1,9}$/.test(id) ? catcher.get(Number(id)) : undefined;
    if (!mail) layout.message(req, res, 404, 'notFound');
    return mail;
  }

  router.use((req, res, next) => {
    if (!identity.user(req)) return res.redirect(303, '/login');
    res.set('Content-Security-Policy', MAILBOX_CSP);
    next();
  });

  router.get('/', (req, res) => {
    const l = locale(req);
    layout.page(req, res, 'mailbox', strings[l].mailbox.title, {
      mails: catcher.list(),
      base: MAILBOX_PATH,
      port: catcher.port,
      isUrgent,
      ...formatters(l),
    });
  });

  router.get('/:id', (req, res) => {
    const mail = mailOf(req, res);
    if (!mail) return;
    const l = locale(req);
    layout.page(req, res, 'mailbox-message', mail.subject || strings[l].mailbox.noSubject, {
      mail,
      base: MAILBOX_PATH,
      isUrgent,
      textParts,
      ...formatters(l),
    });
  });

  router.get('/:id/attachments/:index', (req, res) => {
    const mail = mailOf(req, res);
    if (!mail) return;
    const index = /^\d{1,4}$/.test(String(req.params.index)) ? Number(req.params.index) : -1;
    const file = mail.attachments[index];
    if (!file) return layout.message(req, res, 404, 'notFound');
    // Always a download, never rendered by the browser in the panel's origin.
    res.attachment(safeFilename(file.filename, `attachment-${index + 1}`));
    res.set({ 'Content-Type': 'application/octet-stream', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
    res.send(file.content);
  });

  return router;
}
