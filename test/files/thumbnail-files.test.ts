// A picture's thumbnail lives and goes with its file: the storage lists it under its file's key,
// removing the file removes it, and the orphan sweep keeps it exactly while the file is kept.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FileStorage } from '../../src/files/storage';
import { ORPHAN_AGE_MS, sweepOrphans } from '../../src/files/orphan-sweep';
import { thumbnails } from '../../src/files/thumbnails';
import { filesUnder } from '../support/test-host';
import { picture } from '../support/pictures';

describe('thumbnail files', () => {
  let root: string;
  let storage: FileStorage;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'support-thumbs-'));
    storage = new FileStorage(root);
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  /** A stored PNG with its thumbnail made (as the thread's first view makes it). */
  async function storedPicture(): Promise<string> {
    const key = storage.newKey();
    const file = await storage.openPart(key);
    await file.writeFile(await picture('png', 400, 300));
    await file.close();
    await storage.complete(key);
    assert.deepEqual(await thumbnails(storage).sizeOf({ storageKey: key, contentType: 'image/png' }), { width: 320, height: 240 });
    return key;
  }

  const names = () =>
    filesUnder(root)
      .map((f) => path.basename(f))
      .sort();

  it('is kept beside its file and removed with it', async () => {
    const key = await storedPicture();
    assert.deepEqual(names(), [key, `${key}.thumb`]);
    const listed = [];
    for await (const entry of storage.list()) listed.push({ key: entry.key, partial: entry.partial, thumbnail: entry.thumbnail });
    assert.deepEqual(
      listed.sort((a, b) => Number(a.thumbnail) - Number(b.thumbnail)),
      [
        { key, partial: false, thumbnail: false },
        { key, partial: false, thumbnail: true },
      ],
    );
    await storage.remove([key]);
    assert.deepEqual(names(), []);
  });

  it('is swept with its unreferenced file, and kept with a referenced one; a half-written one goes', async () => {
    const referenced = await storedPicture();
    const orphan = await storedPicture();
    // A thumbnail its process died writing.
    fs.writeFileSync(`${storage.thumbnailPathOf(referenced)}.part`, 'half');
    const logger = { info() {}, warn() {}, error() {} };
    const removed = await sweepOrphans({
      storage,
      logger,
      referencedKeys: async (keys) => new Set(keys.filter((k) => k === referenced)),
      now: () => Date.now() + ORPHAN_AGE_MS + 60_000,
    });
    assert.equal(removed, 3);
    assert.deepEqual(names(), [referenced, `${referenced}.thumb`]);
    assert.ok(!names().some((n) => n.startsWith(orphan)));
  });
});
