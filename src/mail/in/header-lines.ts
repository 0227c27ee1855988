// The raw header lines of a message, read as the intake needs them: in their order, unfolded,
// so the first Authentication-Results is the topmost and a repeated header is seen whole.

/** A header line as mailparser keeps it: the lower-cased name and the line, folding included. */
export interface HeaderLine {
  key: string;
  line: string;
}

/** The values of every header with this (lower-cased) name, top first, unfolded and trimmed. */
export function headerValues(lines: readonly HeaderLine[], key: string): string[] {
  return lines
    .filter((header) => header.key === key)
    .map((header) => {
      const colon = header.line.indexOf(':');
      return header.line
        .slice(colon + 1)
        .replace(/\r?\n[ \t]+/g, ' ')
        .trim();
    });
}

/** How many Message-IDs a header may name before the middle of the list is dropped. */
const MAX_IDS = 100;

/**
 * The Message-IDs a header lists (In-Reply-To, References), with their angle brackets, once each.
 * A References of thousands keeps its first ten (the thread's start) and its last ninety.
 */
export function messageIds(values: string[]): string[] {
  const found: string[] = [];
  for (const value of values) {
    const bracketed = value.match(/<[^<>\s]{1,250}>/g);
    // Some clients drop the brackets: a bare id is a word with an "@".
    const ids =
      bracketed ??
      value
        .split(/[\s,]+/)
        .filter((word) => /^[^<>\s@]+@[^<>\s@]+$/.test(word) && word.length <= 250)
        .map((word) => `<${word}>`);
    found.push(...ids);
  }
  const unique = [...new Set(found)];
  return unique.length > MAX_IDS ? [...unique.slice(0, 10), ...unique.slice(-(MAX_IDS - 10))] : unique;
}
