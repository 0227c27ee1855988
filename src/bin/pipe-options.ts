// The pipe command's options, from its arguments and environment. The secret never comes from the
// command line (every user of the machine sees it in `ps`): a file, or SUPPORT_REQUESTS_SECRET.
import { parseArgs } from 'node:util';

export interface PipeOptions {
  /** The panel's intake: <publicBaseUrl><mountPath>/mail-in. */
  url: URL;
  /** Where the secret is read from; null when it came in the environment. */
  secretFile: string | null;
  /** The secret, when the environment gave it. */
  secretFromEnv: string | null;
  timeoutMs: number;
}

export const USAGE = `Usage: support-requests-pipe --url <https://panel.example/support/requests/mail-in> [--secret-file <path>] [--timeout <seconds>]

Reads one e-mail on stdin and hands it to the panel's intake (for a Postfix or Exim alias).
The secret is settings.mail.inbound.secret: from --secret-file, or the SUPPORT_REQUESTS_SECRET
environment variable; never on the command line.
Exit status: 0 taken; 75 try again later (panel unreachable, not answering, refusing the secret);
65 the message is too large; 64 wrong arguments.`;

const DEFAULT_TIMEOUT_SECONDS = 60;

export class UsageError extends Error {}

/** The options, or a UsageError saying what is wrong; `help` when --help was asked for. */
export function pipeOptions(argv: string[], env: Record<string, string | undefined>): PipeOptions | 'help' {
  let values: { url?: string; 'secret-file'?: string; timeout?: string; help?: boolean; secret?: string };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        url: { type: 'string' },
        'secret-file': { type: 'string' },
        timeout: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        // Known only to refuse it with the reason.
        secret: { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (values.help) return 'help';
  if (values.secret !== undefined) {
    throw new UsageError('--secret is not taken: on the command line every user sees it; use --secret-file or SUPPORT_REQUESTS_SECRET');
  }
  if (!values.url) throw new UsageError('--url is required');
  let url: URL;
  try {
    url = new URL(values.url);
  } catch {
    throw new UsageError(`--url is not an address: "${values.url}"`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new UsageError('--url must be an http:// or https:// address');
  if (url.username || url.password) throw new UsageError('--url must carry no user or password: the secret authenticates');

  const timeout = values.timeout ?? String(DEFAULT_TIMEOUT_SECONDS);
  if (!/^\d{1,4}$/.test(timeout) || Number(timeout) === 0)
    throw new UsageError(`--timeout must be a number of seconds (1-9999), not "${timeout}"`);

  const secretFile = values['secret-file'] ?? null;
  const secretFromEnv = env.SUPPORT_REQUESTS_SECRET || null;
  if (secretFile === '') throw new UsageError('--secret-file needs a path');
  if (secretFile === null && secretFromEnv === null)
    throw new UsageError('no secret: give --secret-file <path> or set SUPPORT_REQUESTS_SECRET');
  return { url, secretFile, secretFromEnv: secretFile === null ? secretFromEnv : null, timeoutMs: Number(timeout) * 1000 };
}
