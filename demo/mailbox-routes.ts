// The demo's Mailbox: what the SMTP catcher received, as a list, one e-mail, and its attachments,
// and a Reply to any of them sent to the demo's MX. A demo tool, open to every signed-in role; a
// real panel has no such page.
import express, { Router, type Request, type Response } from 'express';
import type { Locale } from 'support-requests';
import { csrfValid } from './csrf';
import { strings } from './i18n';
import type { Identity } from './identity';
import type { Layout } from './layout';
import { isUrgent, type CaughtMail, type MailCatcher } from './mail-catcher';
import { replyDraft, replyEnvelope, sendReply, type Replier, type ReplyEnvelope, type SentReply } from './mail-reply';
import { outcomeOf } from './mx';
import type { PanelSessions } from './sessions';

export const MAILBOX_PATH = '/mailbox';

/** The longest reply the form takes. */
const REPLY_MAX_CHARS = 20_000;

/** What the Mailbox shows once after a reply went out. */
const SENT_KEY = 'panel.mailboxSent';

export interface MailboxParts {
  catcher: MailCatcher;
  identity: Identity;
  layout: Layout;
  sessions: PanelSessions;
  /**
   * Where replies go (the demo's MX), who an address is, and where the plugin's requests are (the
   * confirmation links the request a reply landed in); without it there is no Reply button.
   */
  reply?: { mxPort: number; requestsPath: string; replier(address: string, locale: Locale): Promise<Replier> };
}

/**
 * The e-mail's HTML goes into a sandboxed srcdoc frame, which inherits this policy: no scripts,
 * no remote images or fonts (a mail client's "don't load remote content"), styles and data: images
 * only. Forms may post to the panel itself for the layout's language switch and sign-out.
 */
const MAILBOX_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; frame-ancestors 'none'";

