// Uploaded files belong to the change that brought them: if it fails, they are removed. (A
// change keyed by a form submission uses oncePerSubmission, which also knows "maybe committed".)
import type { StoredFile } from '../model/types';

export async function keepingFilesOnlyOnSuccess<T>(discard: (keys: string[]) => Promise<void>, files: StoredFile[], work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    await discard(files.map((f) => f.storageKey));
    throw err;
  }
}
