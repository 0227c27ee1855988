// The plugin's languages. plugin.json's locales.supported lists the same (a unit test holds
// them equal); every choice of language (a form's select, a check of what was chosen, a column
// per language) reads this one list.
import type { Locale } from '../host';

export const LOCALES: readonly Locale[] = Object.freeze(['ru', 'en'] as const);
