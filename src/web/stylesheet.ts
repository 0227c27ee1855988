// The plugin's stylesheet and page script, served by its own router and linked from every page it
// renders, so its pages look right in any host's layout (and work without the script).
import fs from 'node:fs';
import ejs from 'ejs';
import { versionedAsset, type ServedAsset } from './assets';

const STYLESHEET_PATH = '/assets/support.css';
const SCRIPT_PATH = '/assets/support.js';

export interface Stylesheet extends ServedAsset {
  /** The tag to put in a page rendered under `baseUrl` (the plugin's mount path). */
  link(baseUrl: string): string;
}

/** The script is an asset like the stylesheet; pages work without it (it only improves them). */
export type Script = Stylesheet;

function linkedAsset(file: string, urlPath: string, type: string, tag: (href: string) => string): Stylesheet {
  const asset = versionedAsset(urlPath, type, fs.readFileSync(file));
  return { path: urlPath, link: (baseUrl) => tag(ejs.escapeXML(asset.url(baseUrl))), serve: asset.serve };
}

export function loadStylesheet(file: string): Stylesheet {
  return linkedAsset(file, STYLESHEET_PATH, 'text/css', (href) => `<link rel="stylesheet" href="${href}">`);
}

/** A file of its own, not inline: a host's Content-Security-Policy may well forbid inline scripts. */
export function loadScript(file: string): Script {
  return linkedAsset(file, SCRIPT_PATH, 'text/javascript', (href) => `<script src="${href}" defer></script>`);
}
