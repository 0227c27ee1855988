// A small host for tests: it implements the contract, identifies the user by a test header,
// and keeps sessions per user. Everything else is the real plugin on a real database.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import type { Knex } from 'knex';
import request from 'supertest';
import { activate, HOST_API_VERSION, type ActivatedPlugin, type HostService, type HostUser, type SupportHost } from '../../src';
import { tableNames, type TableNames } from '../../src/store/tables';
import { escapeHtml } from '../../src/web/escape-html';
import { uniquePrefix, type TestDatabase } from './databases';

export const users: Record<string, HostUser> = {
  ivan: { id: 'c-ivan', role: 'client', name: 'Иван Петров', email: 'ivan@example.ru', locale: 'ru' },
  alice: { id: 'c-alice', role: 'client', name: 'Alice Smith', email: 'alice@example.com', locale: 'en', timeZone: 'America/New_York' },
  nolocale: { id: 'c-nolocale', role: 'client', name: 'No Locale', email: 'nl@example.com' },
  tech: { id: 's-tech', role: 'staff', name: 'Tech Sergey', email: 'sergey@panel.example', departments: ['technical'] },
  olga: { id: 's-olga', role: 'staff', name: 'Ольга', email: 'olga@panel.example', locale: 'ru', departments: ['client_relations'] },
  // The on-call engineer of the Emergency department.
  pavel: { id: 's-pavel', role: 'staff', name: 'Дежурный Павел', email: 'pavel@panel.example', locale: 'ru', departments: ['emergency'] },
  // Staff the host gives no departments for: the plugin's membership table decides.
  max: { id: 's-max', role: 'staff', name: 'Max Member', email: 'max@panel.example', locale: 'en' },
  admin: { id: 'a-root', role: 'admin', name: 'Admin', email: 'admin@panel.example', locale: 'en' },
};

const services: Record<string, HostService[]> = {
  'c-ivan': [
    { id: 'svc-101', label: 'VPS Cloud-2 (Москва)', status: 'active', kind: 'vps' },
    { id: 'svc-102', label: 'petrov-shop.ru', status: 'active', kind: 'domain' },
  ],
  'c-alice': [{ id: 'svc-201', label: 'VPS Cloud-4 (Amsterdam)', status: 'active', kind: 'vps' }],
};

export interface TestPlugin {
  app: express.Express;
  knex: Knex;
  plugin: ActivatedPlugin;
  tables: TableNames;
  prefix: string;
  dataDir: string;
  storageDir: string;
  /** A supertest request builder acting as the given test user ("" for anonymous). */
  as(userKey: string): TestAgent;
  close(): Promise<void>;
}

export interface TestAgent {
  get(url: string): request.Test;
  post(url: string): request.Test;
  /** The user's CSRF token, read from a page with a form (the create form by default) as a browser would. */
  csrf(page?: string): Promise<string>;
}

export interface StartOptions {
  /**
   * Another instance of the same host: same database and tables, same data folder. On a server
   * database it has its own connection pool, as a second process would; closing it leaves the
   * tables and files to the first instance.
   */
  instanceOf?: TestPlugin;
  /** Receives the plugin's log lines. */
  log?: string[];
  /** The host's own mail transport, handed to the plugin through the contract. */
  hostMail?: SupportHost['mail'];
  /**
   * The table prefix and data folder an earlier process used (a restart after a crash): the
   * plugin starts on what it left. Closing still removes both, as for a new plugin.
   */
  at?: { prefix: string; dataDir: string };
  /** The plugin's clock (activate's `now`), e.g. a TestClock the test moves forward. */
  now?: () => number;
  /** The host's publicBaseUrl (the contract member; settings.publicBaseUrl is a setting). */
  hostPublicBaseUrl?: string;
  /** The host gives findUserByEmail (contract 1.2) over the test users. */
  findUserByEmail?: boolean;
  /** The host gives staffOf (contract 1.3) over the test users' departments. */
  staffOf?: boolean;
}

/** Real time plus an offset a test can move forward, so timed rules run without sleeping. */
export class TestClock {
  private offsetMs = 0;
  readonly now = (): number => Date.now() + this.offsetMs;
  advance(ms: number): void {
    this.offsetMs += ms;
  }
}

export async function startPlugin(
  db: TestDatabase,
  settings: Record<string, unknown> = {},
  options: StartOptions = {},
): Promise<TestPlugin> {
  const first = options.instanceOf;
  const connection = first && db.name === 'sqlite' ? { knex: first.knex, release: async () => {} } : db.connect();
  const { knex } = connection;
  const dataDir = first?.dataDir ?? options.at?.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'support-data-'));
  const sessions = new Map<string, Map<string, string>>();
  const prefix = first?.prefix ?? options.at?.prefix ?? uniquePrefix();
  const log = options.log;
  const host: SupportHost = {
    apiVersion: HOST_API_VERSION,
    knex,
    dataDir,
    currentUser: (req) => users[req.get('x-test-user') ?? ''] ?? null,
    servicesOf: async (customerId) => services[customerId] ?? [],
    session(req) {
      const key = req.get('x-test-user') ?? '';
      if (!sessions.has(key)) sessions.set(key, new Map());
      const state = sessions.get(key) as Map<string, string>;
      return { get: (k) => state.get(k), set: (k, v) => (v === undefined ? state.delete(k) : state.set(k, v)) };
    },
    render(_req, res, page) {
      res
        .status(page.status ?? 200)
        .type('html')
        .send(`<!doctype html><title>${escapeHtml(page.title)}</title><main>${page.html}</main>`);
    },
    ...(options.hostMail ? { mail: options.hostMail } : {}),
    ...(options.hostPublicBaseUrl ? { publicBaseUrl: options.hostPublicBaseUrl } : {}),
    ...(options.staffOf
      ? { staffOf: async (code: string) => Object.values(users).filter((u) => u.role === 'staff' && u.departments?.includes(code)) }
      : {}),
    ...(options.findUserByEmail
      ? { findUserByEmail: async (email: string) => Object.values(users).find((u) => u.email === email.toLowerCase()) ?? null }
      : {}),
    logger: {
      info: (m) => log?.push(`info ${m}`),
      warn: (m) => log?.push(`warn ${m}`),
      error: (m) => log?.push(`error ${m}`),
    },
  };
  const plugin = await activate(host, { tablePrefix: prefix, ...settings }, options.now ? { now: options.now } : {});
  await plugin.migrate();
  const app = express();
  app.use(plugin.mountPath, plugin.router);
  const base = plugin.mountPath;

  const as = (userKey: string): TestAgent => {
    const agent = {
      get: (url: string) =>
        request(app)
          .get(base + url)
          .set('x-test-user', userKey),
      post: (url: string) =>
        request(app)
          .post(base + url)
          .set('x-test-user', userKey),
      async csrf(url = '/new') {
        const page = await agent.get(url);
        const match = /_csrf=([^"&]+)/.exec(page.text);
        if (!match) throw new Error(`no CSRF token on the form (status ${page.status})`);
        return decodeURIComponent(match[1] as string);
      },
    };
    return agent;
  };

  return {
    app,
    knex,
    plugin,
    tables: tableNames(prefix),
    prefix,
    dataDir,
    storageDir: path.join(dataDir, 'support-requests'),
    as,
    async close() {
      await plugin.close();
      if (first) return connection.release();
      await plugin.rollback();
      await connection.release();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Every file under a folder (attachments live two levels down). */
export function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}
