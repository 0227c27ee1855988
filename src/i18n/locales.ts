// The plugin's languages, as plugin.json's locales.supported lists them: read once, so every
// choice of language (a form's select, a check of what was chosen, a column per language) is
// this one list. activate() checks the manifest against its schema before anything runs.
import fs from 'node:fs';
import type { Locale } from '../host';
import { MANIFEST_PATH } from '../paths';

export const LOCALES: readonly Locale[] = Object.freeze(
  (JSON.parse(fs.readFileSync(MANIFEST_PATH, 'utf8')) as { locales: { supported: Locale[] } }).locales.supported,
);
