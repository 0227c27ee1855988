// The pipe command as a mail server runs it: the compiled script in a child process, one message
// on stdin, the panel's real intake endpoint over HTTP. Its exit status is what Postfix and Exim
// act on: 0 taken, 75 keep it and try again, 65 bounce it as too large, 64 a wrong alias line.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import type { IntakeOptions, IntakeResult } from '../../src';
import { mailIntakeRoute } from '../../src/web/mail-intake-route';
import { forEachDatabase, type TestDatabase } from '../support/databases';
import { filesUnder, startPlugin, type TestPlugin } from '../support/test-host';

const PIPE = path.resolve(__dirname, '..', '..', 'src', 'bin', 'pipe.js');
const SECRET = 'pipe-test-secret-0123456789abcdefghijklmnop';
const MOUNT = '/support/requests';
const EX_OK = 0;
const EX_USAGE = 64;
const EX_DATAERR = 65;
const EX_TEMPFAIL = 75;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the compiled command with this stdin; the environment has no secret unless given. */
function runPipe(args: string[], input: Buffer | string, env: Record<string, string> = {}): Promise<Run> {
  const childEnv: Record<string, string | undefined> = { ...process.env, ...env };
  if (!('SUPPORT_REQUESTS_SECRET' in env)) delete childEnv.SUPPORT_REQUESTS_SECRET;
  const child = spawn(process.execPath, [PIPE, ...args], { env: childEnv, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // The command may exit before reading stdin (wrong arguments): that is no error of the test's.
  child.stdin.on('error', () => undefined);
  child.stdin.end(input);
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

function listen(app: http.RequestListener): Promise<{ server: http.Server; port: number }> {
  const server = http.createServer(app);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as AddressInfo).port })));
}

