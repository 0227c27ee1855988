// Renders the host's EJS views and wraps pages (the host's and the plugin's) in the panel layout:
// header, language switch, left menu, title, content.
import fs from 'node:fs';
import path from 'node:path';
import ejs from 'ejs';
import type { Request, Response } from 'express';
import type { PluginPage } from 'support-requests';
import { csrfToken } from './csrf';
import { LOCALES, PANEL_NAME, strings } from './i18n';
import type { Identity } from './identity';
import type { PanelMenu } from './menu';
import type { PanelSessions } from './sessions';

/** demo/views: beside this file when run from source, two folders up from dist/demo. */
function viewsDir(): string {
  const beside = path.join(__dirname, 'views');
  return fs.existsSync(beside) ? beside : path.resolve(__dirname, '..', '..', 'demo', 'views');
}

export class Views {
  private readonly compiled = new Map<string, ejs.TemplateFunction>();

  constructor(private readonly dir = viewsDir()) {}

  render(name: string, data: object): string {
    let template = this.compiled.get(name);
    if (!template) {
      const filename = path.join(this.dir, `${name}.ejs`);
      template = ejs.compile(fs.readFileSync(filename, 'utf8'), { filename, async: false });
      this.compiled.set(name, template);
    }
    return template(data);
  }
}

export interface LayoutParts {
  views: Views;
  menu: PanelMenu;
  identity: Identity;
  sessions: PanelSessions;
}

export class Layout {
  constructor(private readonly parts: LayoutParts) {}

  /** The contract's render(): `page.html` goes in raw; the plugin has escaped its content. */
  render(req: Request, res: Response, page: PluginPage): void {
    this.renderWithBadges(req, res, page).catch((err: unknown) => {
      console.error(`demo layout: ${(err as Error)?.stack ?? String(err)}`);
      if (!res.headersSent) res.status(500).type('text').send('Internal error');
    });
  }

  private async renderWithBadges(req: Request, res: Response, page: PluginPage): Promise<void> {
    const { views, menu, identity, sessions } = this.parts;
    const user = identity.user(req);
    const locale = identity.locale(req);
    const path = req.originalUrl.split('?')[0] ?? '/';
    const sections = user ? menu.visible(user.role, locale, path) : [];
    const counts = new Map<object, number | null>();
    for (const item of sections.flatMap((s) => s.items)) {
      if (user && item.badge) counts.set(item, await item.badge(user));
    }
    const html = views.render('layout', {
      panelName: PANEL_NAME,
      title: page.title,
      html: page.html,
      locale,
      locales: LOCALES,
      s: strings[locale],
      user,
      menu: sections.map((section) => ({ ...section, items: section.items.map((item) => ({ ...item, count: counts.get(item) ?? null })) })),
      csrfToken: csrfToken(sessions.state(req)),
      // After a POST the page's URL may only take POSTs; the language switch then goes home.
      returnTo: req.method === 'GET' || req.method === 'HEAD' ? req.originalUrl : '/',
    });
    res.status(page.status ?? 200);
    res.set('Cache-Control', 'no-store');
    res.type('html').send(html);
  }

  /** Renders one of the host's own views and shows it in the layout. */
  page(req: Request, res: Response, view: string, title: string, data: object = {}, status = 200): void {
    const locale = this.parts.identity.locale(req);
    const html = this.parts.views.render(view, {
      ...data,
      locale,
      s: strings[locale],
      csrfToken: csrfToken(this.parts.sessions.state(req)),
    });
    this.render(req, res, { title, html, status });
  }

  /** A short page with a title and a sentence (404, 403, 500...). */
  message(req: Request, res: Response, status: number, key: keyof (typeof strings)['ru']['errors']): void {
    const text = strings[this.parts.identity.locale(req)].errors[key];
    this.page(req, res, 'message', text.title, { text: text.text }, status);
  }
}
