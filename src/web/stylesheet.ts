// The plugin's stylesheet and script, served by its own router and linked from every page it
// renders, so its pages look right in any host's layout. The link carries a hash of the file, so
// a browser may keep it for a year and still gets a new one after an upgrade.
import crypto from 'node:crypto';
import fs from 'node:fs';
import type { RequestHandler } from 'express';
import ejs from 'ejs';

export const STYLESHEET_PATH = '/assets/support.css';
export const SCRIPT_PATH = '/assets/support.js';

export interface Stylesheet {
  /** The tag to put in a page rendered under `baseUrl` (the plugin's mount path). */
  link(baseUrl: string): string;
  serve: RequestHandler;
}

/** The script is an asset like the stylesheet; pages work without it (it only improves them). */
export type Script = Stylesheet;

function loadAsset(file: string, urlPath: string, type: string, tag: (href: string) => string): Stylesheet {
  const body = fs.readFileSync(file);
  const version = crypto.createHash('sha256').update(body).digest('hex').slice(0, 12);
  return {
    link: (baseUrl) => tag(ejs.escapeXML(`${baseUrl}${urlPath}?v=${version}`)),
    serve(req, res) {
      const current = req.query.v === version;
      res.set('Cache-Control', current ? 'public, max-age=31536000, immutable' : 'no-cache');
      res.set('X-Content-Type-Options', 'nosniff');
      res.type(type).send(body);
    },
  };
}

export function loadStylesheet(file: string): Stylesheet {
  return loadAsset(file, STYLESHEET_PATH, 'text/css', (href) => `<link rel="stylesheet" href="${href}">`);
}

/** A file of its own, not inline: a host's Content-Security-Policy may well forbid inline scripts. */
export function loadScript(file: string): Script {
  return loadAsset(file, SCRIPT_PATH, 'text/javascript', (href) => `<script src="${href}" defer></script>`);
}
