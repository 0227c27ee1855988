// Turns an e-mail's content into its text and HTML parts: the EJS templates under views/mail, in
// the recipient's language, with a note at the top naming files that were gone from storage when
// it was sent. It runs in the mail thread (mail-thread.ts), never on the panel's event loop.
import fs from 'node:fs';
import path from 'node:path';
import ejs from 'ejs';
import type { Locale } from '../host';
import { loadCatalog, type Catalog } from '../i18n';
import { formatDuration, formatSize, formatTime } from '../i18n/format';
import type { MailContent } from '../model/mail';

/** Where the templates and strings are: plain data, so it can cross to the mail thread. */
export interface RenderOptions {
  viewsDir: string;
  localesDir: string;
  locales: Locale[];
}

/** The content to render, and the files the e-mail goes without (its note names them). */
export interface Unrendered extends MailContent {
  locale: Locale;
  timeZone?: string;
  missingFiles?: string[];
}

export function mailRenderer(options: RenderOptions) {
  const catalog: Catalog = loadCatalog(options.localesDir, options.locales);
  const compiled = new Map<string, ejs.TemplateFunction>();

  /** Compiled once per process. Text parts are not HTML-escaped; header values never come from them. */
  function template(name: string, html: boolean): ejs.TemplateFunction {
    const key = `${name}|${html}`;
    let fn = compiled.get(key);
    if (!fn) {
      const file = path.join(options.viewsDir, 'mail', `${name}.ejs`);
      // cache: the partials a template includes are compiled once too; root: they are named from
      // the views folder, so rendering never asks the disk where they are.
      fn = ejs.compile(fs.readFileSync(file, 'utf8'), {
        filename: file,
        root: options.viewsDir,
        cache: true,
        ...(html ? {} : { escape: (value: unknown) => String(value) }),
      });
      compiled.set(key, fn);
    }
    return fn;
  }

  return function render(content: Unrendered): { text: string; html: string } {
    const { locale } = content;
    const t = catalog.translator(locale);
    const view = {
      ...content.data,
      t,
      locale,
      size: (bytes: number) => formatSize(bytes, locale),
      duration: (ms: number) => formatDuration(ms, locale),
      // With the zone's name: mail is read far from the panel, maybe in another zone.
      time: (ms: number) => formatTime(ms, locale, content.timeZone, true),
    };
    let text = template(`${content.template}.text`, false)(view);
    let html = template(`${content.template}.html`, true)(view);
    const missing = content.missingFiles ?? [];
    if (missing.length > 0) {
      const note = { t, names: missing };
      text = `${template('partials/missing-files.text', false)(note)}\n${text}`;
      // After <body>, so mail clients show it first; the html part is ours, with one body tag.
      const bodyTag = /<body[^>]*>/i.exec(html);
      const at = bodyTag ? bodyTag.index + bodyTag[0].length : 0;
      html = `${html.slice(0, at)}\n${template('partials/missing-files.html', true)(note)}${html.slice(at)}`;
    }
    return { text, html };
  };
}
