// The plugin's stylesheet, served by its own router and linked from every page it renders, so
// its pages look right in any host's layout. The link carries a hash of the file, so a browser
// may keep it for a year and still gets a new one after an upgrade.
import crypto from 'node:crypto';
import fs from 'node:fs';
import type { RequestHandler } from 'express';
import ejs from 'ejs';

export const STYLESHEET_PATH = '/assets/support.css';

export interface Stylesheet {
  /** The `<link>` to put in a page rendered under `baseUrl` (the plugin's mount path). */
  link(baseUrl: string): string;
  serve: RequestHandler;
}

export function loadStylesheet(file: string): Stylesheet {
  const css = fs.readFileSync(file);
  const version = crypto.createHash('sha256').update(css).digest('hex').slice(0, 12);
  return {
    link: (baseUrl) => `<link rel="stylesheet" href="${ejs.escapeXML(`${baseUrl}${STYLESHEET_PATH}?v=${version}`)}">`,
    serve(req, res) {
      const current = req.query.v === version;
      res.set('Cache-Control', current ? 'public, max-age=31536000, immutable' : 'no-cache');
      res.set('X-Content-Type-Options', 'nosniff');
      res.type('text/css').send(css);
    },
  };
}
