// Renders the plugin's EJS views to HTML and hands the result to the host's layout.
import path from 'node:path';
import ejs from 'ejs';
import type { Request, Response } from 'express';
import type { SupportHost } from '../host';
import type { Problem } from '../model/errors';
import { LOCALES } from '../model/locales';
import { firstResponsePromise, type Promised } from '../model/regulation';
import type { Department } from '../model/types';
import { LIMITS } from '../domain/field-rules';
import { formatDuration, formatSize, formatSpan, formatTime, usualResponse, willAnswer } from '../i18n/format';
import { contextOf } from './context';
import { escapeHtml } from './escape-html';
import { serviceStatusIn } from './service-status';
import type { Script, Stylesheet } from './stylesheet';

/**
 * How a page view sees its data. No with(): a view takes what it uses from `locals` in its first
 * lines, so every name it reads is a plain variable instead of a lookup through the data object
 * (a queue page rendered in half the time without it). Strict mode makes a name a view forgot a
 * ReferenceError; test/unit/view-locals.test.ts finds one before any page is shown.
 */
export const VIEW_SCOPE = { _with: false, strict: true } as const;

export interface Renderer {
  /** Where the plugin's pages are (see public-address.ts): every link and redirect starts with it. */
  base: string;
  page(req: Request, res: Response, view: string, title: string, data: object, status?: number): Promise<void>;
  /** A short page with a title and a sentence, for 401/403/404/500. */
  message(req: Request, res: Response, status: number, key: string): Promise<void>;
}

/**
 * @param show the host's render(): wraps a page in the panel's layout
 * @param base where the plugin's pages are (see public-address.ts); every link in a page starts with it
 */
export function renderer(show: SupportHost['render'], viewsDir: string, stylesheet: Stylesheet, base: string, script?: Script): Renderer {
  // The views are files of the package: compiled once, whatever the host's NODE_ENV. Includes
  // name their file from the views folder (root), so rendering never asks the disk where it is.
  const options: ejs.Options & { async: false } = { ...VIEW_SCOPE, cache: true, async: false, root: viewsDir, escape: escapeHtml };

  async function page(req: Request, res: Response, view: string, title: string, data: object, status = 200): Promise<void> {
    const { t, locale, user, timeZone } = contextOf(res);
    const html = await ejs.renderFile(
      path.join(viewsDir, `${view}.ejs`),
      {
        ...data,
        t,
        locale,
        user,
        base,
        // Every view reads its maxlength attributes and its lists of languages from here.
        limits: LIMITS,
        locales: LOCALES,
        time: (ms: number) => formatTime(ms, locale, timeZone),
        size: (bytes: number) => formatSize(bytes, locale),
        duration: (ms: number) => formatDuration(ms, locale),
        // A host's status word in the page's language; a department's usual time to answer, or null.
        serviceStatus: serviceStatusIn(t),
        usualResponse: (department: Department) => usualResponse(firstResponsePromise(department), t, locale),
        willAnswer: (promised: Promised) => willAnswer(promised, t, locale),
        span: (ms: number) => formatSpan(ms, t),
      },
      options,
    );
    // A stylesheet link is allowed in the body, so this works with any host layout.
    // The script last: it improves what is above it, and the page is whole without it.
    show(req, res, { title, html: `${stylesheet.link(base)}\n${html}${script ? `\n${script.link(base)}` : ''}`, status });
  }

  return {
    base,
    page,
    message(req, res, status, key) {
      const { t } = contextOf(res);
      return page(req, res, 'message', t(`${key}.title`), { text: t(`${key}.text`) }, status);
    },
  };
}

/** Problems by field, as localized sentences for the view. */
export function localizeProblems(res: Response, problems: Record<string, Problem>): Record<string, string> {
  const { t } = contextOf(res);
  return Object.fromEntries(Object.entries(problems).map(([field, p]) => [field, t(p.key, p.params)]));
}
