// The host contract: everything the plugin takes from the billing panel it is installed in.
// This is the only file that names host things; the rest of the plugin sees the host through
// these types alone, so any panel that can fill them in can run the plugin. Nothing else is
// assumed: the plugin reads no environment variable (not even NODE_ENV: its views are package
// files, compiled once), and keeps its per-request state to itself (nothing in res.locals).
import type { Request, Response, Router } from 'express';
import type { Knex } from 'knex';
import type { Transporter } from 'nodemailer';
import type { ReceiveMail } from './model/inbound';

/** Version of this contract. A host declares the version it implements; plugin.json declares the range it accepts. */
export const HOST_API_VERSION = '1.3.0';

export type Locale = 'ru' | 'en';
export type UserRole = 'client' | 'staff' | 'admin';

/** The signed-in user of a request, as the host knows them. */
export interface HostUser {
  /** Stable id in the host's own user table; stored with tickets as text. */
  id: string;
  role: UserRole;
  name: string;
  email: string;
  /** The user's chosen interface language, when the host has one. */
  locale?: string;
  /**
   * Since 1.3: the user's time zone (IANA name, e.g. "Europe/Moscow"), when the host has one. Pages
   * show times in it, and a customer's e-mails do; settings.timeZone stands in without it.
   */
  timeZone?: string;
  /**
   * For staff: codes of the departments they belong to (see plugin.json settings.departments).
   * Leave it out when the host does not know: the staff list on the plugin's Departments page decides then.
   */
  departments?: string[];
}

/** One of a customer's services (a VPS, a domain, a hosting plan...), offered in the "Service" field. */
export interface HostService {
  id: string;
  label: string;
  /** The host's own status word, shown as is (active, suspended, ...). */
  status: string;
  /** Optional kind (vps, domain, hosting...), used for filtering in staff queues. */
  kind?: string;
}

/** A page the plugin has rendered, to be shown inside the host's layout. */
export interface PluginPage {
  /**
   * Already localized page title, as plain text: the host escapes it (a request's page is titled
   * with its subject, which the customer typed). Panels show it as the page's heading.
   */
  title: string;
  /** The page's HTML; everything user-supplied in it is escaped by the plugin. */
  html: string;
  /** HTTP status to answer with (200 unless said). */
  status?: number;
}

/** An entry the host puts in its left menu. Labels are given in every locale the plugin supports. */
export interface MenuEntry {
  section: Record<Locale, string>;
  label: Record<Locale, string>;
  /** Absolute path inside the host, e.g. "/support/requests". */
  path: string;
  order: number;
  roles: UserRole[];
}

/** A key/value store bound to the signed-in browser session (used for the CSRF token). */
export interface SessionState {
  get(key: string): string | undefined;
  set(key: string, value: string | undefined): void;
}

export interface HostLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** What a host hands to activate(). */
export interface SupportHost {
  /** Version of this contract the host implements (semver). */
  apiVersion: string;
  /** The host's database client; the plugin keeps its tables under its own prefix and migrations table. */
  knex: Knex;
  /** Who is signed in for this request, or null for an anonymous visitor. */
  currentUser(req: Request): HostUser | null | Promise<HostUser | null>;
  /** The customer's services, for the "Service" field and its validation. */
  servicesOf(customerId: string): Promise<HostService[]>;
  /** Per-session storage for the signed-in browser. */
  session(req: Request): SessionState;
  /** Sends a plugin page wrapped in the host's layout (menu, header, styles). */
  render(req: Request, res: Response, page: PluginPage): void;
  /**
   * The panel's public address: scheme, host and any path the panel is served under, e.g.
   * "https://panel.example" (settings.publicBaseUrl wins). The plugin's pages are at this
   * address + mountPath: e-mail links point there, and pages link to its path. Without either,
   * e-mail links point to http://localhost and the plugin warns through the logger at activate().
   */
  publicBaseUrl?: string;
  /** A folder the host gives the plugin for its files (attachments go under it unless settings.storageDir is set). */
  dataDir: string;
  /** The host's own mail settings; when present they win over the plugin's SMTP settings. */
  mail?: { transport: Transporter; from?: string };
  /** Where the plugin's log lines go; the console without one. */
  logger?: HostLogger;
  /**
   * Since 1.2, optional: the user whose address this is (compared case-insensitively), or null.
   * With it, mail from a customer to a support address opens a request, and staff who are not
   * on a department's member list can answer by e-mail; without it, mail only answers requests.
   */
  findUserByEmail?(email: string): Promise<HostUser | null>;
  /**
   * Since 1.3, optional: the staff the panel places in this department (the same users whose
   * HostUser.departments name it). With it, the Departments page lists them and colleagues can
   * assign them the department's requests; without it, only the plugin's own staff list does.
   */
  staffOf?(departmentCode: string): Promise<HostUser[]>;
}

/** What a host (or a test) may give activate() besides the contract and the settings. */
export interface ActivateOptions {
  /**
   * The plugin's clock, in milliseconds since the epoch (Date.now unless given). Every timestamp
   * the plugin stores and every timed rule (auto-close, retries, retention) reads it, so a test
   * can move time forward instead of sleeping or editing rows.
   */
  now?: () => number;
}

/** What activate() returns to the host. */
export interface ActivatedPlugin {
  /**
   * Mount at mountPath, in the app served at publicBaseUrl, so the pages' links (publicBaseUrl's
   * path + mountPath) and the e-mails' links (publicBaseUrl + mountPath) both reach it.
   */
  router: Router;
  mountPath: string;
  /** Menu entries to add to the host's left menu. */
  menu: MenuEntry[];
  /**
   * Since 1.1: a number to show next to the menu entry for this user, counted up to 100, or null
   * for none. For staff and admins: requests waiting for an answer in their departments, and those
   * transferred there that nobody of the department has opened yet. Since 1.3, for a customer
   * (role client): their requests with a staff answer they have not seen yet (1.1 and 1.2 gave
   * null). Hosts without badges ignore it.
   */
  menuBadge(user: HostUser): Promise<number | null>;
  /**
   * Since 1.2: takes one e-mail (RFC 822, whole) into the requests: a reply lands in its request,
   * mail to a support address opens one, and the rest is held for an admin or ignored as noise.
   * The plugin's IMAP readers, its pipe command and a host's own mail server all come through
   * here. It resolves once the outcome is stored, and rejects only when it could not be (the
   * database or the disk is unavailable): keep the message and try again later.
   */
  receiveMail: ReceiveMail;
  /** Runs the plugin's migrations (its own migrations table) and syncs department settings. */
  migrate(): Promise<void>;
  /** Undoes every plugin migration (uninstall). */
  rollback(): Promise<void>;
  /** Stops background work and releases what the plugin holds; the host's knex is left open. */
  close(): Promise<void>;
}
