// migrations/SCHEMA.md is what the migrations build: regenerated from each configured database
// and compared. With all three databases (as in CI) the whole file must match; with fewer, the
// sections of the databases at hand.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { databases } from '../support/databases';
import { renderSnapshot, SECTION_TITLES, sectionsOf, snapshotSection, SNAPSHOT_PATH, STALE_MESSAGE } from '../support/schema-snapshot';

/** The first line where two texts part, for a failure that says where to look. */
function firstDifference(expected: string, actual: string): string {
  const a = expected.split('\n');
  const b = actual.split('\n');
  const line = a.findIndex((text, i) => text !== b[i]);
  const at = line === -1 ? a.length : line;
  return `line ${at + 1}: committed ${JSON.stringify(a[at] ?? '(end of file)')}, migrations build ${JSON.stringify(b[at] ?? '(end of file)')}`;
}

describe('schema snapshot (migrations/SCHEMA.md)', () => {
  it(`is what the migrations build on ${databases.map((db) => db.name).join(', ')}`, async () => {
    const committedFile = fs.readFileSync(SNAPSHOT_PATH, 'utf8');
    const committed = sectionsOf(committedFile);
    const fresh = new Map<string, string>();
    for (const db of databases) fresh.set(SECTION_TITLES[db.name], await snapshotSection(db));
    for (const [title, section] of fresh) {
      const mine = committed.get(title) ?? '';
      if (mine !== section) assert.fail(`${STALE_MESSAGE} (${title} section, ${firstDifference(mine, section)})`);
    }
    if (fresh.size === Object.keys(SECTION_TITLES).length) {
      const whole = renderSnapshot(fresh);
      if (committedFile !== whole) assert.fail(`${STALE_MESSAGE} (${firstDifference(committedFile, whole)})`);
    }
  });
});
