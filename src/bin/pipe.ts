#!/usr/bin/env node
// support-requests-pipe: one e-mail on stdin, POSTed to the panel's intake, for a Postfix or Exim
// alias. It needs no database and loads nothing of the plugin: only Node's http and https.
import fs from 'node:fs/promises';
import { readAll, withoutEnvelopeLine } from './message-input';
import { pipeOptions, USAGE, UsageError, type PipeOptions } from './pipe-options';
import { postMessage } from './post-message';
import { EX_DATAERR, EX_OK, EX_TEMPFAIL, EX_USAGE, verdictOf, type Verdict } from './sysexits';

const NAME = 'support-requests-pipe';

async function secretOf(options: PipeOptions): Promise<string | Verdict> {
  if (options.secretFile === null) return (options.secretFromEnv ?? '').trim();
  try {
    const secret = (await fs.readFile(options.secretFile, 'utf8')).trim();
    if (secret) return secret;
    return { code: EX_TEMPFAIL, line: `the secret file ${options.secretFile} is empty; the mail server keeps the message` };
  } catch (err) {
    // Most often the file's permissions: fixing them lets the retried delivery through.
    const reason = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    return { code: EX_TEMPFAIL, line: `cannot read the secret file ${options.secretFile}: ${reason}; the mail server keeps the message` };
  }
}

async function run(): Promise<Verdict> {
  let options: PipeOptions | 'help';
  try {
    options = pipeOptions(process.argv.slice(2), process.env);
  } catch (err) {
    if (err instanceof UsageError) return { code: EX_USAGE, line: `${err.message}\n${USAGE}` };
    throw err;
  }
  if (options === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return { code: EX_OK, line: '' };
  }
  const secret = await secretOf(options);
  if (typeof secret !== 'string') return secret;
  const message = withoutEnvelopeLine(await readAll(process.stdin));
  if (message.length === 0) return { code: EX_DATAERR, line: 'no message on stdin' };
  return verdictOf(await postMessage(options.url, secret, message, options.timeoutMs), options.url);
}

run().then(
  ({ code, line }) => {
    if (line) (code === EX_OK ? process.stdout : process.stderr).write(code === EX_OK ? `${line}\n` : `${NAME}: ${line}\n`);
    process.exitCode = code;
  },
  (err: unknown) => {
    // Not ours to lose: whatever went wrong, the mail server keeps the message.
    process.stderr.write(`${NAME}: ${(err as Error)?.message ?? String(err)}\n`);
    process.exitCode = EX_TEMPFAIL;
  },
);