/** A file name safe for Content-Disposition and the user's disk: no paths, no control characters. */
export function safeFilename(name: string, fallback: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const clean = base
    .replace(/[\u0000-\u001f\u007f"]+/g, '')
    .trim()
    .replace(/^\.+/, '')
    .slice(0, 200);
  return clean || fallback;
}

/** Plain text cut into runs, `link` for http(s) addresses: the view links those and escapes everything. */
export function textParts(text: string): Array<{ text: string; link: boolean }> {
  const parts: Array<{ text: string; link: boolean }> = [];
  let last = 0;
  for (const match of text.matchAll(/https?:\/\/[^\s<>"']*[^\s<>"'.,;:!?)]/g)) {
    if (match.index > last) parts.push({ text: text.slice(last, match.index), link: false });
    parts.push({ text: match[0], link: true });
    last = match.index + match[0].length;
  }
  if (last < text.length) parts.push({ text: text.slice(last), link: false });
  return parts;
}

function formatters(locale: Locale) {
  const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeStyle: 'medium' });
  const units = strings[locale].mailbox.units;
  return {
    when: (date: Date | null) => (date ? dateTime.format(date) : ''),
    size(bytes: number): string {
      if (bytes < 1024) return `${bytes} ${units[0]}`;
      if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} ${units[1]}`;
      return `${(bytes / 1024 / 1024).toFixed(1)} ${units[2]}`;
    },
  };
}

/** An address list as a header shows it. */
function shown(list: Array<{ name: string; address: string }>): string {
  return list.map((a) => (a.name ? `${a.name} <${a.address}>` : a.address)).join(', ');
}

/** The Mailbox's confirmation after a reply: what went where, what the plugin did, the request it is in. */
interface SentNotice {
  lines: string[];
  /** The plugin took it into a request (stored, opened); anything else is worth a second look. */
  landed: boolean;
  ticketNumber?: string;
}

function sentNotice(locale: Locale, sent: string, response: string): SentNotice {
  const words = strings[locale].mailbox.reply.outcomes;
  const result = outcomeOf(response);
  if (!result) return { lines: [sent, words.other.replace('{response}', response)], landed: false };
  const outcome = words[result.outcome].replace('{number}', result.ticketNumber ?? '').replace('{reason}', result.reason ?? '—');
  return {
    lines: [sent, outcome],
    landed: result.outcome === 'stored' || result.outcome === 'opened',
    ...(result.ticketNumber ? { ticketNumber: result.ticketNumber } : {}),
  };
}

/** Why sending failed: the MX's refusal, or that it could not be reached. */
function sendProblem(locale: Locale, err: unknown): string {
  const words = strings[locale].mailbox.reply;
  const { responseCode, response, code, message } = (err ?? {}) as {
    responseCode?: number;
    response?: string;
    code?: string;
    message?: string;
  };
  if (responseCode) return words.refused.replace('{response}', String(response ?? responseCode));
  return words.unreachable.replace('{reason}', String(code ?? message ?? err));
}

export function mailboxRoutes({ catcher, identity, layout, sessions, reply }: MailboxParts): Router {
  const router = Router();
  const locale = (req: Request) => identity.locale(req);
  const form = express.urlencoded({ extended: false, limit: '128kb', parameterLimit: 10 });

  /** The e-mail named by :id, or a 404 page. */
  function mailOf(req: Request, res: Response): CaughtMail | undefined {
    const id = String(req.params.id);
    const mail = /^\d{1,9}$/.test(id) ? catcher.get(Number(id)) : undefined;
    if (!mail) layout.message(req, res, 404, 'notFound');
    return mail;
  }

  router.use((req, res, next) => {
    if (!identity.user(req)) return res.redirect(303, '/login');
    res.set('Content-Security-Policy', MAILBOX_CSP);
    next();
  });

  router.get('/', (req, res) => {
    const l = locale(req);
    const session = sessions.state(req);
    const sent = session.get(SENT_KEY);
    if (sent !== undefined) session.set(SENT_KEY, undefined);
    layout.page(req, res, 'mailbox', strings[l].mailbox.title, {
      mails: catcher.list(),
      base: MAILBOX_PATH,
      port: catcher.port,
      canReply: (mail: CaughtMail) => reply !== undefined && replyEnvelope(mail) !== null,
      sent: sent === undefined ? null : (JSON.parse(sent) as SentNotice),
      requestsPath: reply?.requestsPath ?? '',
      isUrgent,
      ...formatters(l),
    });
  });

  router.get('/:id', (req, res) => {
    const mail = mailOf(req, res);
    if (!mail) return;
    const l = locale(req);
    layout.page(req, res, 'mailbox-message', mail.subject || strings[l].mailbox.noSubject, {
      mail,
      base: MAILBOX_PATH,
      canReply: reply !== undefined && replyEnvelope(mail) !== null,
      isUrgent,
      textParts,
      ...formatters(l),
    });
  });

  router.get('/:id/attachments/:index', (req, res) => {
    const mail = mailOf(req, res);
    if (!mail) return;
    const index = /^\d{1,4}$/.test(String(req.params.index)) ? Number(req.params.index) : -1;
    const file = mail.attachments[index];
    if (!file) return layout.message(req, res, 404, 'notFound');
    // Always a download, never rendered by the browser in the panel's origin.
    res.attachment(safeFilename(file.filename, `attachment-${index + 1}`));
    res.set({ 'Content-Type': 'application/octet-stream', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
    res.send(file.content);
  });

  if (reply) {
    /** The e-mail and its reply's envelope, or a 404 page. */
    const replyOf = (req: Request, res: Response): { mail: CaughtMail; envelope: ReplyEnvelope } | undefined => {
      const mail = mailOf(req, res);
      if (!mail) return undefined;
      const envelope = replyEnvelope(mail);
      if (!envelope) layout.message(req, res, 404, 'notFound');
      return envelope ? { mail, envelope } : undefined;
    };

    /** The reply goes out named as its sender would name themselves: the To's name, else the department's or the account's. */
    const named = async (envelope: ReplyEnvelope, l: Locale): Promise<ReplyEnvelope> => {
      const name = envelope.from.name || (await reply.replier(envelope.from.address, l)).name;
      return { ...envelope, from: { ...envelope.from, name } };
    };

    const showForm = async (
      req: Request,
      res: Response,
      mail: CaughtMail,
      envelope: ReplyEnvelope,
      text: string,
      problem = '',
      status = 200,
    ) => {
      const l = locale(req);
      const from = shown([(await named(envelope, l)).from]);
      layout.page(
        req,
        res,
        'mailbox-reply',
        strings[l].mailbox.reply.title,
        { mail, envelope, text, problem, base: MAILBOX_PATH, port: reply.mxPort, from, to: shown(envelope.to) },
        status,
      );
    };

    router.get('/:id/reply', async (req, res) => {
      const found = replyOf(req, res);
      if (!found) return;
      const l = locale(req);
      const replier = await reply.replier(found.envelope.from.address, l);
      await showForm(req, res, found.mail, found.envelope, replyDraft(found.mail, replier, l));
    });

    router.post('/:id/reply', form, async (req, res) => {
      if (!csrfValid(sessions.state(req), (req.body as Record<string, unknown> | undefined)?._csrf)) {
        return layout.message(req, res, 403, 'csrf');
      }
      const found = replyOf(req, res);
      if (!found) return;
      const { mail, envelope } = found;
      const l = locale(req);
      const words = strings[l].mailbox.reply;
      const given = (req.body as Record<string, unknown>).text;
      const text = typeof given === 'string' ? given.replace(/\r\n?/g, '\n') : '';
      if (text.trim() === '') return await showForm(req, res, mail, envelope, text, words.required, 400);
      if (text.length > REPLY_MAX_CHARS) {
        return await showForm(req, res, mail, envelope, text, words.tooLong.replace('{max}', REPLY_MAX_CHARS.toLocaleString(l)), 400);
      }
      let result: SentReply;
      try {
        result = await sendReply(reply.mxPort, await named(envelope, l), text);
      } catch (err) {
        return await showForm(req, res, mail, envelope, text, sendProblem(l, err), 502);
      }
      const sent = words.sent.replace('{from}', envelope.from.address).replace('{to}', result.accepted.join(', '));
      sessions.state(req).set(SENT_KEY, JSON.stringify(sentNotice(l, sent, result.response)));
      res.redirect(303, MAILBOX_PATH);
    });
  }

  return router;
}
