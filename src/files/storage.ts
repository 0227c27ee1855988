// Attachment files on disk. Files live under random keys in a folder the host gives us,
// outside any public path; the name a customer's browser sent never becomes part of a path.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const KEY_PATTERN = /^[a-f0-9]{32}$/;

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

  async prepare(key: string): Promise<string> {
    const file = this.pathOf(key);
    await fs.promises.mkdir(path.dirname(file), { recursive: true });
    return file;
  }

  async remove(keys: string[]): Promise<void> {
    await Promise.all(keys.map((key) => fs.promises.rm(this.pathOf(key), { force: true })));
  }

  exists(key: string): boolean {
    return fs.existsSync(this.pathOf(key));
  }
}
