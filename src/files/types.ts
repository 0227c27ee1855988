// How each type the plugin can accept is named to people and offered to the browser's file picker.
// `extensions` are also the only extensions a file of that type keeps (see names.ts); the first
// one is what a file gets when its own extension does not match what its content is.
const fileTypes: Record<string, { label: string; extensions: string[] }> = {
  'image/png': { label: 'PNG', extensions: ['.png'] },
  'image/jpeg': { label: 'JPEG', extensions: ['.jpg', '.jpeg'] },
  'image/gif': { label: 'GIF', extensions: ['.gif'] },
  'image/webp': { label: 'WebP', extensions: ['.webp'] },
  'application/pdf': { label: 'PDF', extensions: ['.pdf'] },
  // Only extensions that every common system opens in a text editor or viewer, where nothing in
  // the file runs or renders. Left out on purpose: .html/.svg/.xml (a browser renders them and
  // runs their scripts), .js/.bat/.cmd/.hta/.ps1/.vbs/.sh/.php (run on a double click or by a
  // web server), .md (Markdown viewers pass raw HTML through), .pem/.crt/.cer (a double click
  // offers to install the certificate). Such files are still accepted, as `<name>.txt`.
  'text/plain': {
    label: 'TXT, LOG, CONF, CSV, JSON, YAML',
    extensions: ['.txt', '.log', '.conf', '.cfg', '.ini', '.csv', '.tsv', '.json', '.yaml', '.yml', '.diff', '.patch'],
  },
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

/** The extensions a file whose content is of this type may keep; empty for types we do not know. */
export function extensionsOf(type: string): string[] {
  return fileTypes[type]?.extensions ?? [];
}
