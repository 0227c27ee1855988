// The text of an HTML body, for mail that has no text/plain part: what a person reads, never the
// markup. Scripts, styles and images are dropped, blockquotes become "> " lines (so the quoted
// history is cut like a plain-text reply's), a table row becomes a line, and a link keeps its
// address only when it is a web or mail address (a "javascript:" link shows its words alone).
import { convert, type HtmlToTextOptions } from 'html-to-text';

/**
 * Longer HTML is cut: converting costs about a second per megabyte, and a request's text is far
 * shorter (the message is kept whole for staff).
 */
const MAX_HTML_CHARS = 1_000_000;
/** Deeper nesting costs the converter more than linear time: such HTML is read as a flat list of words. */
const MAX_NESTING = 1000;

const keepsCase = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].map((selector) => ({ selector, options: { uppercase: false } }));

const OPTIONS: HtmlToTextOptions = {
  wordwrap: false,
  limits: { maxDepth: MAX_NESTING },
  selectors: [
    ...keepsCase,
    { selector: 'img', format: 'skip' },
    { selector: 'iframe', format: 'skip' },
    { selector: 'object', format: 'skip' },
    { selector: 'svg', format: 'skip' },
    // A row per line, cells side by side: the converter's column layout costs the square of the rows.
    { selector: 'table', format: 'block' },
    { selector: 'tr', format: 'block', options: { leadingLineBreaks: 1, trailingLineBreaks: 1 } },
    { selector: 'td', format: 'inlineSurround', options: { suffix: '  ' } },
    { selector: 'th', format: 'inlineSurround', options: { suffix: '  ' } },
    {
      selector: 'a',
      options: {
        hideLinkHrefIfSameAsText: true,
        // The converter hands a mailto: address over without its scheme; anything else must be a web address.
        pathRewrite: (href: string) => {
          const address = href.trim();
          return /^(?:https?:|ftp:)/i.test(address) || /^[^:/\s]+@[^:/\s]+$/.test(address) ? address : '';
        },
      },
    },
  ],
};

export function htmlToText(html: string): string {
  const cut = html.slice(0, MAX_HTML_CHARS);
  return convert(nestsDeeperThan(cut, MAX_NESTING) ? flattened(cut) : cut, OPTIONS);
}

/**
 * Every tag a line break but those of scripts and styles (whose content cannot nest, and which the
 * converter still drops): the words survive, the depth does not. "[^<>]*" keeps the scan linear.
 */
function flattened(html: string): string {
  return html.replace(/<\/?(?!(?:script|style|head|title)\b)[a-zA-Z][^<>]*>/gi, '<br>');
}

/** Elements that hold nothing, or that the next sibling closes (li, td, p...): they do not deepen. */
const FLAT = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr']);
const CLOSED_BY_SIBLING = new Set(['p', 'li', 'dt', 'dd', 'option', 'optgroup', 'tr', 'td', 'th', 'thead', 'tbody', 'tfoot']);

/**
 * Whether elements nest deeper than `max`, in one pass: a start tag opens one, an end tag closes
 * down to the nearest open one of its name (as the HTML parser does) and is ignored otherwise.
 */
function nestsDeeperThan(html: string, max: number): boolean {
  const stack: string[] = [];
  const open = new Map<string, number>();
  for (const match of html.matchAll(/<(\/?)([a-zA-Z][a-zA-Z0-9:-]*)/g)) {
    const name = (match[2] as string).toLowerCase();
    if (FLAT.has(name) || CLOSED_BY_SIBLING.has(name)) continue;
    if (match[1] === '') {
      stack.push(name);
      open.set(name, (open.get(name) ?? 0) + 1);
      if (stack.length > max) return true;
    } else if ((open.get(name) ?? 0) > 0) {
      let top: string | undefined;
      do {
        top = stack.pop();
        if (top !== undefined) open.set(top, (open.get(top) ?? 1) - 1);
      } while (top !== undefined && top !== name);
    }
  }
  return false;
}
