import assert from 'node:assert/strict';
import fs from 'node:fs';
import { loadManifest, parseManifest, validateSettings, ManifestError } from '../../src/manifest';
import { MANIFEST_PATH } from '../../src/paths';
import { activate, HOST_API_VERSION } from '../../src';
import type { SupportHost } from '../../src/host';

const text = fs.readFileSync(MANIFEST_PATH, 'utf8');
const edit = (change: (m: Record<string, any>) => void): string => {
  const m = JSON.parse(text) as Record<string, any>;
  change(m);
  return JSON.stringify(m);
};

describe('plugin.json', () => {
  it('is valid, and its version is the package version', () => {
    const manifest = loadManifest();
    const pkg = JSON.parse(fs.readFileSync('package.json', 'utf8')) as { version: string };
    assert.equal(manifest.version, pkg.version);
    assert.equal(manifest.mountPath, '/support/requests');
    assert.deepEqual(manifest.menu[0]?.label, { en: 'Requests', ru: 'Запросы' });
    assert.deepEqual(manifest.menu[0]?.section, { en: 'Support', ru: 'Поддержка' });
    assert.ok(fs.existsSync(manifest.main), 'main points at the compiled entry');
  });

  it('refuses malformed JSON with a clear message', () => {
    assert.throws(
      () => parseManifest('{ "id": '),
      (e: Error) => e instanceof ManifestError && /plugin.json is not valid JSON/.test(e.message),
    );
  });

  it('names a missing field', () => {
    assert.throws(() => parseManifest(edit((m) => delete m.mountPath)), /plugin.json\/mountPath must have required property 'mountPath'/);
  });

  it('names a wrong field with its path', () => {
    assert.throws(
      () => parseManifest(edit((m) => (m.menu[0].roles = ['guest']))),
      /plugin.json\/menu\/0\/roles\/0 must be equal to one of the allowed values/,
    );
  });

  it('refuses a version that differs from package.json', () => {
    assert.throws(() => parseManifest(text, '9.9.9'), /plugin.json\/version "0\.1\.0" differs from package.json's "9\.9\.9"/);
  });
});

describe('settings', () => {
  const manifest = loadManifest();

  const mailboxNamed = (name: string) => ({ name, host: 'imap.example.com', user: name, password: 'secret' });

  it('fill in the defaults', () => {
    const settings = validateSettings(manifest, {});
    assert.equal(settings.tablePrefix, 'support_');
    assert.equal(settings.defaultLocale, 'ru');
    assert.equal(settings.uploads.maxFiles, 5);
    assert.equal(settings.uploads.maxFileSizeMb, 10);
    assert.ok(settings.uploads.allowedTypes.includes('application/pdf'));
    assert.deepEqual(settings.contacts, {});
    // Each mailbox of the list gets its own.
    const [mailbox] = validateSettings(manifest, { mail: { inbound: { mailboxes: [mailboxNamed('support')] } } }).mail.inbound.mailboxes;
    assert.deepEqual(mailbox, { ...mailboxNamed('support'), port: 993, secure: true, folder: 'INBOX', flag: '\\Seen', pollSeconds: 60 });
  });

  const wrong: Array<[string, unknown, RegExp]> = [
    ['too many files', { uploads: { maxFiles: 50 } }, /settings\/uploads\/maxFiles must be <= 20/],
    [
      'an unknown type',
      { uploads: { allowedTypes: ['application/x-msdownload'] } },
      /settings\/uploads\/allowedTypes\/0 must be equal to one of the allowed values/,
    ],
    [
      'a bad e-mail',
      { departments: { technical: { emails: ['not-an-address'] } } },
      /settings\/departments\/technical\/emails\/0 must match format "email"/,
    ],
    ['a javascript: link', { contacts: { chatUrl: 'javascript:alert(1)' } }, /settings\/contacts\/chatUrl must match pattern/],
    ['a prefix with a dash', { tablePrefix: 'my-prefix' }, /settings\/tablePrefix must match pattern/],
    ['an unknown setting', { colour: 'blue' }, /settings: unknown field "colour"/],
    ['an unsupported locale', { defaultLocale: 'de' }, /settings\/defaultLocale must be equal to one of the allowed values/],
    [
      'two mailboxes of one name',
      { mail: { inbound: { mailboxes: [mailboxNamed('support'), mailboxNamed('sales'), mailboxNamed('support')] } } },
      /settings\/mail\/inbound\/mailboxes\/2\/name "support" is the name of another mailbox too/,
    ],
    ['a time zone with a typo', { timeZone: 'Europe/Moskow' }, /settings\/timeZone "Europe\/Moskow" is not a time zone this server knows/],
  ];
  for (const [what, input, message] of wrong) {
    it(`refuse ${what}, naming the field`, () => {
      assert.throws(
        () => validateSettings(manifest, input),
        (e: Error) => e instanceof ManifestError && message.test(e.message),
      );
    });
  }

  it('are checked by activate() before anything else happens', async () => {
    const host = { apiVersion: HOST_API_VERSION } as SupportHost;
    await assert.rejects(activate(host, { uploads: { maxFiles: -1 } }), /settings\/uploads\/maxFiles must be >= 0/);
  });

  it('a host with an API outside the range is refused', async () => {
    const host = { apiVersion: '2.0.0' } as SupportHost;
    await assert.rejects(activate(host, {}), /host API 2\.0\.0 does not satisfy plugin.json\/hostApi "\^1\.0\.0"/);
  });
});
