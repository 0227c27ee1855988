// The mail transport: the host's own when it hands one over, else a pooled SMTP transport from
// the plugin's settings, else none (mail stays queued and the admin page says why). Either way
// e-mails are rendered and built in the mail thread (mail-sender.ts).
import type { SupportHost } from '../host';
import type { MailSettings } from '../model/settings';
import { HostSender, MailThread, type MailSender } from './mail-sender';
import type { RenderOptions } from './render';

export interface MailTransport {
  transporter: MailSender | null;
  from: { name: string; address: string };
  /** Where the transport came from, for logs and the admin page. */
  source: 'host' | 'settings' | 'none';
  /** E-mails the transport puts on the wire at once: the dispatcher claims in proportion to it. */
  connections: number;
}

/** The plugin's own SMTP pool; a host's transport is assumed to send as many at once (nodemailer's pool default). */
const SMTP_CONNECTIONS = 5;

/**
 * @param hostMail the host's own mail settings (the contract's `mail`), which win over the plugin's
 * @param render where the mail thread finds the templates
 */
export function createTransport(hostMail: SupportHost['mail'], settings: MailSettings, render: RenderOptions): MailTransport {
  if (hostMail?.transport) {
    return {
      transporter: new HostSender(hostMail.transport, new MailThread({ smtp: null, render })),
      from: parseFrom(hostMail.from) ?? settings.from,
      source: 'host',
      connections: SMTP_CONNECTIONS,
    };
  }
  const smtp = settings.smtp;
  if (!smtp) return { transporter: null, from: settings.from, source: 'none', connections: SMTP_CONNECTIONS };
  const timeout = settings.timeoutSeconds * 1000;
  const transporter = new MailThread({
    render,
    smtp: {
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
    },
  });
  return { transporter, from: settings.from, source: 'settings', connections: SMTP_CONNECTIONS };
}

/** "Name <address>" or a bare address, as hosts usually keep it. */
function parseFrom(from: string | undefined): { name: string; address: string } | null {
  if (!from) return null;
  const match = /^\s*(.*?)\s*<([^>]+)>\s*$/.exec(from);
  return match ? { name: match[1] ?? '', address: match[2] as string } : { name: '', address: from.trim() };
}
