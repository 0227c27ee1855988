// The regulation form's dates (holidays, working days off) are calendar days: a day that does not
// exist is refused next to its field, not moved to the next month.
import assert from 'node:assert/strict';
import { checkRegulation, regulationInput } from '../../src/domain/regulation-rules';
import { NO_REGULATION } from '../../src/model/regulation';
import type { Problem } from '../../src/model/errors';

describe('regulation form: dates', () => {
  it('takes real days and refuses 2027-02-30 and 2027-13-01', () => {
    const form = { ...regulationInput(NO_REGULATION, 'Europe/Moscow'), scheduled: true };
    const problems: Record<string, Problem> = {};
    const regulation = checkRegulation({ ...form, holidays: '2027-01-07 2028-02-29' }, problems);
    assert.deepEqual(problems, {});
    assert.deepEqual(regulation.hours?.holidays, ['2027-01-07', '2028-02-29']);
    for (const day of ['2027-02-30', '2027-13-01']) {
      const refused: Record<string, Problem> = {};
      checkRegulation({ ...form, holidays: day }, refused);
      assert.equal(refused.holidays?.key, 'sla.errors.date', day);
    }
  });
});
