// The departments' copy: one read serves a burst of requests, a change through this instance is
// seen at once, anything else (another instance, an edit around the plugin) within DEPARTMENTS_KEPT_MS.
import assert from 'node:assert/strict';
import { departmentCache, DEPARTMENTS_KEPT_MS } from '../../src/store/department-cache';
import type { Department } from '../../src/model/types';

function counted() {
  let loads = 0;
  let version = 0;
  const load = async (): Promise<Department[]> => {
    loads++;
    return [{ id: ++version } as Department];
  };
  return { load, loads: () => loads };
}

describe('departments kept for a few seconds', () => {
  let time = 1_000_000;
  const now = () => time;

  it('reads once for requests that come together, and again once the copy is DEPARTMENTS_KEPT_MS old', async () => {
    const cache = departmentCache(now);
    const db = counted();
    const [a, b] = await Promise.all([cache.all(db.load), cache.all(db.load)]);
    assert.equal(db.loads(), 1);
    assert.equal(a, b);
    time += DEPARTMENTS_KEPT_MS - 1;
    await cache.all(db.load);
    assert.equal(db.loads(), 1, 'still fresh');
    time += 1;
    assert.equal((await cache.all(db.load))[0]?.id, 2);
    assert.equal(db.loads(), 2);
  });

  it('reads again after clear(), even when the read before it is still under way', async () => {
    const cache = departmentCache(now);
    const db = counted();
    const before = cache.all(db.load);
    cache.clear();
    const after = await cache.all(db.load);
    assert.equal((await before)[0]?.id, 1);
    assert.equal(after[0]?.id, 2, 'the read that may predate the change is not kept');
  });

  it('keeps no failed read, and no copy when the clock was set back', async () => {
    const cache = departmentCache(now);
    await assert.rejects(cache.all(() => Promise.reject(new Error('database down'))));
    const db = counted();
    await cache.all(db.load);
    assert.equal(db.loads(), 1);
    time -= 1;
    await cache.all(db.load);
    assert.equal(db.loads(), 2);
  });
});
