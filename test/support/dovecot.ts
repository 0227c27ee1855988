// A real IMAP server for tests: Debian's dovecot (package dovecot-imapd) started with its own
// configuration in a temp folder: users in a passwd-file, Maildir under the folder, plaintext
// login on 127.0.0.1 only, a free unprivileged port, its log in the folder. It runs as the
// current user, or as `nobody` when that is root (dovecot will not run its login processes as
// root); then the folder is handed to that user.
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ImapFlow } from 'imapflow';
import type { MailboxSettings } from '../../src/model/settings';
import { freePort, waitUntil } from './smtp-sink';

const DOVECOT = '/usr/sbin/dovecot';
const PASSWORD = 'imap-test-password';
/** Users in the passwd-file, one per test. */
const USERS = 50;
const userName = (n: number) => `user${n}`;

interface RunAs {
  user: string;
  group: string;
  uid: number;
  gid: number;
}

/** A message as a test sees it in a folder. */
export interface StoredMessage {
  uid: number;
  flags: string[];
  messageId: string;
}

export class Dovecot {
  readonly host = '127.0.0.1';
  private readonly exited: Promise<void>;
  private stderr = '';
  private userCount = 0;

  private constructor(
    private readonly dir: string,
    readonly port: number,
    private readonly instance: string,
    private readonly child: ChildProcess,
  ) {
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    child.stderr?.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
  }

  /** Starts a server and resolves once it greets on its port. */
  static async start(): Promise<Dovecot> {
    if (!fs.existsSync(DOVECOT)) {
      throw new Error(`${DOVECOT} is missing: install Debian's dovecot-imapd (apt-get install dovecot-imapd), as .ci/run does`);
    }
    // A port found free may be taken before dovecot binds it (other test processes): try another.
    for (let attempt = 1; ; attempt++) {
      const server = await Dovecot.launch(await freePort());
      try {
        await server.ready();
        return server;
      } catch (err) {
        await server.stop();
        if (attempt === 3) throw err;
      }
    }
  }

