// A form submission makes its change at most once, and its answer tells the truth about it.
// Each form carries a one-time key; the change stores it under a unique index. When the change
// fails, the key tells whether the submission was made after all:
// - by another copy of it (a double click: the copy hit the unique index, or found the ticket
//   already moved out of reach): the answer is what the first copy made, and this copy's files go;
// - by this very request, whose connection died during COMMIT: the answer is what it made, and
//   its files stay; when even that cannot be told, the files stay too (the orphan sweep decides);
// - not at all: the error stands, and the uploaded files go.
import type { StoredFile } from '../model/types';
import type { Store } from '../model/store';
import { ValidationError } from '../model/errors';

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
  /** A refused submission's files go here instead of being removed (a form that keeps them for its next try). */
  refused?(files: StoredFile[]): Promise<void>;
}

export async function oncePerSubmission<T>(store: Store, { files, discard, made, change, refused }: Submission<T>): Promise<T> {
  const discardFiles = () => discard(files.map((f) => f.storageKey));
  try {
    return await change();
  } catch (err) {
    // Only a database that went away can leave this request's own change committed unseen.
    const maybeOwnCommit = store.isUnavailable(err);
    const outcome = await made().then(
      (found) => ({ known: true as const, found }),
      () => ({ known: false as const }),
    );
    if (outcome.known && outcome.found !== null) {
      if (!maybeOwnCommit) await discardFiles();
      return outcome.found;
    }
    // The files may be referenced only if this request's own commit may have happened unseen.
    const mayBeKept = maybeOwnCommit && !outcome.known;
    if (!mayBeKept && refused && err instanceof ValidationError) await refused(files);
    else if (!mayBeKept) await discardFiles();
    throw err;
  }
}

/**
 * Looks up what a submission made to a ticket while holding the ticket's row lock: a change
 * whose connection died holds that lock until the server has committed or rolled it back, so
 * the answer is final.
 */
export function underTicketLock<T>(store: Store, ticketId: number, find: (tx: Store) => Promise<T>): Promise<T> {
  return store.transaction(async (tx) => {
    await tx.tickets.lock(ticketId);
    return find(tx);
  });
}

/**
 * Uploaded files belong to the work that brought them: if it fails, they are removed. For checks
 * made before a submission's change (oncePerSubmission, which also knows "maybe committed").
 */
export async function keepingFilesOnlyOnSuccess<T>(
  discard: (keys: string[]) => Promise<void>,
  files: StoredFile[],
  work: () => Promise<T>,
): Promise<T> {
  try {
    return await work();
  } catch (err) {
    await discard(files.map((f) => f.storageKey));
    throw err;
  }
}
