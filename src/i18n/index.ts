// Locale choice and string lookup. Strings live in locales/<locale>.json as nested objects;
// a key is the dotted path to a string, and {name} in a string is replaced by params.name.
import fs from 'node:fs';
import path from 'node:path';
import type { Locale } from '../host';

export type Translate = (key: string, params?: Record<string, string | number>) => string;

type Tree = { [key: string]: string | Tree };

export interface Catalog {
  supported: Locale[];
  translator(locale: Locale): Translate;
}

/**
 * Every string of a catalog under its dotted key. Looked up once at load rather than by walking
 * the tree at each t() call: a queue page asks for a few dozen strings, some once per row. Only
 * strings are kept, so a key that names a section, or nothing, is missing as before.
 */
function flatten(tree: Tree, prefix = '', into = new Map<string, string>()): Map<string, string> {
  for (const [name, node] of Object.entries(tree)) {
    if (typeof node === 'string') into.set(prefix + name, node);
    else flatten(node, `${prefix}${name}.`, into);
  }
  return into;
}

export function loadCatalog(directory: string, supported: Locale[]): Catalog {
  const texts = new Map<Locale, Map<string, string>>();
  for (const locale of supported) {
    texts.set(locale, flatten(JSON.parse(fs.readFileSync(path.join(directory, `${locale}.json`), 'utf8')) as Tree));
  }
  return {
    supported,
    translator(locale) {
      const strings = texts.get(locale) as Map<string, string>;
      return (key, params) => {
        // A missing string shows its key, which a test for complete locales catches.
        const text = strings.get(key) ?? key;
        return params ? text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole)) : text;
      };
    },
  };
}

/** Locales named by an Accept-Language header, best first. */
export function acceptedLocales(header: string | undefined): string[] {
  if (!header) return [];
  return header
    .split(',')
    .map((part, index) => {
      const [tag = '', ...options] = part.trim().split(';');
      const q = options.map((o) => o.trim()).find((o) => o.startsWith('q='));
      return { tag: tag.trim().toLowerCase(), q: q ? Number(q.slice(2)) : 1, index };
    })
    .filter((l) => l.tag && l.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index)
    .map((l) => l.tag.split('-')[0] as string);
}

/** The user's own language, else the browser's, else the configured default. */
export function chooseLocale(
  userLocale: string | undefined,
  acceptLanguage: string | undefined,
  supported: Locale[],
  fallback: Locale,
): Locale {
  const candidates = [userLocale?.toLowerCase().split(/[-_]/)[0], ...acceptedLocales(acceptLanguage)];
  return (candidates.find((c) => supported.includes(c as Locale)) as Locale | undefined) ?? fallback;
}