function close(server: http.Server | undefined): Promise<void> {
  if (!server) return Promise.resolve();
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** Log lines kept to look at. */
function memoryLogger() {
  const lines: string[] = [];
  return {
    lines,
    info: (m: string) => lines.push(`info ${m}`),
    warn: (m: string) => lines.push(`warn ${m}`),
    error: (m: string) => lines.push(`error ${m}`),
  };
}

/** A port nothing listens on: one the system just gave out and took back. */
async function closedPort(): Promise<number> {
  const { server, port } = await listen(() => undefined);
  await close(server);
  return port;
}

/** A message as a mail client writes it: CRLF, 8-bit windows-1251 text, a line of LF only. */
function message(body = 'Добрый день, сайт снова работает.'): Buffer {
  return Buffer.concat([
    Buffer.from(
      'From: Ivan Petrov <ivan@example.ru>\r\nTo: support@panel.example\r\nSubject: =?utf-8?B?0J/RgNC40LLQtdGC?=\r\n' +
        'Message-ID: <pipe-test@example.ru>\r\nContent-Type: text/plain; charset=windows-1251\r\nContent-Transfer-Encoding: 8bit\r\n\r\n',
    ),
    // "Привет" in windows-1251: bytes that are not UTF-8, and must arrive untouched.
    Buffer.from([0xcf, 0xf0, 0xe8, 0xe2, 0xe5, 0xf2, 0x0d, 0x0a]),
    Buffer.from(`${body}\nlast line\r\n`),
  ]);
}

let secretDir: string;
let secretFile: string;

before(() => {
  secretDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pipe-secret-'));
  secretFile = path.join(secretDir, 'secret');
  // As an admin writes it: with a newline at the end.
  fs.writeFileSync(secretFile, `${SECRET}\n`, { mode: 0o600 });
});
after(() => fs.rmSync(secretDir, { recursive: true, force: true }));

/** The plugin with these settings behind a real HTTP server, for each test of the block; `url` is its intake. */
function listeningPlugin(settings: Record<string, unknown>, db: TestDatabase) {
  const served = { t: undefined as unknown as TestPlugin, url: '' };
  let server: http.Server;
  before(async () => {
    served.t = await startPlugin(db, settings);
    const listening = await listen(served.t.app);
    server = listening.server;
    served.url = `http://127.0.0.1:${listening.port}${served.t.plugin.mountPath}/mail-in`;
  });
  after(async () => {
    await close(server);
    await served.t?.close();
  });
  return served;
}

forEachDatabase('the pipe command against the plugin', (db) => {
  const served = listeningPlugin({ mail: { inbound: { address: 'support@panel.example', secret: SECRET, maxMessageMb: 0.05 } } }, db);

  /** The inbound mail rows and the files in storage, to compare before and after. */
  async function stored(): Promise<{ rows: number; files: string[] }> {
    const rows = (await served.t.knex(served.t.tables.inboundMail).count({ n: '*' }))[0] as { n: number | string };
    return { rows: Number(rows.n), files: filesUnder(served.t.storageDir) };
  }

  it('delivers a message: exit 0, and what became of it on stdout', async () => {
    const before = await stored();
    const run = await runPipe(['--url', served.url, '--secret-file', secretFile], message());
    assert.equal(run.code, EX_OK, run.stderr);
    // A customer's new mail to the plain address, and this host cannot look customers up by address: held.
    assert.equal(run.stdout, 'held (repliesOnly)\n');
    assert.equal(run.stderr, '');
    const after = await stored();
    assert.equal(after.rows, before.rows + 1);
    assert.equal(after.files.length, before.files.length + 1, 'the original is kept for the admin');
  });

  it('takes the secret from SUPPORT_REQUESTS_SECRET as well', async () => {
    const run = await runPipe(['--url', served.url], message(), { SUPPORT_REQUESTS_SECRET: SECRET });
    assert.equal(run.code, EX_OK, run.stderr);
  });

  it('a wrong secret: 75 (the mail server keeps the message), saying so without the secret', async () => {
    const wrong = path.join(secretDir, 'wrong');
    fs.writeFileSync(wrong, 'not-the-secret-but-just-as-long-0123456789');
    const before = await stored();
    const run = await runPipe(['--url', served.url, '--secret-file', wrong], message());
    assert.equal(run.code, EX_TEMPFAIL);
    assert.match(run.stderr, /^support-requests-pipe: the panel refused the secret \(401\)/);
    assert.ok(!run.stderr.includes('not-the-secret') && !run.stderr.includes(SECRET), 'no secret in the log');
    assert.deepEqual(await stored(), before);
  });

  it('a message over maxMessageMb: 65 (bounced as too large), and nothing stored', async () => {
    const before = await stored();
    const run = await runPipe(['--url', served.url, '--secret-file', secretFile], message('x'.repeat(60 * 1024)));
    assert.equal(run.code, EX_DATAERR, run.stderr);
    assert.match(run.stderr, /too large \(413/);
    assert.deepEqual(await stored(), before);
  });

  it('an address with no intake (the plugin’s sign-in answer): 75, naming --url to check', async () => {
    const wrong = served.url.replace('/mail-in', '/mail-inn');
    const run = await runPipe(['--url', wrong, '--secret-file', secretFile], message());
    assert.equal(run.code, EX_TEMPFAIL);
    assert.equal(
      run.stderr,
      `support-requests-pipe: no intake at ${wrong} (401): check --url; the mail server keeps the message and tries again\n`,
    );
  });
});

forEachDatabase('the pipe command against a plugin without inbound mail', (db) => {
  const served = listeningPlugin({}, db);

  it('the intake answers 404 until address and secret are set: 75, naming the settings', async () => {
    const run = await runPipe(['--url', served.url, '--secret-file', secretFile], message());
    assert.equal(run.code, EX_TEMPFAIL);
    assert.match(run.stderr, /the panel takes no mail yet \(404\): set settings\.mail\.inbound\.address and secret/);
  });
});

describe('the pipe command and the intake endpoint, byte for byte', () => {
  let server: http.Server;
  let url: string;
  const received: Array<{ raw: Buffer; options: IntakeOptions | undefined }> = [];
  let answer: () => Promise<IntakeResult> = async () => ({ outcome: 'stored', ticketNumber: '12345678' });
  const logger = memoryLogger();

  before(async () => {
    // The endpoint the plugin mounts, with an intake that records what it is handed.
    const app = express();
    app.post(
      `${MOUNT}/mail-in`,
      ...mailIntakeRoute({
        inbound: {
          address: 'support@panel.example',
          secret: SECRET,
          maxMessageMb: 1,
          mailboxes: [],
          perSenderPerHour: 0,
          requireAuthPassForStaff: false,
          keepHeldDays: 0,
        },
        receiveMail: async (raw, options) => {
          assert.ok(Buffer.isBuffer(raw));
          received.push({ raw, options });
          return answer();
        },
        logger,
        isDatabaseUnavailable: (err) => (err as { code?: string }).code === 'ECONNREFUSED',
      }),
    );
    const listening = await listen(app);
    server = listening.server;
    url = `http://127.0.0.1:${listening.port}${MOUNT}/mail-in`;
  });
  beforeEach(() => {
    received.length = 0;
    logger.lines.length = 0;
    answer = async () => ({ outcome: 'stored', ticketNumber: '12345678' });
  });
  after(() => close(server));

  it('hands the intake the message exactly as it came, marked as the pipe’s', async () => {
    const sent = message();
    const run = await runPipe(['--url', url, '--secret-file', secretFile], sent);
    assert.equal(run.code, EX_OK, run.stderr);
    assert.equal(run.stdout, 'stored #12345678\n');
    assert.equal(received.length, 1);
    assert.ok(received[0]!.raw.equals(sent), 'the same bytes');
    assert.deepEqual(received[0]!.options, { source: 'pipe' });
  });

  it('drops the mbox envelope line Postfix and Exim put first, and nothing else', async () => {
    const sent = message();
    const run = await runPipe(
      ['--url', url, '--secret-file', secretFile],
      Buffer.concat([Buffer.from('From ivan@example.ru  Thu Nov 26 03:54:18 2026\n'), sent]),
    );
    assert.equal(run.code, EX_OK, run.stderr);
    assert.ok(received[0]!.raw.equals(sent));
  });

  it('prints a held message’s reason', async () => {
    answer = async () => ({ outcome: 'held', reason: 'unknownSender' });
    const run = await runPipe(['--url', url, '--secret-file', secretFile], message());
    assert.equal(run.code, EX_OK);
    assert.equal(run.stdout, 'held (unknownSender)\n');
  });

  it('the intake failing (503): 75, and nothing of the failure in the answer', async () => {
    answer = async () => {
      throw Object.assign(new Error('insert into "support_inbound_mail" failed at /srv/panel/var/x.sqlite'), { code: 'ECONNREFUSED' });
    };
    const run = await runPipe(['--url', url, '--secret-file', secretFile], message());
    assert.equal(run.code, EX_TEMPFAIL);
    assert.match(run.stderr, /^support-requests-pipe: the panel cannot take the message now \(503\); the mail server keeps the message/);
    assert.doesNotMatch(run.stderr, /insert|sqlite|\/srv/);
    assert.equal(logger.lines.length, 1);
    assert.match(logger.lines[0] as string, /^error support-requests: POST \/mail-in: database unavailable: insert into/);
  });

  it('the panel down (nothing listens on the port): 75', async () => {
    const port = await closedPort();
    const run = await runPipe(['--url', `http://127.0.0.1:${port}${MOUNT}/mail-in`, '--secret-file', secretFile], message());
    assert.equal(run.code, EX_TEMPFAIL);
    assert.match(run.stderr, new RegExp(`cannot reach the panel at http://127\\.0\\.0\\.1:${port}${MOUNT}/mail-in: ECONNREFUSED`));
  });

  it('the panel not answering within --timeout: 75', async () => {
    const silent = await listen(() => undefined);
    try {
      const run = await runPipe(
        ['--url', `http://127.0.0.1:${silent.port}/mail-in`, '--secret-file', secretFile, '--timeout', '1'],
        message(),
      );
      assert.equal(run.code, EX_TEMPFAIL);
      assert.match(run.stderr, /no answer within 1 s/);
    } finally {
      await close(silent.server);
    }
  });

  it('a redirect is not followed: 75, naming where it points', async () => {
    const moved = await listen((_req, res) => res.writeHead(301, { Location: 'https://panel.example/support/requests/mail-in' }).end());
    try {
      const run = await runPipe(['--url', `http://127.0.0.1:${moved.port}/mail-in`, '--secret-file', secretFile], message());
      assert.equal(run.code, EX_TEMPFAIL);
      assert.match(run.stderr, /redirects \(301\) to https:\/\/panel\.example\/support\/requests\/mail-in: put the final address in --url/);
    } finally {
      await close(moved.server);
    }
  });

  it('a secret file it cannot read: 75 (fixing its permissions lets the retry through)', async () => {
    const run = await runPipe(['--url', url, '--secret-file', path.join(secretDir, 'missing')], message());
    assert.equal(run.code, EX_TEMPFAIL);
    assert.match(run.stderr, /cannot read the secret file .*missing: ENOENT/);
    assert.equal(received.length, 0);
  });

  it('wrong arguments: 64 with the usage, and the panel is not asked', async () => {
    const cases: Array<[string[], Record<string, string>, RegExp]> = [
      [['--secret-file', secretFile], {}, /--url is required/],
      [['--url', url], {}, /no secret: give --secret-file <path> or set SUPPORT_REQUESTS_SECRET/],
      [['--url', 'ftp://panel.example/x', '--secret-file', secretFile], {}, /http:\/\/ or https:\/\//],
      [['--url', 'not a url', '--secret-file', secretFile], {}, /--url is not an address/],
      [['--url', url, '--secret-file', secretFile, '--timeout', 'soon'], {}, /--timeout must be a number of seconds/],
      [['--url', url, '--secret-file', secretFile, '--verbose'], {}, /Unknown option '--verbose'/],
      [['--url', url, '--secret-file', secretFile, 'extra'], {}, /positional argument/],
      [
        ['--url', url, '--secret', 'on-the-command-line-0123456789abcdef'],
        {},
        /--secret is not taken: on the command line every user sees it/,
      ],
    ];
    for (const [args, env, reason] of cases) {
      const run = await runPipe(args, message(), env);
      assert.equal(run.code, EX_USAGE, `${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, reason, args.join(' '));
      assert.match(run.stderr, /Usage: support-requests-pipe --url/);
      assert.ok(!run.stderr.includes('on-the-command-line'), 'a secret given anyway is not repeated');
    }
    assert.equal(received.length, 0);
  });

  it('an empty stdin: 65, and the panel is not asked', async () => {
    const run = await runPipe(['--url', url, '--secret-file', secretFile], '');
    assert.equal(run.code, EX_DATAERR);
    assert.match(run.stderr, /no message on stdin/);
    assert.equal(received.length, 0);
  });

  it('--help prints the usage and exits 0', async () => {
    const run = await runPipe(['--help'], '');
    assert.equal(run.code, EX_OK);
    assert.match(run.stdout, /^Usage: support-requests-pipe/);
  });
});
