// The IMAP reader: one background job per configured mailbox, named imap:<name>, so the job's
// lease keeps a mailbox to one instance at a time. A run connects, takes every message newer
// than the stored position in UID order, hands each to the intake, marks it processed (moved or
// flagged) and records its UID; then, where the server offers IDLE, it waits for new mail until
// its interval is nearly over, and returns for the scheduler to run it again on a fresh connection.
//
// A message is marked and its UID recorded only after the intake has taken it. When the intake
// throws (the database or the disk is unavailable), the run stops there and the message is read
// again next run; a message read twice (a crash between intake and record, a new UIDVALIDITY) is
// the intake's to drop, by Message-ID.
import type { ExistsEvent, ImapFlow } from 'imapflow';
import type { HostLogger } from '../../host';
import type { Job, JobContext } from '../../model/jobs';
import type { MailboxPosition, MailboxPositionStore, ReceiveMail } from '../../model/inbound';
import type { MailboxSettings } from '../../model/settings';
import { describeFailure } from '../../model/errors';

export interface ImapReaderOptions {
  mailbox: MailboxSettings;
  positions: MailboxPositionStore;
  receive: ReceiveMail;
  logger: HostLogger;
  /** settings.mail.inbound.maxMessageMb in bytes: a larger message is not downloaded at all. */
  maxMessageBytes: number;
}

/**
 * An IDLE ends this long before the run's interval does (at most), so the next run is due as
 * this one returns and the mailbox is watched without a gap.
 */
const IDLE_MARGIN_MS = 1000;
/** imapflow (and the logger it brings) loads with the first run, so a panel without mailboxes never loads it. */
let imapFlowClass: Promise<typeof ImapFlow> | null = null;
const imapFlow = () => (imapFlowClass ??= import('imapflow').then((module) => module.ImapFlow));
/** Messages fetched, marked and recorded together; fewer when they add up to more than BATCH_BYTES. */
const BATCH_MESSAGES = 25;
const BATCH_BYTES = 8 * 1024 * 1024;

export function imapReaderJob(options: ImapReaderOptions): Job {
  const everyMs = options.mailbox.pollSeconds * 1000;
  return {
    name: `imap:${options.mailbox.name}`,
    everyMs,
    runOnStart: true,
    run: (context) => readMailbox(options, context, everyMs),
  };
}

type Wake = 'mail' | 'timeout' | 'stopped' | 'closed';

async function readMailbox(options: ImapReaderOptions, { now, signal }: JobContext, everyMs: number): Promise<void> {
  const { mailbox, logger } = options;
  const label = `support-requests mail in: mailbox "${mailbox.name}" (${mailbox.user}@${mailbox.host}:${mailbox.port}/${mailbox.folder})`;
  const idleUntil = Date.now() + everyMs - Math.min(IDLE_MARGIN_MS, everyMs / 10);
  // TLS certificates are checked (Node's default): no tls options are passed on purpose.
  const client = new (await imapFlow())({
    host: mailbox.host,
    port: mailbox.port,
    secure: mailbox.secure,
    auth: { user: mailbox.user, pass: mailbox.password },
    logger: false,
    // IDLE only when this reader asks for it, between its passes.
    disableAutoIdle: true,
    connectionTimeout: 30_000,
  });
  let connectionError: unknown = null;
  // After connect() a failure arrives as 'error' (then 'close'); without a listener it would crash the process.
  client.on('error', (err: unknown) => (connectionError = err));
  // New mail announced while a pass runs (or before IDLE starts) is taken by another pass.
  let newMail: boolean;
  client.on('exists', (event: ExistsEvent) => {
    if (event.count > event.prevCount) newMail = true;
  });
  // Stopping while connecting ends the connection at once; a message in hand is finished first.
  let connecting = true;
  const onAbort = () => {
    if (connecting) client.close();
  };
  signal.addEventListener('abort', onAbort, { once: true });

  try {
    await client.connect();
    await client.mailboxOpen(mailbox.folder);
    // created: false when it is there already.
    if (mailbox.moveTo) await client.mailboxCreate(mailbox.moveTo);
    connecting = false;
    if (signal.aborted) return;

    let position = await options.positions.get(mailbox.name);
    for (;;) {
      newMail = false;
      const pass = await takeNewMail(client, options, position, now, signal, label);
      position = pass.position;
      if (!pass.finished || signal.aborted) return;
      if (newMail) continue;
      if (!client.capabilities.has('IDLE')) return;
      const wake = await waitForMail(client, idleUntil - Date.now(), signal);
      if (wake === 'closed') {
        logger.warn(`${label}: the server closed the connection while waiting for mail${reason(connectionError)}; looking again next run`);
        return;
      }
      if (wake !== 'mail') return;
    }
  } catch (err) {
    if (signal.aborted && connecting) return;
    logger.error(`${label}: ${describeImapFailure(connectionError ?? err)}; trying again in ${mailbox.pollSeconds} s`);
  } finally {
    signal.removeEventListener('abort', onAbort);
    await logout(client);
  }
}

