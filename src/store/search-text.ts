// Text as the staff search compares it. The subject is stored folded beside the original, because
// SQLite's LIKE ignores case for Latin letters only, and a Russian panel searches in Cyrillic.
export function foldForSearch(text: string): string {
  return text.toLowerCase();
}
