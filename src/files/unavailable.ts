// Which failures of the attachment folder mean "the disk cannot take files right now" (full,
// over quota, read-only, failing, out of file handles) rather than a fault in the request or the
// code. Like a database outage, they answer 503 and keep what was typed.

const STORAGE_CODES = new Set(['ENOSPC', 'EDQUOT', 'EROFS', 'EIO', 'EMFILE', 'ENFILE']);

export function isStorageUnavailable(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && STORAGE_CODES.has(code);
}
