// A department's keywords as an admin writes them on the Departments page, one topic per line:
//   об оплате: оплат, платёж, счёт, возврат
// The topic is what the create form's hint names («Похоже на вопрос об оплате»); a line without a
// colon is keywords with no topic. Each keyword is a stem or a phrase, matched at the start of
// words (see department-suggestion.ts).
import type { Problem } from '../model/errors';
import type { KeywordGroup } from '../model/types';
import { LIMITS } from './field-rules';
import { wordsOf } from './department-suggestion';

/** The groups as the form shows them: a line per group. */
export function keywordsText(groups: KeywordGroup[]): string {
  return groups.map((g) => (g.topic ? `${g.topic}: ` : '') + g.words.join(', ')).join('\n');
}

/** The groups the text describes; a problem with it goes in problems[field] (the first one found). */
export function checkKeywords(problems: Record<string, Problem>, field: string, value: string): KeywordGroup[] {
  if (value.length > LIMITS.departmentKeywords) {
    problems[field] = { key: 'errors.department.keywordsTooLong', params: { max: LIMITS.departmentKeywords } };
    return [];
  }
  const groups: KeywordGroup[] = [];
  for (const line of value.split(/\r?\n/)) {
    if (!line.trim()) continue;
    const colon = line.indexOf(':');
    const topic = colon < 0 ? '' : line.slice(0, colon).trim();
    const words: string[] = [];
    for (const typed of (colon < 0 ? line : line.slice(colon + 1)).split(/[,;]/)) {
      const word = typed.trim().replace(/\s+/g, ' ');
      if (!word) continue;
      // One letter starts almost any word: it would match every text.
      if (wordsOf(word).join('').length < 2) {
        problems[field] = { key: 'errors.department.keywordTooShort', params: { keyword: word } };
        return [];
      }
      if (word.length > LIMITS.keyword) {
        problems[field] = { key: 'errors.department.keywordTooLong', params: { keyword: word.slice(0, 60), max: LIMITS.keyword } };
        return [];
      }
      if (!words.some((w) => w.toLowerCase() === word.toLowerCase())) words.push(word);
    }
    if (topic.length > LIMITS.keywordTopic) {
      problems[field] = { key: 'errors.department.topicTooLong', params: { topic: topic.slice(0, 60), max: LIMITS.keywordTopic } };
      return [];
    }
    if (words.length === 0) {
      problems[field] = { key: 'errors.department.topicWithoutKeywords', params: { topic } };
      return [];
    }
    groups.push({ topic, words });
  }
  return groups;
}
