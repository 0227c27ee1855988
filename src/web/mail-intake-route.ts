// POST <mountPath>/mail-in: the intake's door for machines (the pipe command, a host's own mail
// server). No session, no CSRF: it is authenticated by the inbound secret as a bearer token, and
// every answer is a short JSON the pipe turns into an exit code. The body is one whole message.
import crypto from 'node:crypto';
import express, { type ErrorRequestHandler, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { HostLogger } from '../host';
import type { InboundSettings } from '../model/settings';
import type { IntakeResult, ReceiveMail } from '../model/inbound';
import { isStorageUnavailable } from '../files/unavailable';
import { shortReason } from './error-answers';

export const MAIL_IN_PATH = '/mail-in';

export interface MailIntakeRouteParts {
  inbound: InboundSettings;
  receiveMail: ReceiveMail;
  logger: HostLogger;
  isDatabaseUnavailable(err: unknown): boolean;
}

type IntakeError = 'notConfigured' | 'unauthorized' | 'unsupportedType' | 'emptyMessage' | 'tooLarge' | 'badRequest' | 'unavailable';

function refuse(res: Response, status: number, error: IntakeError): void {
  res.status(status).set('Cache-Control', 'no-store').json({ error });
}

/** Whether the Authorization header carries the secret; both are hashed first, so neither length nor content leaks through timing. */
export function bearerMatches(header: string | undefined, secret: string): boolean {
  const given = /^Bearer +(\S+)\s*$/i.exec(header ?? '')?.[1] ?? '';
  const digest = (value: string) => crypto.createHash('sha256').update(value).digest();
  return crypto.timingSafeEqual(digest(given), digest(secret));
}

/** The answer to a message taken: its outcome, and the request or reason when there is one. */
function answerOf(result: IntakeResult): IntakeResult {
  return {
    outcome: result.outcome,
    ...(result.ticketNumber !== undefined ? { ticketNumber: result.ticketNumber } : {}),
    ...(result.reason !== undefined ? { reason: result.reason } : {}),
  };
}

/** The route's handlers, in order: the secret, the body, the intake, and the body's errors. */
export function mailIntakeRoute({
  inbound,
  receiveMail,
  logger,
  isDatabaseUnavailable,
}: MailIntakeRouteParts): Array<RequestHandler | ErrorRequestHandler> {
  const { address, secret } = inbound;
  const limit = Math.floor(inbound.maxMessageMb * 1024 * 1024);
  // body-parser reads up to the limit (refusing a larger Content-Length before reading), and
  // only then is the intake called: a message too large never reaches it, so nothing is stored.
  const readMessage = express.raw({ type: 'message/rfc822', limit, inflate: false });
  const where = `POST ${MAIL_IN_PATH}`;

  const authenticate = (req: Request, res: Response, next: NextFunction) => {
    if (!address || !secret) return refuse(res, 404, 'notConfigured');
    if (!bearerMatches(req.get('authorization'), secret)) {
      res.set('WWW-Authenticate', 'Bearer');
      return refuse(res, 401, 'unauthorized');
    }
    next();
  };

  const take = async (req: Request, res: Response) => {
    const raw: unknown = req.body;
    if (!Buffer.isBuffer(raw)) return refuse(res, 415, 'unsupportedType');
    if (raw.length === 0) return refuse(res, 400, 'emptyMessage');
    let result: IntakeResult;
    try {
      result = await receiveMail(raw, { source: 'pipe' });
    } catch (err) {
      // The sender keeps the message and tries again; the answer names no cause, the log does.
      const outage = isDatabaseUnavailable(err) ? 'database' : isStorageUnavailable(err) ? 'storage' : null;
      if (outage) logger.error(`support-requests: ${where}: ${outage} unavailable: ${shortReason(err)}`);
      else logger.error(`support-requests: ${where} failed: ${(err as Error)?.stack ?? String(err)}`);
      res.set('Retry-After', '60');
      return refuse(res, 503, 'unavailable');
    }
    res.status(200).set('Cache-Control', 'no-store').json(answerOf(result));
  };

  // Errors of reading the body: too large, cut short, an encoding it does not take.
  const bodyError = (err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    const given = (err as { status?: unknown } | null)?.status;
    const status = given === 413 || given === 415 ? given : 400;
    logger.warn(`support-requests: ${where} answered ${status}: ${shortReason(err)}`);
    refuse(res, status, status === 413 ? 'tooLarge' : status === 415 ? 'unsupportedType' : 'badRequest');
  };

  return [authenticate, readMessage, take, bodyError];
}
