// `npm start`: the demo billing panel with the plugin installed, on http://127.0.0.1:PORT/, and
// its e-mail in the Mailbox page (or sent through SMTP_HOST when that is set); mail to the panel
// comes in through the demo's MX on MX_PORT. The demo signs
// anyone in as anyone, admin included, without a password, so it listens on this computer only
// unless HOST says otherwise.
import http from 'node:http';
import path from 'node:path';
import { createDemoApp } from './app';
import { demoMailFromEnv, demoMxPortFromEnv } from './mail-config';
import { INBOUND_SECRET_FILE } from './inbound-secret';
import { MAILBOX_PATH } from './mailbox-routes';
import { DemoStartError } from './start-error';

const DEFAULT_HOST = '127.0.0.1';

function portFrom(value: string | undefined): number {
  const port = Number(value ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, not "${value}"`);
  return port;
}

/** The address to print: a wildcard host is reached as localhost; an IPv6 literal takes brackets. */
function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

async function main(): Promise<void> {
  const port = portFrom(process.env.PORT || undefined);
  const host = process.env.HOST || DEFAULT_HOST;
  const dataDir = path.resolve(process.env.DATA_DIR || './var');
  const mail = demoMailFromEnv(process.env);
  const mx = { port: demoMxPortFromEnv(process.env) };
  const demo = await createDemoApp({ databaseUrl: process.env.DATABASE_URL || undefined, dataDir, port, mail, mx });
  const server = http.createServer(demo.app);

  let stopping = false;
  const stop = async (reason: string, code: number): Promise<void> => {
    if (stopping) return;
    stopping = true;
    console.log(`${reason}: stopping the billing panel demo`);
    // Let requests in flight finish; drop idle keep-alive connections, and any left after 5 s.
    const force = setTimeout(() => server.closeAllConnections(), 5000).unref();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });
    clearTimeout(force);
    await demo.close();
    process.exitCode = code;
  };
  process.once('SIGINT', () => void stop('SIGINT', 0));
  process.once('SIGTERM', () => void stop('SIGTERM', 0));

  server.on('error', (err) => {
    console.error(`Billing panel demo: cannot listen on ${urlHost(host)}:${port} (HOST, PORT): ${err.message}`);
    void stop('error', 1);
  });
  server.listen(port, host, () => {
    const address = server.address();
    const actual = typeof address === 'object' && address ? address.port : port;
    const base = `http://${urlHost(host)}:${actual}`;
    console.log(`Billing panel demo: ${base}/`);
    if (isLoopback(host)) {
      console.log(`Listening on ${host} only: other computers cannot reach it (HOST=0.0.0.0 opens it to the network)`);
    } else {
      console.warn(`Listening on ${host} (HOST): anyone who can reach it can sign in as admin without a password`);
    }
    if (demo.catcher) {
      console.log(`Mailbox (e-mail the panel sent): ${base}${MAILBOX_PATH} (SMTP catcher on 127.0.0.1:${demo.catcher.port})`);
    } else if ('smtp' in mail) {
      console.log(`E-mail goes out through ${mail.smtp.host}${mail.smtp.port ? `:${mail.smtp.port}` : ''} (SMTP_HOST); no Mailbox page`);
    }
    if (demo.mx) {
      const pipe = path.relative(process.cwd(), path.resolve(__dirname, '..', 'src', 'bin', 'pipe.js'));
      const secretFile = path.relative(process.cwd(), path.join(dataDir, INBOUND_SECRET_FILE));
      console.log(`MX (e-mail to the panel, e.g. ${demo.inboundAddress}): SMTP on 127.0.0.1:${demo.mx.port} (MX_PORT)`);
      console.log(`Pipe command: node ${pipe} --url ${base}${demo.plugin.mountPath}/mail-in --secret-file ${secretFile} < message.eml`);
    }
  });
}

main().catch((err: unknown) => {
  // A setting the user can fix is one line; anything else is a bug and keeps its stack.
  console.error(err instanceof DemoStartError ? `Billing panel demo: ${err.message}` : ((err as Error)?.stack ?? String(err)));
  process.exitCode = 1;
});
