// A file the plugin's router serves itself under its mount path (the stylesheet, the create
// form's script). Its address carries a hash of its content, so a browser may keep it for a
// year and still gets the new one after an upgrade.
import crypto from 'node:crypto';
import type { RequestHandler } from 'express';

/** What the router serves before asking who is there: the same file for everyone. */
export interface ServedAsset {
  /** Its path under the mount path. */
  path: string;
  serve: RequestHandler;
}

export interface VersionedAsset extends ServedAsset {
  /** Its address in a page rendered under `baseUrl` (the plugin's mount path), with the version. */
  url(baseUrl: string): string;
}

export function versionedAsset(path: string, type: string, content: Buffer | string): VersionedAsset {
  const version = crypto.createHash('sha256').update(content).digest('hex').slice(0, 12);
  return {
    path,
    url: (baseUrl) => `${baseUrl}${path}?v=${version}`,
    serve(req, res) {
      const current = req.query.v === version;
      res.set('Cache-Control', current ? 'public, max-age=31536000, immutable' : 'no-cache');
      res.set('X-Content-Type-Options', 'nosniff');
      res.type(type).send(content);
    },
  };
}
