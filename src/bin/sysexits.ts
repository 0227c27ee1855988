// What the panel's answer means to the mail server, as a sysexits.h status: Postfix and Exim keep
// the message and retry on EX_TEMPFAIL, and bounce it on the others. The words go to stderr,
// which both show in their log (and Postfix in a bounce); the secret is never among them.
import type { PostResult } from './post-message';

export const EX_OK = 0;
export const EX_USAGE = 64;
export const EX_DATAERR = 65;
export const EX_TEMPFAIL = 75;

export interface Verdict {
  code: number;
  /** One line for stdout (what became of the message) or stderr (why it was not taken). */
  line: string;
}

const OUTCOMES = new Set(['stored', 'opened', 'held', 'ignored', 'duplicate', 'bounce']);

type Answer = { outcome?: unknown; ticketNumber?: unknown; reason?: unknown; error?: unknown };

/** The intake's JSON answer; anything else (a proxy's page, the panel's sign-in page) reads as {}. */
function answerOf(body: string): Answer {
  try {
    const answer: unknown = JSON.parse(body);
    return answer && typeof answer === 'object' ? (answer as Answer) : {};
  } catch {
    return {};
  }
}

/** The intake's answer on one line: "stored #12345678", "held (unknownSender)". */
function outcomeLine(answer: Answer): string {
  // A 200 is the panel's word that the message is taken, whatever the body says.
  const outcome = typeof answer.outcome === 'string' && OUTCOMES.has(answer.outcome) ? answer.outcome : 'taken';
  const ticket = typeof answer.ticketNumber === 'string' && /^\d{1,20}$/.test(answer.ticketNumber) ? ` #${answer.ticketNumber}` : '';
  const reason = typeof answer.reason === 'string' && /^[A-Za-z0-9_.-]{1,64}$/.test(answer.reason) ? ` (${answer.reason})` : '';
  return `${outcome}${ticket}${reason}`;
}

/** The URL without query or fragment, for messages. */
function shownUrl(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

export function verdictOf(result: PostResult, url: URL): Verdict {
  const where = shownUrl(url);
  const retry = 'the mail server keeps the message and tries again';
  if (!result.answered) {
    return { code: EX_TEMPFAIL, line: `cannot reach the panel at ${where}: ${result.reason}; ${retry}` };
  }
  const { status } = result;
  const answer = answerOf(result.body);
  if (status === 200) return { code: EX_OK, line: outcomeLine(answer) };
  if (status === 413) {
    return { code: EX_DATAERR, line: `the panel refused the message as too large (413, settings.mail.inbound.maxMessageMb)` };
  }
  // The intake says which of its refusals it is; any other 401 or 404 is some other page.
  if (status === 401 && answer.error === 'unauthorized') {
    return { code: EX_TEMPFAIL, line: `the panel refused the secret (401): it must be settings.mail.inbound.secret; ${retry}` };
  }
  if (status === 404 && answer.error === 'notConfigured') {
    return { code: EX_TEMPFAIL, line: `the panel takes no mail yet (404): set settings.mail.inbound.address and secret; ${retry}` };
  }
  if (status === 401 || status === 404) {
    return { code: EX_TEMPFAIL, line: `no intake at ${where} (${status}): check --url; ${retry}` };
  }
  if (status >= 300 && status < 400) {
    const to = result.location ? ` to ${result.location}` : '';
    return { code: EX_TEMPFAIL, line: `the panel redirects (${status})${to}: put the final address in --url; ${retry}` };
  }
  if (status >= 500) return { code: EX_TEMPFAIL, line: `the panel cannot take the message now (${status}); ${retry}` };
  return { code: EX_TEMPFAIL, line: `the panel answered ${status}; ${retry}` };
}
