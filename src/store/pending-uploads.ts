// Files of a form that came back with a problem, waiting for that form's next submit.
import type { Knex } from 'knex';
import type { PendingUpload, PendingUploadStore } from '../model/store';
import type { TableNames } from './tables';
import { num } from './dialect';

interface PendingRow {
  id: unknown;
  token: string;
  user_id: string;
  submission_key: string;
  original_name: string;
  storage_key: string;
  size_bytes: unknown;
  content_type: string;
  sha256: string;
  created_at: unknown;
}

function toPending(row: PendingRow): PendingUpload {
  return {
    id: num(row.id),
    token: row.token,
    userId: row.user_id,
    submissionKey: row.submission_key,
    originalName: row.original_name,
    storageKey: row.storage_key,
    size: num(row.size_bytes),
    contentType: row.content_type,
    sha256: row.sha256,
    createdAt: num(row.created_at),
  };
}

/** Stays under every database's limit on bound parameters. */
const CHUNK = 500;

export function pendingUploadStore(knex: Knex, t: TableNames): PendingUploadStore {
  return {
    async add(uploads) {
      if (uploads.length === 0) return;
      await knex(t.pendingUploads).insert(
        uploads.map((u) => ({
          token: u.token,
          user_id: u.userId,
          submission_key: u.submissionKey,
          original_name: u.originalName,
          storage_key: u.storageKey,
          size_bytes: u.size,
          content_type: u.contentType,
          sha256: u.sha256,
          created_at: u.createdAt,
        })),
      );
    },

    async forForm(userId, submissionKey) {
      const rows = await knex<PendingRow>(t.pendingUploads).where({ user_id: userId, submission_key: submissionKey }).orderBy('id');
      return rows.map(toPending);
    },

    async remove(ids) {
      let removed = 0;
      for (let i = 0; i < ids.length; i += CHUNK)
        removed += await knex(t.pendingUploads)
          .whereIn('id', ids.slice(i, i + CHUNK))
          .delete();
      return removed;
    },

    async madeBefore(cutoff, limit) {
      const rows = await knex<PendingRow>(t.pendingUploads).where('created_at', '<', cutoff).orderBy('created_at').limit(limit);
      return rows.map(toPending);
    },

    async referencedKeys(keys) {
      const found = new Set<string>();
      for (let i = 0; i < keys.length; i += CHUNK) {
        const rows = await knex(t.pendingUploads)
          .whereIn('storage_key', keys.slice(i, i + CHUNK))
          .select<{ storage_key: string }[]>('storage_key');
        for (const row of rows) found.add(row.storage_key);
      }
      return found;
    },
  };
}
