// The name an attachment is shown, downloaded and e-mailed under: attachmentName() makes it when
// the file is stored, and every page, Content-Disposition and e-mail uses the stored name. (The
// store applies it again when reading, for rows written before these rules; it changes nothing
// in a name it made.)
import { extensionsOf } from './types';

/** Longest name, in UTF-16 units: what NTFS allows, and never more characters than the column holds. */
export const NAME_MAX = 255;
/** A longer ".something" is part of the name, not an extension worth keeping when shortening. */
const EXTENSION_MAX = 16;

// Controls (C0, DEL, C1), format characters (bidi marks and overrides U+200E/F, U+202A–202E,
// U+2066–2069, U+061C; zero-width U+200B–200D, U+2060, U+FEFF; soft hyphen; tag characters),
// line/paragraph separators and lone surrogates: invisible, or able to reorder what is shown.
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Cs}\u2028\u2029]/gu;
// Characters Windows does not allow in a name; browsers and mail clients would change them anyway.
const WINDOWS_FORBIDDEN = /[<>:"|?*]/g;
// Windows opens a device, not a file, for these names, whatever extension follows.
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])$/i;
const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** The last ".ext" of a name (lower case), or "" when it has none; a leading dot (".env") is not one. */
export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  if (dot <= 0 || name.length - dot > EXTENSION_MAX) return '';
  return name.slice(dot).toLowerCase();
}

/** Cuts whole characters (grapheme clusters, so never half a surrogate pair) off the end. */
function cutTo(text: string, max: number): string {
  let out = '';
  for (const { segment } of graphemes.segment(text)) {
    if (out.length + segment.length > max) break;
    out += segment;
  }
  return out;
}

/** Windows drops trailing dots and spaces, which would reveal a different extension ("run.bat."). */
function trimEnds(name: string): string {
  return name.replace(/^\s+/u, '').replace(/[\s.]+$/u, '');
}

/** Shortens a name to NAME_MAX, keeping its extension. */
function fit(name: string): string {
  if (name.length <= NAME_MAX) return name;
  const ext = extensionOf(name);
  return trimEnds(cutTo(name.slice(0, name.length - ext.length), NAME_MAX - ext.length)) + ext;
}

/**
 * A sender's file name made safe to show and to save: no folders, no invisible or
 * reordering characters, NFC, valid on Windows, at most NAME_MAX long. Never empty.
 */
export function cleanFileName(raw: string): string {
  const base = raw.split(/[\\/]/).pop() ?? '';
  let name = trimEnds(base.replace(INVISIBLE, '').normalize('NFC').replace(WINDOWS_FORBIDDEN, '_'));
  if (WINDOWS_DEVICE.test(name.split('.')[0]!.trim())) name = `_${name}`;
  return fit(name) || 'file';
}

/**
 * The name a file of the detected type is kept under. It keeps its extension only when that
 * extension is one of the type's; otherwise the type's own extension is added, so a double click
 * opens it with what it really is: "fix.bat" with text in it becomes "fix.bat.txt", a PNG named
 * "x.exe" becomes "x.exe.png", a ZIP named "y.jar" or "z.docx" becomes "y.jar.zip" /
 * "z.docx.zip" (a .jar runs, and Office opens .docx files with its own, exploitable, parsers;
 * we accept ZIP archives, not Office documents).
 *
 * Text files with another extension are stored as "<name>.txt" rather than refused: customers of
 * a hosting provider send nginx.conf's neighbours every day (index.php, deploy.sh, .htaccess, .env,
 * a log without an extension), and the text of those files is what support needs. Renamed, the
 * file still reads in any editor, and no mailbox or desktop runs or renders it.
 */
export function attachmentName(raw: string, contentType: string): string {
  const name = cleanFileName(raw);
  const allowed = extensionsOf(contentType);
  if (allowed.length === 0 || allowed.includes(extensionOf(name))) return name;
  // fit() shortens what comes before the last extension, so the added one is never cut off.
  return fit(name + allowed[0]!);
}
