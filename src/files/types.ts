// How each type the plugin can accept is named to people and offered to the browser's file picker.
const fileTypes: Record<string, { label: string; extensions: string[] }> = {
  'image/png': { label: 'PNG', extensions: ['.png'] },
  'image/jpeg': { label: 'JPEG', extensions: ['.jpg', '.jpeg'] },
  'image/gif': { label: 'GIF', extensions: ['.gif'] },
  'image/webp': { label: 'WebP', extensions: ['.webp'] },
  'application/pdf': { label: 'PDF', extensions: ['.pdf'] },
  'text/plain': { label: 'TXT, LOG', extensions: ['.txt', '.log'] },
  'application/zip': { label: 'ZIP', extensions: ['.zip'] },
  'application/gzip': { label: 'GZ', extensions: ['.gz', '.tgz'] },
  'application/x-tar': { label: 'TAR', extensions: ['.tar'] },
};

export function typeLabels(types: string[]): string {
  return types.map((type) => fileTypes[type]?.label ?? type).join(', ');
}

/** The value of an <input type=file accept=...>: a hint for the picker, never the check itself. */
export function acceptAttribute(types: string[]): string {
  return types.flatMap((type) => fileTypes[type]?.extensions ?? []).join(',');
}
