// Opaque keyset cursors: a tuple of numbers as base64url text. Anything malformed reads as
// "first page" rather than an error, since cursors come from URLs people can edit.
export function encodeCursor(values: number[]): string {
  return Buffer.from(values.join('.')).toString('base64url');
}

export function decodeCursor(cursor: string | null | undefined, length = 2): number[] | null {
  if (!cursor) return null;
  const parts = Buffer.from(cursor, 'base64url').toString().split('.');
  if (parts.length !== length || !parts.every((p) => /^\d{1,16}$/.test(p))) return null;
  return parts.map(Number);
}
