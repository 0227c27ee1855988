// Text as the searches compare it (the staff queue's, the customer's list's). The subject is
// stored folded beside the original, because SQLite's LIKE ignores case for Latin letters only,
// and a Russian panel searches in Cyrillic.
import type { Knex } from 'knex';

export function foldForSearch(text: string): string {
  return text.toLowerCase();
}

/** The request number a search asks for: eight digits, as quoted on pages (№) and in mail (#); null for anything else. */
export function searchedNumber(text: string): string | null {
  return /^[#№]?\s*(\d{8})$/.exec(text.trim())?.[1] ?? null;
}

/** Words of a subject search, folded; at most eight, so a pasted paragraph stays a cheap query. */
export function searchedWords(text: string): string[] {
  return foldForSearch(text.trim()).split(/\s+/).filter(Boolean).slice(0, 8);
}

/**
 * Keeps the tickets a search by number or subject finds: the one with that number, or those whose
 * subject has every word, whatever its case (both sides are folded the same way). '!' is the
 * escape character on all three databases, so wildcards typed by the user are literal.
 */
export function whereNumberOrSubject(query: Knex.QueryBuilder, text: string): void {
  const number = searchedNumber(text);
  if (number) {
    query.where('number', number);
    return;
  }
  for (const word of searchedWords(text)) {
    query.whereRaw(`?? like ? escape '!'`, ['subject_search', `%${word.replace(/[!%_]/g, (c) => `!${c}`)}%`]);
  }
}
