// Wires the demo billing panel: database, sessions, the host's pages and layout, and the
// support-requests plugin installed from this package the way a real panel would.
import fs from 'node:fs';
import path from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';
import knexFactory, { type Knex } from 'knex';
import type { ActivatedPlugin, HostLogger, IntakeResult, SupportHost } from 'support-requests';
import { hostUserByEmail, servicesOf, staffOfDepartment } from './accounts';
import { seedCannedReplies } from './canned-replies';
import { defaultDatabaseUrl, knexConfig, prepareDatabase } from './database';
import { strings } from './i18n';
import { Identity } from './identity';
import { installPlugin, PANEL_HOST_API_VERSION } from './install-plugin';
import { Layout, Views } from './layout';
import { inboundSecret } from './inbound-secret';
import { MailCatcher } from './mail-catcher';
import { replierLookup } from './mail-reply';
import { DemoMx } from './mx';
import { DemoStartError } from './start-error';
import type { DemoMail, SmtpSettings } from './mail-config';
import { MAILBOX_PATH, mailboxRoutes } from './mailbox-routes';
import { PanelMenu } from './menu';
import { hostRoutes } from './routes';
import { PanelSessions } from './sessions';

/** The plugin's package folder: the repository root (this file runs from dist/demo). */
export const PLUGIN_FOLDER = path.resolve(__dirname, '..', '..');

export interface DemoOptions {
  /** SQLite path, postgres://, mysql:// or mariadb://; default <dataDir>/panel.sqlite. */
  databaseUrl?: string;
  dataDir: string;
  /** Only for publicBaseUrl; main.ts listens. Default 3000. */
  port?: number;
  /** Merged over the demo's plugin settings. */
  pluginSettings?: object;
  /**
   * Where the plugin's e-mail goes (see mail-config.ts); sets the plugin's `mail.smtp`. Unset:
   * nothing here touches the mail settings, so without SMTP in `pluginSettings` e-mail stays queued.
   */
  mail?: DemoMail;
  /** Where the panel's and the plugin's log lines go; the console by default. */
  logger?: HostLogger;
  /** Start the demo's MX (mail to the panel, handed to plugin.receiveMail) on this port (0: any free one). */
  mx?: { port: number };
  /** The plugin's clock, for browser tests that move time (test/browser/harness.ts); real time by default. */
  now?: () => number;
}

export interface DemoApp {
  app: express.Express;
  knex: Knex;
  plugin: ActivatedPlugin;
  /** The SMTP catcher behind the Mailbox page, when the demo runs one. */
  catcher: MailCatcher | null;
  /** The MX taking mail to the panel, when the demo runs one. */
  mx: DemoMx | null;
  /** The support address mail to the panel goes to (settings.mail.inbound.address). */
  inboundAddress: string;
  close(): Promise<void>;
}

const consoleLogger: HostLogger = {
  info: (m) => console.log(m),
  warn: (m) => console.warn(m),
  error: (m) => console.error(m),
};

/** Each department's address in the demo: its e-mail arrives in the Mailbox, and its replies are signed with its name. */
const DEPARTMENT_EMAILS: Record<string, string> = {
  client_relations: 'clients@panel.example',
  technical: 'tech@panel.example',
  emergency: 'emergency@panel.example',
};
/** Emergency escalation: nobody took an emergency in 10 minutes, the second line; in 20, the admins. */
const DEMO_ESCALATION = [
  { afterMinutes: 10, to: ['second-line@panel.example'] },
  { afterMinutes: 20, to: 'admins' },
];
/** How soon each department usually answers, in minutes, as the form and the confirmation say. */
const RESPONSE_MINUTES: Record<string, number> = { client_relations: 480, technical: 120, emergency: 30 };

