// The pending uploads of the memory store: files of a form that came back, waiting for its next submit.
import type { PendingUploadStore } from '../../src/model/store';
import { byKeys, copyOf, nextId, type MemoryData } from './memory-data';

export function memoryPendingUploads(data: MemoryData): PendingUploadStore {
  return {
    async add(uploads) {
      for (const upload of uploads) {
        // The unique indexes of token and storage_key.
        if (data.pendingUploads.some((p) => p.token === upload.token || p.storageKey === upload.storageKey)) {
          throw new Error('memory store: a pending upload with this token or storage key exists');
        }
        data.pendingUploads.push({ ...structuredClone(upload), id: nextId(data) });
      }
    },
    async forForm(userId, submissionKey) {
      return data.pendingUploads
        .filter((p) => p.userId === userId && p.submissionKey === submissionKey)
        .sort(byKeys((p) => p.id))
        .map((p) => copyOf(p, []));
    },
    async remove(ids) {
      const before = data.pendingUploads.length;
      data.pendingUploads = data.pendingUploads.filter((p) => !ids.includes(p.id));
      return before - data.pendingUploads.length;
    },
    async madeBefore(cutoff, limit) {
      return data.pendingUploads
        .filter((p) => p.createdAt < cutoff)
        .sort(byKeys((p) => p.createdAt))
        .slice(0, limit)
        .map((p) => copyOf(p, []));
    },
    async referencedKeys(keys) {
      return new Set(data.pendingUploads.filter((p) => keys.includes(p.storageKey)).map((p) => p.storageKey));
    },
  };
}
