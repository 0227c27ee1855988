// `npm start` as a new user meets it: the real demo entry in a child process. It listens on this
// computer only unless HOST opens it (it signs anyone in as admin without a password), says so
// when it starts, and a busy port is one line naming the variable to change, not a stack trace.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const MAIN = path.resolve(__dirname, '..', '..', 'demo', 'main.js');

/** An address of this computer other than 127.0.0.1: a network interface, else 127.0.0.2 (loopback on Linux, but not 127.0.0.1). */
function otherAddress(): string {
  const external = Object.values(os.networkInterfaces())
    .flat()
    .find((i) => i && i.family === 'IPv4' && !i.internal);
  return external?.address ?? '127.0.0.2';
}

interface Demo {
  child: ChildProcess;
  output: () => string;
  errors: () => string;
  exited: Promise<number | null>;
}

function startDemo(env: Record<string, string>, dataDir: string): Demo {
  const child = spawn(process.execPath, [MAIN], {
    env: { ...process.env, PORT: '0', SMTP_PORT: '0', MX_PORT: '0', DATA_DIR: dataDir, DATABASE_URL: '', SMTP_HOST: '', HOST: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => out, errors: () => err, exited };
}

/**
 * Waits for the start message, through its "Listening on" line (a separate write, which may
 * arrive in a later chunk); returns the URL it printed.
 */
async function started(demo: Demo, ms = 20_000): Promise<URL> {
  const until = Date.now() + ms;
  for (;;) {
    const url = /^Billing panel demo: (http:\/\/\S+\/)$/m.exec(demo.output())?.[1];
    if (url && /^Listening on /m.test(demo.output() + demo.errors())) return new URL(url);
    if (demo.child.exitCode !== null || Date.now() > until) throw new Error(`the demo did not start: ${demo.output()} ${demo.errors()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function stop(demo: Demo): Promise<void> {
  if (demo.child.exitCode === null) demo.child.kill('SIGTERM');
  await demo.exited;
}

/** Whether a TCP connection to host:port is accepted. */
function reachable(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: 3000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/** A port held by another program for the test's length. */
async function busyPort(): Promise<net.Server> {
  const holder = net.createServer();
  await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', () => resolve()));
  return holder;
}

const portOf = (server: net.Server) => (server.address() as net.AddressInfo).port;

describe('starting the demo (npm start)', function () {
  this.timeout(60_000);
  let dataDir: string;
  let demo: Demo | null;

  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'demo-start-'));
    demo = null;
  });
  afterEach(async () => {
    if (demo) await stop(demo);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('listens on 127.0.0.1 only by default and says so', async () => {
    demo = startDemo({}, dataDir);
    const url = await started(demo);
    assert.equal(url.hostname, '127.0.0.1');
    const port = Number(url.port);
    assert.match(
      demo.output(),
      /^Listening on 127\.0\.0\.1 only: other computers cannot reach it \(HOST=0\.0\.0\.0 opens it to the network\)$/m,
    );
    assert.equal(await reachable('127.0.0.1', port), true);
    assert.equal(await reachable(otherAddress(), port), false, `reachable on ${otherAddress()}`);
    assert.equal((await fetch(new URL('/login', url))).status, 200);
  });

  it('runs its MX on 127.0.0.1, names it, and prints a pipe command that works against the demo', async () => {
    demo = startDemo({}, dataDir);
    const url = await started(demo);
    // Printed after the "Listening on" line, maybe in a later chunk.
    for (const until = Date.now() + 5000; !/^Pipe command: .*\n/m.test(demo.output()) && Date.now() < until;) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const mxPort = Number(
      /^MX \(e-mail to the panel, e\.g\. support@panel\.example\): SMTP on 127\.0\.0\.1:(\d+) \(MX_PORT\)$/m.exec(demo.output())?.[1],
    );
    assert.ok(mxPort > 0, demo.output());
    assert.equal(await reachable('127.0.0.1', mxPort), true);
    assert.equal(await reachable(otherAddress(), mxPort), false);
    const pipe = /^Pipe command: node (\S+) --url (\S+) --secret-file (\S+) < message\.eml$/m.exec(demo.output());
    assert.ok(pipe, demo.output());
    assert.equal(pipe[2], new URL('/support/requests/mail-in', url).toString());
    assert.equal(path.resolve(pipe[3] as string), path.join(dataDir, 'mail-in.secret'));
    const secret = fs.readFileSync(path.join(dataDir, 'mail-in.secret'), 'utf8').trim();
    const res = await fetch(pipe[2] as string, {
      method: 'POST',
      headers: { Authorization: `Bearer ${secret}`, 'Content-Type': 'message/rfc822' },
      body: 'From: ivan@example.ru\r\nSubject: pipe\r\n\r\nHello\r\n',
    });
    assert.equal(res.status, 200);
    assert.ok(fs.existsSync(path.resolve(pipe[1] as string)), 'the printed command exists');
  });

  it('opens to the network with HOST=0.0.0.0, with a warning', async () => {
    demo = startDemo({ HOST: '0.0.0.0' }, dataDir);
    const url = await started(demo);
    const port = Number(url.port);
    assert.equal(await reachable(otherAddress(), port), true);
    assert.match(demo.errors(), /^Listening on 0\.0\.0\.0 \(HOST\): anyone who can reach it can sign in as admin without a password$/m);
  });

  it('names SMTP_PORT in one line when the catcher’s port is taken, and exits', async () => {
    const holder = await busyPort();
    try {
      demo = startDemo({ SMTP_PORT: String(portOf(holder)) }, dataDir);
      assert.equal(await demo.exited, 1);
      assert.equal(
        demo.errors(),
        `Billing panel demo: cannot start the mail catcher on 127.0.0.1:${portOf(holder)} (SMTP_PORT): the port is in use; set SMTP_PORT to a free port, or 0 for any\n`,
      );
    } finally {
      holder.close();
    }
  });

  it('names MX_PORT in one line when the MX’s port is taken, and exits', async () => {
    const holder = await busyPort();
    try {
      demo = startDemo({ MX_PORT: String(portOf(holder)) }, dataDir);
      assert.equal(await demo.exited, 1);
      assert.equal(
        demo.errors(),
        `Billing panel demo: cannot start the MX on 127.0.0.1:${portOf(holder)} (MX_PORT): the port is in use; set MX_PORT to a free port, or 0 for any\n`,
      );
    } finally {
      holder.close();
    }
  });

  it('names PORT in one line when the panel’s port is taken, and exits', async () => {
    const holder = await busyPort();
    try {
      demo = startDemo({ PORT: String(portOf(holder)) }, dataDir);
      assert.equal(await demo.exited, 1);
      const lines = demo.errors().trimEnd().split('\n');
      assert.equal(lines.length, 1, demo.errors());
      assert.match(
        lines[0] as string,
        new RegExp(`^Billing panel demo: cannot listen on 127\\.0\\.0\\.1:${portOf(holder)} \\(HOST, PORT\\): listen EADDRINUSE`),
      );
    } finally {
      holder.close();
    }
  });
});
