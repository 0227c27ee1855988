// Attachment files on disk. Files live under random keys in a folder the host gives us,
// outside any public path; the name a customer's browser sent never becomes part of a path.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const KEY_PATTERN = /^[a-f0-9]{32}$/;
/**
 * An upload is written as `<key>.part` and renamed to `<key>` once complete, so a file without
 * the suffix is whole, and one with it is in flight (or was, when its process died).
 */
const PART_SUFFIX = '.part';
/**
 * A picture's thumbnail is kept next to it as `<key>.thumb` (see thumbnails.ts): it lives and
 * goes with its file, so whatever removes the file (a refused upload, held-mail retention, the
 * orphan sweep) removes the thumbnail too.
 */
const THUMBNAIL_SUFFIX = '.thumb';
const FILE_PATTERN = /^([a-f0-9]{32})(\.thumb)?(\.part)?$/;

/** A file this storage made, as found on disk. */
export interface StoredEntry {
  key: string;
  /** Still being written, or abandoned mid-write. */
  partial: boolean;
  /** The thumbnail of the file under `key`, not the file itself. */
  thumbnail: boolean;
  /** Last write: an upload in flight keeps moving it. */
  modifiedAt: number;
}

export class FileStorage {
  constructor(readonly root: string) {}

  newKey(): string {
    return crypto.randomBytes(16).toString('hex');
  }

  /** Two-level fan-out keeps folders small. Refuses anything that is not a key we made. */
  pathOf(key: string): string {
    if (!KEY_PATTERN.test(key)) throw new Error(`not a storage key: ${key}`);
    return path.join(this.root, key.slice(0, 2), key);
  }

  /** Where an upload is written until it is complete. */
  partPathOf(key: string): string {
    return this.pathOf(key) + PART_SUFFIX;
  }

  /**
   * Opens the new file an upload is written to. Its folder is made only when the open finds it
   * missing: there are 256 of them, so a `mkdir -p` before every upload would nearly always be
   * wasted (about 3 % of the server's CPU in the create bench with a file).
   */
  async openPart(key: string): Promise<fs.promises.FileHandle> {
    const file = this.partPathOf(key);
    try {
      return await fs.promises.open(file, 'wx');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      await fs.promises.mkdir(path.dirname(file), { recursive: true });
      return fs.promises.open(file, 'wx');
    }
  }

  /** Where the thumbnail of the file under this key is kept (see thumbnails.ts). */
  thumbnailPathOf(key: string): string {
    return this.pathOf(key) + THUMBNAIL_SUFFIX;
  }

  /** The upload is whole: from now on it is a file under its key. */
  async complete(key: string): Promise<void> {
    await fs.promises.rename(this.partPathOf(key), this.pathOf(key));
  }

  /** A whole file's bytes; null when it is gone. */
  async read(key: string): Promise<Buffer | null> {
    try {
      return await fs.promises.readFile(this.pathOf(key));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  /** Removes files, whole or partial, with their thumbnails. */
  async remove(keys: string[]): Promise<void> {
    const files = keys.flatMap((key) => {
      const thumbnail = this.thumbnailPathOf(key);
      return [this.pathOf(key), this.partPathOf(key), thumbnail, thumbnail + PART_SUFFIX];
    });
    await Promise.all(files.map((file) => fs.promises.rm(file, { force: true })));
  }

  /** Removes one entry, partial or whole, file or thumbnail, as list() gave it. */
  async removeEntry(entry: StoredEntry): Promise<void> {
    const file = entry.thumbnail ? this.thumbnailPathOf(entry.key) : this.pathOf(entry.key);
    await fs.promises.rm(entry.partial ? file + PART_SUFFIX : file, { force: true });
  }

  /** Every file this storage made, folder by folder; anything else under the root is left alone. */
  async *list(): AsyncGenerator<StoredEntry> {
    for (const folder of await entriesOf(this.root)) {
      if (!folder.isDirectory() || !/^[a-f0-9]{2}$/.test(folder.name)) continue;
      const dir = path.join(this.root, folder.name);
      for (const { name } of await entriesOf(dir)) {
        const match = FILE_PATTERN.exec(name);
        if (!match || !name.startsWith(folder.name)) continue;
        // Gone since the listing (sent, removed by another instance): nothing to do.
        const stat = await fs.promises.stat(path.join(dir, name)).catch(() => null);
        if (stat?.isFile()) yield { key: match[1]!, thumbnail: Boolean(match[2]), partial: Boolean(match[3]), modifiedAt: stat.mtimeMs };
      }
    }
  }
}

/** A folder's entries; none when it does not exist (yet, or any more). */
async function entriesOf(dir: string): Promise<fs.Dirent[]> {
  try {
    return await fs.promises.readdir(dir, { withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}
