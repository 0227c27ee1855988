// The how-to page's subject rule: "do not duplicate the message in the subject". A subject may
// well be the message's opening words ("VPS down" / "VPS down since 09:40, ping times out"); what
// the rule is after is a message that says nothing the subject does not already say.
import type { Problem } from '../model/errors';

/** At most this many words may be added to the subject and the message still say nothing new. */
export const FEW_WORDS = 3;
/** A subject longer than this (in words or characters) is long enough to be a copied sentence. */
export const LONG_SUBJECT_WORDS = 8;
export const LONG_SUBJECT_CHARS = 60;

/** Words as compared: case, punctuation, spacing and ё/е do not make two texts different. */
function wordsOf(text: string): string[] {
  const normalized = text
    .toLowerCase()
    .replace(/ё/g, 'е')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
  return normalized ? normalized.split(' ') : [];
}

/**
 * Whether a text has at least `count` words, from a look at its first pieces between spaces
 * only: each piece with a letter or digit holds a word. A long message is not normalized whole
 * just to find it says more than the subject.
 */
function hasAtLeastWords(text: string, count: number): boolean {
  let found = 0;
  for (const piece of text.split(/\s+/, count * 2 + 8)) if (/[\p{L}\p{N}]/u.test(piece) && ++found >= count) return true;
  return false;
}

/**
 * True when the message adds nothing to the subject: it holds every word of the subject (in any
 * order) and at most FEW_WORDS more, none of them a number, as a time, an error code or an
 * address is always news ("Сайт не работает, помогите!" adds nothing; "VPS down since 09:40" does).
 */
function messageAddsNothing(subject: string, message: string): boolean {
  const subjectWords = wordsOf(subject);
  if (subjectWords.length === 0 || hasAtLeastWords(message, subjectWords.length + FEW_WORDS + 1)) return false;
  const rest = wordsOf(message);
  for (const word of subjectWords) {
    const at = rest.indexOf(word);
    if (at < 0) return false;
    rest.splice(at, 1);
  }
  return rest.length <= FEW_WORDS && !rest.some((word) => /\p{N}/u.test(word));
}

/** True when a long subject is a run of the message's words copied, such as its first sentence. */
function subjectCopiedFromMessage(subject: string, message: string): boolean {
  const subjectWords = wordsOf(subject);
  const long = subjectWords.length > LONG_SUBJECT_WORDS || subject.trim().length > LONG_SUBJECT_CHARS;
  return long && ` ${wordsOf(message).join(' ')} `.includes(` ${subjectWords.join(' ')} `);
}

/** Advice with an example subject that fits the department; neutral for departments an admin added. */
const ADVICE = new Map<string, { refused: Problem; warning: Problem }>([
  [
    'client_relations',
    { refused: { key: 'errors.subject.repeatsMessage.clientRelations' }, warning: { key: 'subjectWarning.copied.clientRelations' } },
  ],
  ['technical', { refused: { key: 'errors.subject.repeatsMessage.technical' }, warning: { key: 'subjectWarning.copied.technical' } }],
  ['emergency', { refused: { key: 'errors.subject.repeatsMessage.emergency' }, warning: { key: 'subjectWarning.copied.emergency' } }],
]);
const NEUTRAL_ADVICE = {
  refused: { key: 'errors.subject.repeatsMessage.other' },
  warning: { key: 'subjectWarning.copied.other' },
};

export interface SubjectCheck {
  /** Blocks the request. */
  refused?: Problem;
  /** The form comes back once; the customer may send it as it is. */
  warning?: Problem;
}

/** What the subject rule says about a subject, with advice for the department chosen (if any). */
export function checkSubject(subject: string, message: string, departmentCode: string | null, confirmed: boolean): SubjectCheck {
  const advice = (departmentCode !== null && ADVICE.get(departmentCode)) || NEUTRAL_ADVICE;
  if (messageAddsNothing(subject, message)) return { refused: advice.refused };
  if (!confirmed && subjectCopiedFromMessage(subject, message)) return { warning: advice.warning };
  return {};
}
