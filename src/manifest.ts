// Reads plugin.json and the host's settings for the plugin, and checks both against JSON Schemas,
// so a wrong file or setting stops the load with one message that names the field.
import fs from 'node:fs';
import path from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { MANIFEST_PATH, PLUGIN_ROOT } from './paths';
import type { Locale, UserRole } from './host';
import type { Settings } from './model/settings';
import { knownTimeZone } from './model/time-zone';

export interface Manifest {
  id: string;
  name: string;
  version: string;
  description: string;
  hostApi: string;
  main: string;
  mountPath: string;
  menu: Array<{ section: Record<Locale, string>; label: Record<Locale, string>; order: number; roles: UserRole[] }>;
  views: string;
  /** The plugin's own stylesheet; it serves it and links it from every page. */
  stylesheet: string;
  locales: { directory: string; supported: Locale[]; default: Locale };
  migrations: { directory: string; table: string };
  settings: object;
}

export class ManifestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ManifestError';
  }
}

const localized = {
  type: 'object',
  required: ['en', 'ru'],
  properties: { en: { type: 'string', minLength: 1 }, ru: { type: 'string', minLength: 1 } },
};

const manifestSchema = {
  type: 'object',
  required: [
    'id',
    'name',
    'version',
    'description',
    'hostApi',
    'main',
    'mountPath',
    'menu',
    'views',
    'stylesheet',
    'locales',
    'migrations',
    'settings',
  ],
  properties: {
    id: { type: 'string', pattern: '^[a-z][a-z0-9-]*$' },
    name: { type: 'string', minLength: 1 },
    version: { type: 'string', pattern: '^\\d+\\.\\d+\\.\\d+' },
    description: { type: 'string' },
    hostApi: { type: 'string', minLength: 1 },
    main: { type: 'string', pattern: '\\.js$' },
    mountPath: { type: 'string', pattern: '^(/[a-z0-9-]+)+$' },
    menu: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['section', 'label', 'order', 'roles'],
        properties: {
          section: localized,
          label: localized,
          order: { type: 'integer' },
          roles: { type: 'array', minItems: 1, items: { enum: ['client', 'staff', 'admin'] } },
        },
      },
    },
    views: { type: 'string', minLength: 1 },
    stylesheet: { type: 'string', pattern: '\\.css$' },
    locales: {
      type: 'object',
      required: ['directory', 'supported', 'default'],
      properties: {
        directory: { type: 'string' },
        supported: { type: 'array', minItems: 1, items: { enum: ['ru', 'en'] } },
        default: { enum: ['ru', 'en'] },
      },
    },
    migrations: {
      type: 'object',
      required: ['directory', 'table'],
      properties: { directory: { type: 'string' }, table: { type: 'string', pattern: '^(\\{prefix\\})?[a-z_]+$' } },
    },
    settings: { type: 'object', required: ['type', 'properties'] },
  },
};

/** One Ajv for the process: each instance costs a good deal to make, and its formats to add. */
let shared: Ajv | null = null;
function ajvInstance(): Ajv {
  if (!shared) {
    shared = new Ajv({ allErrors: false, useDefaults: true, strict: false });
    addFormats(shared);
  }
  return shared;
}

/** The settings check of each parsed manifest, compiled once. */
const settingsChecks = new WeakMap<Manifest, ValidateFunction>();

function settingsCheckOf(manifest: Manifest): ValidateFunction {
  let check = settingsChecks.get(manifest);
  if (!check) {
    const ajv = ajvInstance();
    try {
      check = ajv.compile(manifest.settings);
    } finally {
      // The compiled function stays with the manifest; Ajv's cache would keep every parsed schema for good.
      ajv.removeSchema(manifest.settings);
    }
    settingsChecks.set(manifest, check);
  }
  return check;
}

/** "settings/uploads/maxFiles must be <= 20": the first error, with the field's full path. */
function describe(where: string, error: ErrorObject | undefined): string {
  if (!error) return `${where} is invalid`;
  let field = where + error.instancePath;
  if (error.keyword === 'required') field += '/' + String(error.params.missingProperty);
  if (error.keyword === 'additionalProperties') {
    return `${field}: unknown field "${String(error.params.additionalProperty)}"`;
  }
  return `${field} ${error.message ?? 'is invalid'}`;
}

/** Parses and checks a manifest; the package's version must match, so a host never runs a stale build. */
export function parseManifest(text: string, packageVersion?: string): Manifest {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new ManifestError(`plugin.json is not valid JSON: ${(err as Error).message}`);
  }
  const ajv = ajvInstance();
  if (!ajv.validate(manifestSchema, data)) throw new ManifestError(describe('plugin.json', ajv.errors?.[0]));
  const manifest = data as Manifest;
  if (packageVersion !== undefined && manifest.version !== packageVersion) {
    throw new ManifestError(`plugin.json/version "${manifest.version}" differs from package.json's "${packageVersion}"`);
  }
  try {
    settingsCheckOf(manifest);
  } catch (err) {
    throw new ManifestError(`plugin.json/settings is not a valid JSON Schema: ${(err as Error).message}`);
  }
  return manifest;
}

export function loadManifest(): Manifest {
  const packageJson = JSON.parse(fs.readFileSync(path.join(PLUGIN_ROOT, 'package.json'), 'utf8')) as { version: string };
  return parseManifest(fs.readFileSync(MANIFEST_PATH, 'utf8'), packageJson.version);
}

/** Checks the host's settings against the manifest's schema and fills in the defaults. */
export function validateSettings(manifest: Manifest, input: unknown): Settings {
  const settings = structuredClone(input ?? {}) as Record<string, unknown>;
  const check = settingsCheckOf(manifest);
  if (!check(settings)) throw new ManifestError(describe('settings', check.errors?.[0]));
  const valid = settings as unknown as Settings;
  checkMailboxNames(valid);
  if (valid.timeZone !== undefined && !knownTimeZone(valid.timeZone))
    throw new ManifestError(
      `settings/timeZone "${valid.timeZone}" is not a time zone this server knows (an IANA name such as Europe/Moscow)`,
    );
  return valid;
}

/** A mailbox's position is kept under its name, so two mailboxes of one name would share it. */
function checkMailboxNames(settings: Settings): void {
  const seen = new Set<string>();
  settings.mail.inbound.mailboxes.forEach(({ name }, index) => {
    if (seen.has(name))
      throw new ManifestError(`settings/mail/inbound/mailboxes/${index}/name "${name}" is the name of another mailbox too`);
    seen.add(name);
  });
}
