// The departments, kept in memory for a few seconds. Nearly every page and every create reads
// them, and they change only when an admin saves the Departments page. A change made through
// this instance clears the copy as soon as it is committed. Other instances of the plugin on
// the same database (and edits made around the plugin) are seen within DEPARTMENTS_KEPT_MS at
// the latest: a time limit rather than a version check, because a version check would be a
// statement of its own on every request, which is what the copy saves.
import type { Department, Clock } from '../model/types';
import type { DepartmentStore } from '../model/store';

/** How long a copy of the departments list is used, at most. */
export const DEPARTMENTS_KEPT_MS = 5_000;

/** A list kept in memory for a few seconds (the departments, the open incidents). */
export interface KeptList<T> {
  /** The whole list, from the copy while it is fresh, else from `load`. */
  all(load: () => Promise<T[]>): Promise<T[]>;
  /** Forgets the copy; the next read loads the list again. */
  clear(): void;
}

export type DepartmentCache = KeptList<Department>;

export function keptList<T>(now: Clock, keptMs = DEPARTMENTS_KEPT_MS): KeptList<T> {
  let kept: { at: number; list: Promise<T[]> } | null = null;
  return {
    all(load) {
      const at = now();
      // A clock set back is no reason to trust the copy.
      if (kept && at >= kept.at && at - kept.at < keptMs) return kept.list;
      // Kept from the start, so a burst of requests shares one read; clear() drops it even if
      // it is still under way (it may have read what the change replaced).
      const list = load();
      const entry = { at, list };
      kept = entry;
      list.catch(() => {
        if (kept === entry) kept = null;
      });
      return list;
    },
    clear() {
      kept = null;
    },
  };
}

export function departmentCache(now: Clock, keptMs = DEPARTMENTS_KEPT_MS): DepartmentCache {
  return keptList<Department>(now, keptMs);
}

/**
 * The department store with reads from the copy and writes that clear it. `current` reads (the
 * Departments page, which must show what was just saved) and reads inside a transaction go to
 * the database.
 */
export function cachedDepartments(inner: DepartmentStore, cache: DepartmentCache): DepartmentStore {
  const all = () => cache.all(() => inner.list({ activeOnly: false }));
  return {
    ...afterWrites(inner, () => cache.clear()),
    async list(options) {
      if (options.current) return inner.list(options);
      const list = await all();
      return list.filter((d) => !options.activeOnly || d.active);
    },
    async find(id, options) {
      if (options?.current) return inner.find(id);
      return (await all()).find((d) => d.id === id) ?? null;
    },
  };
}

/** The store with `done` called after each write, whether it went through or not. */
export function afterWrites(inner: DepartmentStore, done: () => void): DepartmentStore {
  const noted =
    <A extends unknown[], R>(write: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      try {
        return await write(...args);
      } finally {
        done();
      }
    };
  return {
    ...inner,
    applySettings: noted(inner.applySettings),
    create: noted(inner.create),
    update: noted(inner.update),
    remove: noted(inner.remove),
  };
}
