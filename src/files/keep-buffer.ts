// Writes bytes already in memory (a file an e-mail carried, an e-mail's original) to storage the
// way an upload is written: under a new key, `.part` until whole, its type detected from its
// content and its shown name cleaned to match (multer-storage.ts does the same for uploads).
import crypto from 'node:crypto';
import type { FileStorage } from './storage';
import type { StoredFile } from '../model/types';
import { detectBinaryType, TextDetector } from './sniff';
import { attachmentName } from './names';

export async function keepBuffer(storage: FileStorage, content: Buffer, name: string): Promise<StoredFile> {
  const key = storage.newKey();
  const handle = await storage.openPart(key);
  try {
    await handle.writeFile(content);
  } catch (err) {
    await handle.close();
    await storage.remove([key]);
    throw err;
  }
  await handle.close();
  await storage.complete(key);
  const text = new TextDetector();
  text.push(content);
  const contentType = detectBinaryType(content) ?? (content.length > 0 && text.isText() ? 'text/plain' : 'application/octet-stream');
  return {
    storageKey: key,
    originalName: attachmentName(name, contentType),
    size: content.length,
    contentType,
    sha256: crypto.createHash('sha256').update(content).digest('hex'),
  };
}
