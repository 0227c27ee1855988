// A form submission makes its change at most once, and its answer tells the truth about it.
// Each form carries a one-time key; the change stores it under a unique index. Three outcomes
// need care besides plain success:
// - the same submission again (a double click): the answer is what the first one made;
// - the database went away mid-change, perhaps during COMMIT: whether it committed is looked
//   up by the key, and the files stay whenever it did or cannot be told;
// - anything else: nothing was kept, so neither are the uploaded files.
import type { StoredFile } from './types';
import { isUniqueViolation } from '../store/dialect';
import { isDatabaseUnavailable } from '../store/unavailable';

/** Thrown inside a change's transaction when its key shows the submission was already made. */
export class DuplicateSubmission extends Error {
  constructor() {
    super('duplicate submission');
    this.name = 'DuplicateSubmission';
  }
}

export interface Submission<T> {
  /** Files the change records; removed unless it (or an earlier run of it) kept them. */
  files: StoredFile[];
  discard(keys: string[]): Promise<void>;
  /** What this submission made, found by its key; null when it made nothing. */
  made(): Promise<T | null>;
  change(): Promise<T>;
}

export async function oncePerSubmission<T>({ files, discard, made, change }: Submission<T>): Promise<T> {
  const discardFiles = () => discard(files.map((f) => f.storageKey));
  try {
    return await change();
  } catch (err) {
    if (err instanceof DuplicateSubmission || isUniqueViolation(err)) {
      // This request's own files are copies nobody refers to.
      const earlier = await made();
      if (earlier !== null) {
        await discardFiles();
        return earlier;
      }
    } else if (isDatabaseUnavailable(err)) {
      const outcome = await made().then(
        (found) => ({ known: true as const, found }),
        () => ({ known: false as const }),
      );
      // Unknown: keep the files; if nothing refers to them, the orphan sweep removes them later.
      if (!outcome.known) throw err;
      if (outcome.found !== null) return outcome.found;
    }
    await discardFiles();
    throw err;
  }
}
