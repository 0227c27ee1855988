// The mail transport: the host's own when it hands one over, else a pooled SMTP transport from
// the plugin's settings (in its own thread), else none (mail stays queued and the admin page says why).
import type { SupportHost } from '../host';
import type { MailSettings } from '../model/settings';
import { SmtpSender, type MailSender } from './smtp-sender';

export interface MailTransport {
  transporter: MailSender | null;
  from: { name: string; address: string };
  /** Where the transport came from, for logs and the admin page. */
  source: 'host' | 'settings' | 'none';
  /** Whether this plugin made the transport, and so must close it. */
  owned: boolean;
  /** E-mails the transport puts on the wire at once: the dispatcher claims in proportion to it. */
  connections: number;
}

/** The plugin's own SMTP pool; a host's transport is assumed to send as many at once (nodemailer's pool default). */
const SMTP_CONNECTIONS = 5;

/** @param hostMail the host's own mail settings (the contract's `mail`), which win over the plugin's */
export function createTransport(hostMail: SupportHost['mail'], settings: MailSettings): MailTransport {
  if (hostMail?.transport) {
    return {
      transporter: hostMail.transport,
      from: parseFrom(hostMail.from) ?? settings.from,
      source: 'host',
      owned: false,
      connections: SMTP_CONNECTIONS,
    };
  }
  const smtp = settings.smtp;
  if (!smtp) return { transporter: null, from: settings.from, source: 'none', owned: false, connections: SMTP_CONNECTIONS };
  const timeout = settings.timeoutSeconds * 1000;
  const transporter = new SmtpSender({
    pool: true,
    maxConnections: SMTP_CONNECTIONS,
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    requireTLS: smtp.requireTLS,
    ...(smtp.user ? { auth: { user: smtp.user, pass: smtp.password ?? '' } } : {}),
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
  });
  return { transporter, from: settings.from, source: 'settings', owned: true, connections: SMTP_CONNECTIONS };
}

/** "Name <address>" or a bare address, as hosts usually keep it. */
function parseFrom(from: string | undefined): { name: string; address: string } | null {
  if (!from) return null;
  const match = /^\s*(.*?)\s*<([^>]+)>\s*$/.exec(from);
  return match ? { name: match[1] ?? '', address: match[2] as string } : { name: '', address: from.trim() };
}
