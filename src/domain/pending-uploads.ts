// Files survive a form that comes back. When a form with files is refused (the create form's
// missing field or emergency confirmation, a reply without text, a staff answer held until its
// author has read newer messages), its valid files are kept as pending uploads of that user and
// that form's submission key; the re-shown form carries their tokens, the user may tick some
// off, and the next submit attaches the rest in its own transaction. Abandoned
// ones are swept after PENDING_KEEP_DAYS. Nothing is half-written: a refused submit leaves no
// ticket rows, a successful one no pending rows.
import crypto from 'node:crypto';
import type { HostUser } from '../host';
import type { PendingUpload, Store } from '../model/store';
import type { Clock, StoredFile } from '../model/types';
import { ValidationError } from '../model/errors';
import type { UploadRules } from './ticket-rules';
import { keepingFilesOnlyOnSuccess } from './submissions';

/** How many days kept files wait for their form: a day covers a lunch break and an evening. */
export const PENDING_KEEP_DAYS = 1;

/** What the re-shown form sends back about its kept files. */
export interface PendingChoice {
  /** The tokens the form carried. */
  carried: string[];
  /** The tokens the user ticked off. */
  removed: string[];
}

/** A kept file as the form shows it. */
export interface PendingFile {
  token: string;
  name: string;
  size: number;
}

export interface PendingUploadDeps {
  store: Store;
  discardFiles(keys: string[]): Promise<void>;
  uploads: UploadRules;
  now?: Clock;
}

const isAcceptable = (file: StoredFile, rules: UploadRules) => file.size > 0 && rules.allowedTypes.includes(file.contentType);

export function pendingUploads(deps: PendingUploadDeps) {
  const { store } = deps;
  const now = deps.now ?? Date.now;

  const uploads = {
    /** The form's kept files to show with it. */
    async list(user: HostUser, submissionKey: string): Promise<PendingFile[]> {
      const rows = await store.pendingUploads.forForm(user.id, submissionKey);
      return rows.map((r) => ({ token: r.token, name: r.originalName, size: r.size }));
    },

    /**
     * The form's kept files that go with this submit: carried by the form and not ticked off.
     * Ticked-off ones are deleted now. Tokens of another user or another form find nothing.
     */
    async choose(user: HostUser, submissionKey: string, choice: PendingChoice): Promise<PendingUpload[]> {
      const rows = await store.pendingUploads.forForm(user.id, submissionKey);
      const removed = rows.filter((r) => choice.removed.includes(r.token));
      if (removed.length > 0) {
        await store.pendingUploads.remove(removed.map((r) => r.id));
        await deps.discardFiles(removed.map((r) => r.storageKey));
      }
      return rows.filter((r) => choice.carried.includes(r.token) && !choice.removed.includes(r.token));
    },

    /**
     * Keeps a refused submit's new files for its form: those the form would accept, as many as
     * still fit beside the ones already kept. The rest are removed. Should the rows not be
     * written, the files go too: nothing refers to them.
     */
    async keep(user: HostUser, submissionKey: string, files: StoredFile[], alreadyKept: number): Promise<void> {
      const room = Math.max(0, deps.uploads.maxFiles - alreadyKept);
      const kept = files.filter((f) => isAcceptable(f, deps.uploads)).slice(0, room);
      const dropped = files.filter((f) => !kept.includes(f));
      try {
        await store.pendingUploads.add(
          kept.map((f) => ({
            ...f,
            token: crypto.randomBytes(18).toString('base64url'),
            userId: user.id,
            submissionKey,
            createdAt: now(),
          })),
        );
      } catch (err) {
        await deps.discardFiles(files.map((f) => f.storageKey));
        throw err;
      }
      await deps.discardFiles(dropped.map((f) => f.storageKey));
    },

    /**
     * Inside the ticket's transaction: the form's pending rows go, all of them. The files chosen
     * must still be there (the sweep may have taken one meanwhile); the storage keys of the rest
     * are returned, to remove once the transaction has committed.
     */
    async settle(tx: Store, user: HostUser, submissionKey: string, chosen: PendingUpload[]): Promise<string[]> {
      const rows = await tx.pendingUploads.forForm(user.id, submissionKey);
      const ids = new Set(rows.map((r) => r.id));
      if (!chosen.every((c) => ids.has(c.id))) throw new ValidationError({ files: { key: 'form.pending.expired' } });
      if (rows.length > 0) await tx.pendingUploads.remove(rows.map((r) => r.id));
      return rows.filter((r) => !chosen.some((c) => c.id === r.id)).map((r) => r.storageKey);
    },

    /**
     * Removes up to `limit` kept files made before `cutoff` (the retention job's step, see
     * jobs/retention.ts): each row goes first, then its file. Returns how many went.
     */
    async sweepBefore(cutoff: number, limit: number): Promise<number> {
      let swept = 0;
      for (const row of await store.pendingUploads.madeBefore(cutoff, limit)) {
        // A submit may attach it meanwhile: only a row this sweep deleted gives up its file.
        if ((await store.pendingUploads.remove([row.id])) === 1) {
          await deps.discardFiles([row.storageKey]);
          swept += 1;
        }
      }
      return swept;
    },

    /**
     * What a form's submit attaches: the kept files it chose, then its new ones. Spread `refusal`
     * into oncePerSubmission (a refused form keeps its new files), call `settle` in the change's
     * transaction (the form's rows go) and `finish` after the commit (the kept files it no
     * longer carried go). Without `kept` (not a form: e-mail) nothing is kept.
     */
    async forSubmit(user: HostUser, submissionKey: string, newFiles: StoredFile[], kept?: PendingChoice) {
      // A form that carries no kept files (the usual first submit) costs no look-up.
      const fromForm = kept && kept.carried.length + kept.removed.length > 0 ? kept : undefined;
      const chosen = fromForm
        ? await keepingFilesOnlyOnSuccess(deps.discardFiles, newFiles, () => uploads.choose(user, submissionKey, fromForm))
        : [];
      let leftOver: string[] = [];
      const keepNew = (refused: StoredFile[]) => uploads.keep(user, submissionKey, refused, chosen.length);
      return {
        files: [...chosen, ...newFiles] as StoredFile[],
        refusal: kept ? { refused: keepNew } : {},
        /** For a submit held back without an error: its new files wait for the form, or go when it keeps none. */
        keepOrDiscard: (files: StoredFile[]): Promise<void> => (kept ? keepNew(files) : deps.discardFiles(files.map((f) => f.storageKey))),
        async settle(tx: Store): Promise<void> {
          if (fromForm) leftOver = await uploads.settle(tx, user, submissionKey, chosen);
        },
        async finish(): Promise<void> {
          if (leftOver.length > 0) await deps.discardFiles(leftOver);
        },
      };
    },
  };
  return uploads;
}
