// The plugin's stylesheet, served by its own router and linked from every page it renders, so
// its pages look right in any host's layout.
import fs from 'node:fs';
import ejs from 'ejs';
import { versionedAsset, type ServedAsset } from './assets';

const STYLESHEET_PATH = '/assets/support.css';

export interface Stylesheet extends ServedAsset {
  /** The `<link>` to put in a page rendered under `baseUrl` (the plugin's mount path). */
  link(baseUrl: string): string;
}

export function loadStylesheet(file: string): Stylesheet {
  const asset = versionedAsset(STYLESHEET_PATH, 'text/css', fs.readFileSync(file));
  return {
    path: STYLESHEET_PATH,
    link: (baseUrl) => `<link rel="stylesheet" href="${ejs.escapeXML(asset.url(baseUrl))}">`,
    serve: asset.serve,
  };
}
