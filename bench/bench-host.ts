// A minimal host for the benches: cookie sessions kept in memory, a sign-in route per known
// user, the plugin's pages in a bare layout, and mail through the host's transport the bench
// gives (by default nodemailer's jsonTransport: the outbox and dispatcher run, nothing leaves
// the process), or through the plugin's own SMTP settings when the bench gives no transport.
import crypto from 'node:crypto';
import express, { type RequestHandler } from 'express';
import type { Knex } from 'knex';
import nodemailer from 'nodemailer';
import { activate, HOST_API_VERSION, type ActivatedPlugin, type HostService, type HostUser, type SupportHost } from '../src';
import type { HttpClient } from './http-client';

/** Someone who can sign in to the bench host: POST /login/<key>. */
export interface BenchUser {
  key: string;
  user: HostUser;
  services: HostService[];
}

/** An admin of the panel: every page of the plugin is theirs. */
export const ADMIN: BenchUser = {
  key: 'admin',
  user: { id: 's-admin', role: 'admin', name: 'Admin', email: 'admin@bench.example', locale: 'en' },
  services: [],
};

export interface BenchHost {
  app: express.Express;
  plugin: ActivatedPlugin;
  errorsLogged: string[];
}

interface Session {
  user: HostUser;
  state: Map<string, string>;
}

const SESSION_COOKIE = 'bench_sid';

function cookie(req: express.Request, name: string): string | undefined {
  for (const part of (req.get('cookie') ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

export interface BenchHostOptions {
  knex: Knex;
  tablePrefix: string;
  dataDir: string;
  users: BenchUser[];
  /** The plugin's settings besides the table prefix. */
  settings?: Record<string, unknown>;
  /** Runs in front of every route (the statement counter). */
  before?: RequestHandler;
  /** The host's own mail transport; null: none, the plugin's settings decide. Default: jsonTransport. */
  hostMail?: SupportHost['mail'] | null;
  /** The host gives findUserByEmail (contract 1.2) over its users. */
  findUserByEmail?: boolean;
}

/** Activates the plugin in the bench host; migrations are the caller's (so a failed one is still rolled back). */
export async function startHost({
  knex,
  tablePrefix,
  dataDir,
  users,
  settings = {},
  before,
  hostMail,
  findUserByEmail,
}: BenchHostOptions): Promise<BenchHost> {
  const sessions = new Map<string, Session>();
  const sessionOf = (req: express.Request): Session | undefined => {
    const sid = cookie(req, SESSION_COOKIE);
    return sid === undefined ? undefined : sessions.get(sid);
  };
  const errorsLogged: string[] = [];
  const host: SupportHost = {
    apiVersion: HOST_API_VERSION,
    knex,
    dataDir,
    currentUser: (req) => sessionOf(req)?.user ?? null,
    servicesOf: async (customerId) => users.find((u) => u.user.id === customerId)?.services ?? [],
    session(req) {
      const state = sessionOf(req)?.state ?? new Map<string, string>();
      return { get: (k) => state.get(k), set: (k, v) => void (v === undefined ? state.delete(k) : state.set(k, v)) };
    },
    render(_req, res, page) {
      res
        .status(page.status ?? 200)
        .type('html')
        .send(`<!doctype html><title>${page.title}</title><main>${page.html}</main>`);
    },
    ...(hostMail === null
      ? {}
      : { mail: hostMail ?? { transport: nodemailer.createTransport({ jsonTransport: true }), from: 'support@bench.example' } }),
    logger: { info: () => {}, warn: () => {}, error: (m) => void errorsLogged.push(m) },
    ...(findUserByEmail ? { findUserByEmail: async (email: string) => users.find((u) => u.user.email === email)?.user ?? null } : {}),
  };
  const plugin = await activate(host, { tablePrefix, ...settings });

  const app = express();
  app.disable('x-powered-by');
  if (before) app.use(before);
  app.post('/login/:key', (req, res) => {
    const known = users.find((u) => u.key === req.params.key);
    if (!known) return void res.sendStatus(404);
    const sid = crypto.randomBytes(16).toString('hex');
    sessions.set(sid, { user: known.user, state: new Map() });
    res.set('Set-Cookie', `${SESSION_COOKIE}=${sid}; Path=/; HttpOnly; SameSite=Lax`).sendStatus(204);
  });
  app.use(plugin.mountPath, plugin.router);
  return { app, plugin, errorsLogged };
}

/** Signs a user in to the host at `base`; returns the session cookie to send back. */
export async function signIn(client: HttpClient, base: string, key: string): Promise<string> {
  const login = await client.send(`${base}/login/${key}`, 'POST', {});
  const setCookie = login.headers['set-cookie']?.[0];
  if (login.status !== 204 || !setCookie) throw new Error(`sign-in of ${key} answered ${login.status}`);
  return setCookie.split(';')[0] as string;
}
