// The secret of the demo's mail in (settings.mail.inbound.secret): made once per data folder and
// kept in a file only its owner reads, so the pipe command can be tried against the demo with
// --secret-file, and no two demo folders share one.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { DemoStartError } from './start-error';

export const INBOUND_SECRET_FILE = 'mail-in.secret';

/** The folder's secret, made on first use. */
export function inboundSecret(dataDir: string): string {
  const file = path.join(dataDir, INBOUND_SECRET_FILE);
  try {
    fs.writeFileSync(file, `${crypto.randomBytes(32).toString('base64url')}\n`, { flag: 'wx', mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const secret = fs.readFileSync(file, 'utf8').trim();
  if (secret.length < 32) throw new DemoStartError(`${file} holds no secret of 32 characters or more: delete it and a new one is made`);
  return secret;
}