function demoPluginSettings(publicBaseUrl: string, inbound: { address: string; secret: string }): Record<string, unknown> {
  return {
    publicBaseUrl,
    // The demo provider's own clock; a user the panel gives a zone of their own sees theirs.
    timeZone: 'Europe/Moscow',
    departments: Object.fromEntries(
      Object.entries(DEPARTMENT_EMAILS).map(([code, address]) => [
        code,
        { emails: [address], responseMinutes: RESPONSE_MINUTES[code], ...(code === 'emergency' ? { escalation: DEMO_ESCALATION } : {}) },
      ]),
    ),
    // Whom the Emergency chain's last step pages; its e-mails arrive in the Mailbox too.
    escalation: { adminEmails: ['admins@panel.example'] },
    // Mail in works out of the box: the MX and the pipe command both reach the intake.
    mail: { inbound },
    contacts: { communityUrl: 'https://vk.com/example_hosting', chatUrl: 'https://example-hosting.ru/chat' },
  };
}

const DEMO_FROM = { address: 'support@panel.example', name: 'Billing panel support (demo)' };

/** The plugin's mail settings: the chosen SMTP server over whatever pluginSettings said about mail. */
function mailSettings(given: unknown, smtp: SmtpSettings, fromAddress: string | undefined): Record<string, unknown> {
  const own = given && typeof given === 'object' ? (given as Record<string, unknown>) : {};
  return { from: { ...DEMO_FROM, ...(fromAddress ? { address: fromAddress } : {}) }, ...own, smtp };
}

/** The MX; like the catcher's, a port it cannot take is the user's setting (MX_PORT) to change. */
async function startMx(port: number, receive: (raw: Buffer) => Promise<IntakeResult>, logger: HostLogger): Promise<DemoMx> {
  try {
    return await DemoMx.start({ port, receive, logger });
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'EADDRINUSE' ? 'the port is in use' : (err as Error).message;
    throw new DemoStartError(`cannot start the MX on 127.0.0.1:${port} (MX_PORT): ${reason}; set MX_PORT to a free port, or 0 for any`);
  }
}

/** The 4xx status of an error the request caused (a broken %-escape in a path, a bad body), or null. */
function clientStatusOf(err: unknown): number | null {
  const status = (err as { status?: unknown } | null)?.status;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : null;
}

/** The Mailbox's SMTP catcher; a port it cannot take is the user's SMTP_PORT setting to change. */
async function startCatcher(port: number, logger: HostLogger): Promise<MailCatcher> {
  try {
    return await MailCatcher.start({ port, logger });
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'EADDRINUSE' ? 'the port is in use' : (err as Error).message;
    throw new DemoStartError(
      `cannot start the mail catcher on 127.0.0.1:${port} (SMTP_PORT): ${reason}; set SMTP_PORT to a free port, or 0 for any`,
    );
  }
}

