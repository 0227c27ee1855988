// The subject rule as a table: real pairs on each side of the line, its exact limits, and advice
// that fits the department.
import assert from 'node:assert/strict';
import { checkSubject, FEW_WORDS, LONG_SUBJECT_CHARS, LONG_SUBJECT_WORDS } from '../../src/domain/subject-rule';
import { acceptedPairs, refusedPairs, warnedPairs } from '../support/subject-pairs';

const verdict = (subject: string, message: string, confirmed = false) => {
  const check = checkSubject(subject, message, 'technical', confirmed);
  return check.refused ? 'refused' : check.warning ? 'warned' : 'accepted';
};

describe('the subject rule', () => {
  it('has at least ten real pairs on each side of the line', () => {
    assert.ok(refusedPairs.length >= 10 && acceptedPairs.length >= 10, `${refusedPairs.length} refused, ${acceptedPairs.length} accepted`);
  });

  describe('refuses a message that adds nothing to the subject', () => {
    for (const pair of refusedPairs) {
      it(`«${pair.subject}» / «${pair.message}»: ${pair.why}`, () => assert.equal(verdict(pair.subject, pair.message), 'refused'));
    }
  });

  describe('accepts a message that says more than the subject', () => {
    for (const pair of acceptedPairs) {
      it(`«${pair.subject}» / «${pair.message}»: ${pair.why}`, () => assert.equal(verdict(pair.subject, pair.message), 'accepted'));
    }
  });

  describe('warns about a long subject copied from the message, and lets it through once confirmed', () => {
    for (const pair of warnedPairs) {
      it(`«${pair.subject}»: ${pair.why}`, () => {
        assert.equal(verdict(pair.subject, pair.message), 'warned');
        assert.equal(verdict(pair.subject, pair.message, true), 'accepted');
      });
    }
  });

  describe('draws the line exactly where it says', () => {
    const words = (n: number) =>
      ['раз', 'два', 'три', 'четыре', 'пять', 'шесть', 'семь', 'восемь', 'девять', 'десять'].slice(0, n).join(' ');
    const cases: Array<[string, string, string, string]> = [
      [`${FEW_WORDS} words added`, 'Сайт не работает', `Сайт не работает, ${words(FEW_WORDS)}`, 'refused'],
      [`${FEW_WORDS + 1} words added`, 'Сайт не работает', `Сайт не работает, ${words(FEW_WORDS + 1)}`, 'accepted'],
      ['a number added', 'Сайт не работает', 'Сайт не работает 2', 'accepted'],
      ['the subject word missing from the message', 'Сайт не работает', 'Сайт не работал', 'accepted'],
      ['a word of the subject twice, once in the message', 'Очень очень медленно', 'Очень медленно', 'accepted'],
      ['a subject of punctuation only (the required rule answers it)', '???', '???', 'accepted'],
      [
        `${LONG_SUBJECT_WORDS} words copied`,
        words(LONG_SUBJECT_WORDS),
        `${words(LONG_SUBJECT_WORDS)}. Подробности: что случилось, когда, что пробовали.`,
        'accepted',
      ],
      [
        `${LONG_SUBJECT_WORDS + 1} words copied`,
        words(LONG_SUBJECT_WORDS + 1),
        `${words(LONG_SUBJECT_WORDS + 1)}. Подробности: что случилось, когда, что пробовали.`,
        'warned',
      ],
      [
        `${LONG_SUBJECT_CHARS} characters copied`,
        'Ж'.repeat(LONG_SUBJECT_CHARS),
        `${'Ж'.repeat(LONG_SUBJECT_CHARS)}. Подробности: что случилось, когда, что пробовали.`,
        'accepted',
      ],
      [
        `${LONG_SUBJECT_CHARS + 1} characters copied`,
        'Ж'.repeat(LONG_SUBJECT_CHARS + 1),
        `${'Ж'.repeat(LONG_SUBJECT_CHARS + 1)}. Подробности: что случилось, когда, что пробовали.`,
        'warned',
      ],
      ['a long subject that is only part of a word run', words(9), `${words(9)}надцать и дальше подробности`, 'accepted'],
    ];
    for (const [name, subject, message, expected] of cases) {
      it(name, () => assert.equal(verdict(subject, message), expected));
    }
  });

  describe('advises with an example that fits the department', () => {
    const refused = refusedPairs[0]!;
    const warned = warnedPairs[0]!;
    const cases: Array<[string | null, string]> = [
      ['client_relations', 'clientRelations'],
      ['technical', 'technical'],
      ['emergency', 'emergency'],
      ['vip', 'other'],
      ['constructor', 'other'],
      [null, 'other'],
    ];
    for (const [code, advice] of cases) {
      it(`${code ?? 'no department'}: ${advice}`, () => {
        assert.equal(checkSubject(refused.subject, refused.message, code, false).refused?.key, `errors.subject.repeatsMessage.${advice}`);
        assert.equal(checkSubject(warned.subject, warned.message, code, false).warning?.key, `subjectWarning.copied.${advice}`);
      });
    }
  });
});