  private static async launch(port: number): Promise<Dovecot> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'support-dovecot-'));
    const runAs = runAsUser();
    const instance = `test-${crypto.randomBytes(4).toString('hex')}`;
    for (const sub of ['run', 'state', 'mail']) fs.mkdirSync(path.join(dir, sub));
    const users = Array.from({ length: USERS }, (_, i) => `${userName(i + 1)}:{PLAIN}${PASSWORD}\n`);
    fs.writeFileSync(path.join(dir, 'users'), users.join(''));
    fs.writeFileSync(path.join(dir, 'dovecot.conf'), config(dir, port, instance, runAs));
    if (process.getuid?.() === 0) {
      for (const entry of [dir, ...fs.readdirSync(dir, { recursive: true }).map((p) => path.join(dir, String(p)))]) {
        fs.chownSync(entry, runAs.uid, runAs.gid);
      }
    }
    const child = spawn(DOVECOT, ['-F', '-c', path.join(dir, 'dovecot.conf')], {
      stdio: ['ignore', 'ignore', 'pipe'],
      ...(process.getuid?.() === 0 ? { uid: runAs.uid, gid: runAs.gid } : {}),
    });
    const server = new Dovecot(dir, port, instance, child);
    // A test process that dies without its after() hook must not leave a server running.
    const killOnExit = () => child.kill('SIGKILL');
    process.once('exit', killOnExit);
    child.once('exit', () => process.off('exit', killOnExit));
    return server;
  }

  private async ready(): Promise<void> {
    let gone = false;
    void this.exited.then(() => (gone = true));
    const greeted = await waitUntil(async () => gone || (await greets(this.host, this.port)), 10_000, 'dovecot to greet').then(
      () => !gone,
      () => false,
    );
    if (!greeted) throw new Error(`dovecot did not start on port ${this.port}: ${this.stderr} ${this.log().slice(-2000)}`);
  }

  /** The server's own log (log_path), for a failed test's message. */
  log(): string {
    const file = path.join(this.dir, 'dovecot.log');
    return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  }

  /**
   * A user of its own, with an empty Maildir. The users are all written at the start: dovecot
   * notices a changed passwd-file by its time stamp, in whole seconds, so a user added later
   * could be refused for up to a second.
   */
  addUser(): string {
    if (this.userCount === USERS) throw new Error(`the test server has ${USERS} users, and all are taken`);
    return userName(++this.userCount);
  }

  /** The reader's settings for a user's mailbox here, with the schema's defaults filled in. */
  mailbox(user: string, extra: Partial<MailboxSettings> = {}): MailboxSettings {
    return {
      name: user,
      host: this.host,
      port: this.port,
      secure: false,
      user,
      password: PASSWORD,
      folder: 'INBOX',
      flag: '\\Seen',
      pollSeconds: 60,
      ...extra,
    };
  }

  /** A logged-in client of the user's; the caller logs out. */
  async connect(user: string): Promise<ImapFlow> {
    const client = new ImapFlow({
      host: this.host,
      port: this.port,
      secure: false,
      auth: { user, pass: PASSWORD },
      logger: false,
      disableAutoIdle: true,
    });
    client.on('error', () => undefined);
    await client.connect();
    return client;
  }

  /** Runs `fn` on a logged-in connection, and logs out. */
  async session<T>(user: string, fn: (client: ImapFlow) => Promise<T>): Promise<T> {
    const client = await this.connect(user);
    try {
      return await fn(client);
    } finally {
      await client.logout().catch(() => client.close());
    }
  }

  /** Puts messages in a folder with IMAP APPEND, in order, on one connection (made when missing); returns their UIDs. */
  append(user: string, folder: string, ...raws: Array<string | Buffer>): Promise<number[]> {
    return this.session(user, async (client) => {
      await client.mailboxCreate(folder);
      const uids: number[] = [];
      for (const raw of raws) {
        const appended = await client.append(folder, raw);
        if (!appended || appended.uid === undefined) throw new Error(`APPEND to ${folder} failed`);
        uids.push(appended.uid);
      }
      return uids;
    });
  }

  /** The messages in a folder with their flags and Message-IDs, in UID order; [] when there is no such folder. */
  messages(user: string, folder: string): Promise<StoredMessage[]> {
    return this.session(user, async (client) => {
      const status = await client.status(folder, { messages: true }).catch(() => false as const);
      if (!status || !status.messages) return [];
      await client.mailboxOpen(folder, { readOnly: true });
      const found = await client.fetchAll('1:*', { uid: true, flags: true, envelope: true });
      return found
        .map((m) => ({ uid: m.uid, flags: [...(m.flags ?? [])], messageId: m.envelope?.messageId ?? '' }))
        .sort((a, b) => a.uid - b.uid);
    });
  }

  /** Whether one of the user's IMAP sessions is in IDLE now (dovecot's process title says so). */
  idling(user: string): boolean {
    const title = `dovecot-${this.instance}/imap [${user} `;
    return fs.readdirSync('/proc').some((pid) => {
      if (!/^\d+$/.test(pid)) return false;
      try {
        const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        return cmdline.startsWith(title) && cmdline.includes(' IDLE]');
      } catch {
        return false; // the process ended meanwhile
      }
    });
  }

  /** Stops the server (and its processes) and removes its folder. */
  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    await this.exited;
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The current user, or nobody when that is root. */
function runAsUser(): RunAs {
  const me = os.userInfo();
  const account = me.uid === 0 ? accountOf('nobody') : { user: me.username, uid: me.uid, gid: me.gid };
  const group = fs
    .readFileSync('/etc/group', 'utf8')
    .split('\n')
    .map((line) => line.split(':'))
    .find((fields) => Number(fields[2]) === account.gid)?.[0];
  if (!group) throw new Error(`no group in /etc/group has gid ${account.gid}, which dovecot needs by name`);
  return { ...account, group };
}

function accountOf(user: string): { user: string; uid: number; gid: number } {
  const fields = fs
    .readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .map((line) => line.split(':'))
    .find((f) => f[0] === user);
  if (!fields) throw new Error(`no user ${user} in /etc/passwd to run dovecot as`);
  return { user, uid: Number(fields[2]), gid: Number(fields[3]) };
}

function config(dir: string, port: number, instance: string, runAs: RunAs): string {
  return `# Written by test/support/dovecot.ts for one test run.
instance_name = ${instance}
base_dir = ${dir}/run
state_dir = ${dir}/state
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
# A wrong password is answered at once, not after the usual 2 s.
auth_failure_delay = 0
log_path = ${dir}/dovecot.log
default_internal_user = ${runAs.user}
default_internal_group = ${runAs.group}
default_login_user = ${runAs.user}
first_valid_uid = ${runAs.uid}
last_valid_uid = ${runAs.uid}
mail_location = maildir:~/Maildir
mail_fsync = never
# The process title names the command in progress: a test awaits "IDLE" there.
verbose_proctitle = yes
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/users
}
userdb {
  driver = static
  args = uid=${runAs.uid} gid=${runAs.gid} home=${dir}/mail/%u
}
protocol imap {
  mail_max_userip_connections = 50
}
# Unprivileged: no chroot.
service anvil {
  chroot =
}
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
`;
}

/** Whether an IMAP greeting ("* OK") comes from the port. */
function greets(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(2000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('data', (chunk: Buffer) => done(chunk.toString().startsWith('* OK')));
  });
}