export async function createDemoApp(options: DemoOptions): Promise<DemoApp> {
  const dataDir = path.resolve(options.dataDir);
  fs.mkdirSync(dataDir, { recursive: true });
  const knex = knexFactory(knexConfig(options.databaseUrl ?? defaultDatabaseUrl(dataDir)));
  const sessions = new PanelSessions();
  const logger = options.logger ?? consoleLogger;
  let catcher: MailCatcher | null = null;
  let mx: DemoMx | null = null;
  // Set once installed; the MX, listening before, tells senders to try again until then.
  let installed: ActivatedPlugin | null = null;
  try {
    await prepareDatabase(knex);
    let smtp: SmtpSettings | null = null;
    if (options.mail && 'catcherPort' in options.mail) {
      catcher = await startCatcher(options.mail.catcherPort, logger);
      smtp = { host: '127.0.0.1', port: catcher.port, secure: false };
    } else if (options.mail) {
      smtp = options.mail.smtp;
    }
    if (options.mx) {
      mx = await startMx(
        options.mx.port,
        async (raw) => {
          if (!installed) throw new Error('the plugin is not installed yet');
          return installed.receiveMail(raw, { source: 'smtp' });
        },
        logger,
      );
    }
    const fromAddress = options.mail && 'from' in options.mail && options.mail.from ? options.mail.from : DEMO_FROM.address;
    const inboundAddress = `support@${fromAddress.split('@')[1] ?? 'panel.example'}`;

    const identity = new Identity(knex, sessions);
    const menu = new PanelMenu();
    const layout = new Layout({ views: new Views(), menu, identity, sessions });
    menu.add([
      {
        section: { ru: 'Биллинг', en: 'Billing' },
        label: { ru: 'Услуги', en: 'Services' },
        path: '/services',
        order: 0,
        roles: ['client', 'staff', 'admin'],
      },
    ]);

    const publicBaseUrl = `http://localhost:${options.port ?? 3000}`;
    const host: SupportHost = {
      apiVersion: PANEL_HOST_API_VERSION,
      knex,
      currentUser: (req) => identity.currentUser(req),
      servicesOf: (customerId) => servicesOf(knex, customerId),
      findUserByEmail: (email) => hostUserByEmail(knex, email),
      staffOf: (code) => staffOfDepartment(knex, code),
      session: (req) => sessions.state(req),
      render: (req, res, page) => layout.render(req, res, page),
      publicBaseUrl,
      dataDir,
      logger,
    };

    const app = express();
    app.disable('x-powered-by');
    app.use((_req, res, next) => {
      res.set({ 'X-Content-Type-Options': 'nosniff', 'X-Frame-Options': 'DENY' });
      next();
    });
    app.use(sessions.middleware());
    app.use(identity.middleware());
    app.use(identity.requireSignIn());
    app.use(hostRoutes({ knex, identity, sessions, layout }));

    const settings: Record<string, unknown> = {
      ...demoPluginSettings(publicBaseUrl, { address: inboundAddress, secret: inboundSecret(dataDir) }),
      ...options.pluginSettings,
    };
    if (smtp) settings.mail = mailSettings(settings.mail, smtp, options.mail && 'from' in options.mail ? options.mail.from : undefined);
    const { plugin } = await installPlugin({
      folder: PLUGIN_FOLDER,
      host,
      settings,
      app,
      menu,
      ...(options.now ? { now: options.now } : {}),
    });
    installed = plugin;
    await seedCannedReplies(knex, typeof settings.tablePrefix === 'string' ? settings.tablePrefix : 'support_');
    // The Mailbox after the plugin: its Reply confirmation links the request a reply landed in.
    if (catcher) {
      const reply = mx ? { mxPort: mx.port, requestsPath: plugin.mountPath, replier: replierLookup(knex, DEPARTMENT_EMAILS) } : undefined;
      app.use(MAILBOX_PATH, mailboxRoutes({ catcher, identity, layout, sessions, ...(reply ? { reply } : {}) }));
      menu.add([
        {
          section: { ru: strings.ru.demoSection, en: strings.en.demoSection },
          label: { ru: strings.ru.mailbox.menu, en: strings.en.mailbox.menu },
          path: MAILBOX_PATH,
          order: 100,
          roles: ['client', 'staff', 'admin'],
        },
      ]);
    }

    app.use((req, res) => layout.message(req, res, 404, 'notFound'));
    // Four parameters: express knows an error handler by its arity.
    app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
      // The path only: a form's query string carries its CSRF token.
      const where = `${req.method} ${req.originalUrl.split('?')[0]}`;
      const status = clientStatusOf(err);
      if (status !== null) logger.warn(`panel: ${where} answered ${status}: ${(err as Error).message.slice(0, 120)}`);
      else logger.error(`panel: ${where} failed: ${(err as Error)?.stack ?? String(err)}`);
      if (res.headersSent) return void res.destroy();
      try {
        if (status === 404) layout.message(req, res, 404, 'notFound');
        else if (status !== null) layout.message(req, res, status, 'unreadable');
        else layout.message(req, res, 500, 'server');
      } catch {
        res
          .status(status ?? 500)
          .type('text')
          .send(`Error ${status ?? 500}`);
      }
    });

    return {
      app,
      knex,
      plugin,
      catcher,
      mx,
      inboundAddress,
      async close() {
        try {
          // No new mail in first; then the plugin finishes the sends in flight and closes its SMTP pool.
          await mx?.close();
          await plugin.close();
        } finally {
          sessions.close();
          await catcher?.close();
          await knex.destroy();
        }
      },
    };
  } catch (err) {
    await mx?.close();
    await catcher?.close();
    await knex.destroy();
    throw err;
  }
}
