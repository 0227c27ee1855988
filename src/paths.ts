// Where the plugin's own files are, wherever the host installed it. Compiled code runs from
// dist/src, so the package root is two folders up.
import path from 'node:path';

export const PLUGIN_ROOT = path.resolve(__dirname, '..', '..');
export const MANIFEST_PATH = path.join(PLUGIN_ROOT, 'plugin.json');