/**
 * One pass over the folder: every message after the position, in UID order. Returns the
 * position reached, and whether the pass went to the end (not stopped by the intake or the signal).
 */
async function takeNewMail(
  client: ImapFlow,
  options: ImapReaderOptions,
  stored: MailboxPosition | null,
  now: () => number,
  signal: AbortSignal,
  label: string,
): Promise<{ position: MailboxPosition | null; finished: boolean }> {
  const { mailbox, logger } = options;
  const folder = client.mailbox;
  if (!folder) throw new Error(`the folder "${mailbox.folder}" is no longer selected`);
  const uidValidity = String(folder.uidValidity);
  let position = stored;
  if (position && position.uidValidity !== uidValidity) {
    logger.warn(
      `${label}: UIDVALIDITY changed from ${position.uidValidity} to ${uidValidity} (the folder was recreated or rebuilt); reading it again from its first message, and messages already taken are dropped by Message-ID`,
    );
    // Recorded at once, so an empty folder is not reported again every run.
    position = await record(options, uidValidity, 0, now);
  }
  if (folder.exists === 0) return { position, finished: true };

  const fromUid = (position?.lastUid ?? 0) + 1;
  // "N:*" also names the last message when every UID is below N: hence the filter.
  const listed = await client.fetchAll(`${fromUid}:*`, { uid: true, size: true }, { uid: true });
  const waiting = listed.filter((m) => m.uid >= fromUid).sort((a, b) => a.uid - b.uid);

  // A batch at a time: one FETCH for its messages, one command to mark them, one write of the
  // position. A crash mid-batch reads its messages again, and the intake drops what it took.
  for (const batch of batchesOf(waiting, options.maxMessageBytes)) {
    if (signal.aborted) return { position, finished: false };
    const wanted = batch.filter((m) => m.size === undefined || m.size <= options.maxMessageBytes).map((m) => m.uid);
    const sources = new Map<number, Buffer>();
    if (wanted.length > 0) {
      for await (const message of client.fetch(wanted.join(','), { uid: true, source: true }, { uid: true })) {
        if (message.source) sources.set(message.uid, message.source);
      }
    }
    const taken: number[] = [];
    let stopped = false;
    for (const { uid, size } of batch) {
      if (signal.aborted) {
        stopped = true;
        break;
      }
      const source = sources.get(uid);
      if (size !== undefined && size > options.maxMessageBytes) {
        logger.error(
          `${label}: message UID ${uid} is ${sizeOf(size)}, over the limit of ${sizeOf(options.maxMessageBytes)} (settings.mail.inbound.maxMessageMb); not read, and marked processed`,
        );
      } else if (!source) {
        // Deleted by someone else since it was listed: there is nothing left to take or mark.
        logger.warn(`${label}: message UID ${uid} was removed from the folder before it could be read`);
        continue;
      } else {
        try {
          await options.receive(source, { source: 'imap', mailbox: mailbox.name });
        } catch (err) {
          logger.warn(
            `${label}: message UID ${uid} could not be taken (${describeFailure(err)}); it stays in the folder and is read again next run`,
          );
          stopped = true;
          break;
        }
      }
      taken.push(uid);
    }
    if (taken.length > 0) {
      await markProcessed(client, mailbox, taken);
      position = await record(options, uidValidity, taken[taken.length - 1]!, now);
    }
    if (stopped) return { position, finished: false };
  }
  return { position, finished: true };
}

