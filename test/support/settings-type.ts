// Generates src/model/settings.ts, the Settings type, from the settings JSON Schema in
// plugin.json, so the schema a host validates against and the type the code reads are one
// thing. Run `npm run settings:type` after editing the schema; test/unit/settings-type.test.ts
// fails while the committed file is stale.
import fs from 'node:fs';
import path from 'node:path';
import { compile, type JSONSchema } from 'json-schema-to-typescript';

const ROOT = path.resolve(__dirname, '..', '..', '..');
export const SETTINGS_TYPE_FILE = path.join(ROOT, 'src', 'model', 'settings.ts');

/** Names for the nested objects the code refers to by name; the rest stay inline. */
const NAMED: Record<string, string> = {
  '.properties.uploads': 'UploadSettings',
  '.properties.departments.additionalProperties': 'DepartmentSettings',
  '.properties.contacts': 'ContactSettings',
  '.properties.mail': 'MailSettings',
  '.properties.mail.properties.smtp': 'SmtpSettings',
  '.properties.mail.properties.retry': 'RetrySettings',
  '.properties.mail.properties.inbound': 'InboundSettings',
  '.properties.mail.properties.inbound.properties.mailboxes.items': 'MailboxSettings',
};

type Schema = JSONSchema & {
  properties?: Record<string, Schema>;
  additionalProperties?: boolean | Schema;
  items?: Schema | Schema[];
  required?: string[];
};

/**
 * The settings as the code sees them, after validation filled in the defaults: a property with
 * a default is always there, so it is required in the type (not in plugin.json, where a host
 * may leave it out).
 */
function asValidated(schema: Schema, at: string): Schema {
  const copy: Schema = { ...schema };
  if (NAMED[at]) copy.title = NAMED[at];
  if (schema.properties) {
    copy.properties = {};
    const required = new Set(schema.required ?? []);
    for (const [name, property] of Object.entries(schema.properties)) {
      copy.properties[name] = asValidated(property, `${at}.properties.${name}`);
      if (property.default !== undefined) required.add(name);
    }
    copy.required = [...required];
  }
  if (typeof schema.additionalProperties === 'object') {
    copy.additionalProperties = asValidated(schema.additionalProperties, `${at}.additionalProperties`);
  }
  // The objects of a list get their defaults too (validation fills in each mailbox's port, folder...).
  if (schema.items && !Array.isArray(schema.items)) copy.items = asValidated(schema.items, `${at}.items`);
  return copy;
}

export async function settingsTypeSource(): Promise<string> {
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'plugin.json'), 'utf8')) as { settings: Schema };
  return compile(asValidated(manifest.settings, ''), 'Settings', {
    bannerComment:
      '// Generated from the settings schema in plugin.json by `npm run settings:type`; do not edit.\n' +
      '// Properties with a default are required here: validation fills them in.',
    additionalProperties: false,
    strictIndexSignatures: false,
    // Lengths are checked by validation; as types they would be tuples of every length.
    ignoreMinAndMaxItems: true,
    style: { singleQuote: true, printWidth: 140 },
  });
}

if (require.main === module) {
  settingsTypeSource().then(
    (source) => {
      fs.writeFileSync(SETTINGS_TYPE_FILE, source);
      console.log(`wrote ${path.relative(ROOT, SETTINGS_TYPE_FILE)}`);
    },
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
