// Which department a request looks like it is for, from its subject and message: each
// department's keywords (stems an admin edits per language, "оплат" for оплата, оплатил,
// оплатить; phrases like "не работает") and, lightly, the words of its guidance. It only
// suggests: the customer decides. A department is suggested when it is clearly ahead, so a vague
// or mixed text ("оплатил сервер, а он не работает") suggests nothing rather than a guess.
//
// The browser runs this very file (served by web/department-hint-script.ts) as the customer
// types, so it imports nothing but types, and stays plain enough for any current browser.
import type { KeywordGroup } from '../model/types';

/** What the suggestion reads of a department. */
export interface SuggestionSource {
  id: number;
  /** Keyword groups per language, each with the topic the hint names ("об оплате"). */
  keywords: Record<string, KeywordGroup[]>;
  guidance: Record<string, string>;
}

export interface DepartmentSuggestion {
  departmentId: number;
  /** The topic of the best-matching keyword group in the page's language, for «Похоже на вопрос об оплате»; null when none. */
  topic: string | null;
  /** The keyword (or guidance stem) that weighed most, for tests and the curious. */
  because: string;
}

export type Suggester = (text: string, locale: string) => DepartmentSuggestion | null;

/** A keyword counts 1, a phrase (more telling) 2, a word of the guidance 0.5. */
const KEYWORD_WEIGHT = 1;
const PHRASE_WEIGHT = 2;
const GUIDANCE_WEIGHT = 0.5;
/** The winner needs this much, and this much more than the runner-up. */
const MIN_SCORE = 1;
const MIN_LEAD = 1;
/** Only the start of a very long message is read: the subject and first paragraphs say what it is about. */
const MAX_TEXT = 20_000;

/** Words of guidance texts that say nothing about which department it is. */
const GUIDANCE_STOPWORDS = new Set(
  (
    'все всех вопрос вопросы вопросов другие другой только которые который требуют работа работы отдел отдела как для или ' +
    'также услуга услуги услуг проблем проблема проблемы решения ' +
    'anything question questions other only that need needs right like with service services work works problem problems ' +
    'changing change the and for how but now'
  ).split(' '),
);

/** Lower case, ё as е, and the text cut into words of letters and digits. */
export function wordsOf(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/ё/g, 'е')
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

/** Endings to drop, longest first within each language. */
const ENDINGS = (
  'ования ением ениям ениях ение ения ений иями ями ами ого его ому ему ыми ими ая яя ое ее ые ие ых их ' +
  'ый ий ой ей ую юю ам ям ах ях ом ем ов ев ия ть а я о е ы и у ю ь й ations ation ing ed es s e'
).split(' ');

/** A word without its ending, so that the guidance's «оплата» finds «оплатил»; never shorter than 4 letters. */
function stemOf(word: string): string {
  for (const ending of ENDINGS) {
    if (word.endsWith(ending) && word.length - ending.length >= 4) return word.slice(0, -ending.length);
  }
  return word;
}

/** Where a keyword's words start the text's words, one after another (each a prefix). */
function occurs(words: string[], tokens: string[]): boolean {
  const first = tokens[0] as string;
  for (let i = 0; i + tokens.length <= words.length; i++) {
    if ((words[i] as string).startsWith(first) && tokens.every((token, j) => (words[i + j] as string).startsWith(token))) return true;
  }
  return false;
}

interface PreparedKeyword {
  tokens: string[];
  weight: number;
  text: string;
  locale: string;
  topic: string;
}

interface PreparedDepartment {
  id: number;
  keywords: PreparedKeyword[];
  guidanceStems: string[];
}

function prepare(departments: SuggestionSource[]): PreparedDepartment[] {
  const stemsOf = (d: SuggestionSource) =>
    new Set(
      Object.values(d.guidance)
        .flatMap(wordsOf)
        .filter((w) => w.length >= 4 && !/^\d+$/.test(w) && !GUIDANCE_STOPWORDS.has(w))
        .map(stemOf),
    );
  const guidance = departments.map(stemsOf);
  // A stem in the guidance of two departments tells them apart no better than none.
  const shared = new Set<string>();
  guidance.forEach((stems, i) => {
    for (const stem of stems) if (guidance.some((other, j) => j !== i && other.has(stem))) shared.add(stem);
  });
  return departments.map((d, i) => {
    const seen = new Set<string>();
    const keywords: PreparedKeyword[] = [];
    for (const [locale, groups] of Object.entries(d.keywords)) {
      for (const group of groups) {
        for (const word of group.words) {
          const tokens = wordsOf(word);
          const key = tokens.join(' ');
          // The same keyword in two groups or languages counts once.
          if (tokens.length === 0 || seen.has(key)) continue;
          seen.add(key);
          keywords.push({ tokens, weight: tokens.length > 1 ? PHRASE_WEIGHT : KEYWORD_WEIGHT, text: key, locale, topic: group.topic });
        }
      }
    }
    return { id: d.id, keywords, guidanceStems: [...(guidance[i] as Set<string>)].filter((s) => !shared.has(s)) };
  });
}

/** The topic to name: the page's language's group whose keywords weighed most (the first such group on a tie). */
function topicOf(matched: PreparedKeyword[], locale: string): string | null {
  const byTopic = new Map<string, number>();
  for (const k of matched) if (k.locale === locale && k.topic) byTopic.set(k.topic, (byTopic.get(k.topic) ?? 0) + k.weight);
  let best: string | null = null;
  for (const [topic, weight] of byTopic) if (best === null || weight > (byTopic.get(best) as number)) best = topic;
  return best;
}

/**
 * A suggester for these departments (their keywords and guidance prepared once). It takes the
 * subject and message as one text and the page's language (which topic to name), and answers a
 * department only when it scores at least MIN_SCORE and MIN_LEAD more than any other.
 */
export function departmentSuggester(departments: SuggestionSource[]): Suggester {
  const prepared = prepare(departments);
  return (text, locale) => {
    const words = wordsOf(text.slice(0, MAX_TEXT));
    if (words.length === 0) return null;
    const scored = prepared.map((d) => {
      const matched = d.keywords.filter((k) => occurs(words, k.tokens));
      const stems = d.guidanceStems.filter((s) => words.some((w) => w.startsWith(s)));
      const score = matched.reduce((sum, k) => sum + k.weight, 0) + stems.length * GUIDANCE_WEIGHT;
      return { d, matched, stems, score };
    });
    scored.sort((a, b) => b.score - a.score);
    const [first, second] = scored;
    if (!first || first.score < MIN_SCORE || first.score - (second?.score ?? 0) < MIN_LEAD) return null;
    const heaviest = [...first.matched].sort((a, b) => b.weight - a.weight)[0];
    return {
      departmentId: first.d.id,
      topic: topicOf(first.matched, locale),
      because: heaviest?.text ?? (first.stems[0] as string),
    };
  };
}