/** Messages to read together: up to BATCH_MESSAGES, and up to about BATCH_BYTES of them. */
function batchesOf<T extends { size?: number }>(messages: T[], maxMessageBytes: number): T[][] {
  const batches: T[][] = [];
  let batch: T[] = [];
  let bytes = 0;
  for (const message of messages) {
    const size = Math.min(message.size ?? 0, maxMessageBytes);
    if (batch.length > 0 && (batch.length >= BATCH_MESSAGES || bytes + size > BATCH_BYTES)) {
      batches.push(batch);
      batch = [];
      bytes = 0;
    }
    batch.push(message);
    bytes += size;
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}

async function markProcessed(client: ImapFlow, mailbox: MailboxSettings, uids: number[]): Promise<void> {
  const set = uids.join(',');
  if (mailbox.moveTo) {
    if (!(await client.messageMove(set, mailbox.moveTo, { uid: true }))) {
      throw new Error(`the server refused to move messages UID ${set} to "${mailbox.moveTo}"`);
    }
  } else if (!(await client.messageFlagsAdd(set, [mailbox.flag], { uid: true }))) {
    throw new Error(`the server refused the flag ${mailbox.flag} on messages UID ${set} (is it among the folder's permanent flags?)`);
  }
}

async function record(options: ImapReaderOptions, uidValidity: string, uid: number, now: () => number): Promise<MailboxPosition> {
  const position = { uidValidity, lastUid: uid };
  await options.positions.save(options.mailbox.name, position, now());
  return position;
}

/** IDLE until new mail arrives, `ms` pass, the job is stopped or the connection closes. */
function waitForMail(client: ImapFlow, ms: number, signal: AbortSignal): Promise<Wake> {
  if (ms <= 0) return Promise.resolve('timeout');
  if (signal.aborted) return Promise.resolve('stopped');
  return new Promise((resolve) => {
    const finish = (wake: Wake) => {
      clearTimeout(timer);
      client.off('exists', onExists);
      client.off('close', onClose);
      signal.removeEventListener('abort', onStop);
      resolve(wake);
    };
    const onExists = (event: ExistsEvent) => {
      if (event.count > event.prevCount) finish('mail');
    };
    const onClose = () => finish('closed');
    const onStop = () => finish('stopped');
    const timer = setTimeout(() => finish('timeout'), ms);
    client.on('exists', onExists);
    client.on('close', onClose);
    signal.addEventListener('abort', onStop, { once: true });
    // The next command (the next pass's FETCH, or LOGOUT) ends the IDLE; a failed IDLE shows as 'close'.
    client.idle().catch(() => undefined);
  });
}

async function logout(client: ImapFlow): Promise<void> {
  if (client.usable) {
    try {
      await client.logout();
      return;
    } catch {
      // Closed below.
    }
  }
  client.close();
}

function sizeOf(bytes: number): string {
  return bytes < 1024 * 1024 ? `${Math.ceil(bytes / 1024)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function reason(err: unknown): string {
  return err ? ` (${describeImapFailure(err)})` : '';
}

/** imapflow's errors say "Command failed" and keep the server's words apart. */
function describeImapFailure(err: unknown): string {
  const e = (err ?? {}) as { responseText?: string; authenticationFailed?: boolean; executedCommand?: string };
  if (e.authenticationFailed) return `the server refused the user name or password${e.responseText ? `: ${e.responseText}` : ''}`;
  // The command's name only ("3 SELECT ..." has the tag first): a LOGIN's arguments hold the password.
  const command = e.executedCommand?.split(' ')[1] ?? 'a command';
  // Dovecot ends its answers with how long they took: "(0.001 + 0.000 secs)."
  return e.responseText ? `the server refused ${command}: ${e.responseText.replace(/\s*\([\d.+ ]+secs\)\.?$/, '')}` : describeFailure(err);
}
