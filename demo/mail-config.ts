// Where the demo panel's e-mail goes, from the environment: a real SMTP server when SMTP_HOST is
// set, otherwise the demo's own catcher on SMTP_PORT (2525), shown on the Mailbox page. Mail to
// the panel comes in through the demo's MX on MX_PORT (2526).

/** The plugin's `mail.smtp` settings (plugin.json). */
export interface SmtpSettings {
  host: string;
  port?: number;
  secure?: boolean;
  user?: string;
  password?: string;
}

export type DemoMail =
  /** Send through this server; no catcher, no Mailbox page. */
  | { smtp: SmtpSettings; from?: string }
  /** Start the catcher on this port (0: any free one) and send to it. */
  | { catcherPort: number };

const DEFAULT_CATCHER_PORT = 2525;
const DEFAULT_MX_PORT = 2526;

type Env = Record<string, string | undefined>;

function port(name: string, value: string, min: number): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > 65535) throw new Error(`${name} must be a port number (${min}-65535), not "${value}"`);
  return n;
}

function flag(name: string, value: string): boolean {
  const v = value.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off', ''].includes(v)) return false;
  throw new Error(`${name} must be true or false, not "${value}"`);
}

/** Reads SMTP_HOST, SMTP_PORT, SMTP_SECURE, SMTP_USER, SMTP_PASSWORD and SMTP_FROM; empty counts as unset. */
export function demoMailFromEnv(env: Env): DemoMail {
  const get = (name: string) => env[name] || undefined;
  const host = get('SMTP_HOST');
  const smtpPort = get('SMTP_PORT');
  if (!host) return { catcherPort: smtpPort === undefined ? DEFAULT_CATCHER_PORT : port('SMTP_PORT', smtpPort, 0) };
  const smtp: SmtpSettings = { host };
  if (smtpPort !== undefined) smtp.port = port('SMTP_PORT', smtpPort, 1);
  const secure = get('SMTP_SECURE');
  if (secure !== undefined) smtp.secure = flag('SMTP_SECURE', secure);
  const user = get('SMTP_USER');
  const password = get('SMTP_PASSWORD');
  if (user !== undefined) smtp.user = user;
  if (password !== undefined) smtp.password = password;
  const from = get('SMTP_FROM');
  return from === undefined ? { smtp } : { smtp, from };
}

/** The demo MX's port: MX_PORT, 2526 when unset, 0 for any free one. */
export function demoMxPortFromEnv(env: Env): number {
  const value = env.MX_PORT || undefined;
  return value === undefined ? DEFAULT_MX_PORT : port('MX_PORT', value, 0);
}
