import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { acceptedLocales, chooseLocale, loadCatalog } from '../../src/i18n';
import { formatAgo, formatDuration } from '../../src/i18n/format';
import { LOCALES } from '../../src/model/locales';
import { MANIFEST_PATH, PLUGIN_ROOT } from '../../src/paths';
import { forEachDatabase } from '../support/databases';
import { startPlugin, type TestPlugin } from '../support/test-host';
import { PRIORITIES, RATING_CHOICES, type TicketEvent, type TicketStatus } from '../../src/model/types';
import { INCIDENT_REACHES } from '../../src/model/incidents';
import type { MailTransport } from '../../src/mail/transport';
import type { HeldReason, InboundMail, IntakeSource } from '../../src/model/inbound';
import { PLACEHOLDERS } from '../../src/domain/canned-text';
import { TARGET_KINDS } from '../../src/model/regulation';
import { DUE_FILTERS } from '../../src/domain/staff-queue';

/** Every file under a folder with one of these extensions. */
function sourceFiles(dir: string, extensions: string[]): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && extensions.includes(path.extname(e.name)))
    .map((e) => path.join(e.parentPath, e.name));
}

const codeFiles = () => [...sourceFiles(path.join(PLUGIN_ROOT, 'src'), ['.ts']), ...sourceFiles(path.join(PLUGIN_ROOT, 'views'), ['.ejs'])];

/**
 * Every string literal in src/ and views/ that names a catalog key: t('…') calls, but also
 * { key: '…' } Problems, message keys handed to render.message, { required, tooLong } pairs and
 * ternaries. A string counts when it is dotted and starts with one of the catalog's sections.
 */
function literalKeyReferences(sections: string[]): Set<string> {
  const found = new Set<string>();
  const keyLike = new RegExp(`^(?:${sections.join('|')})(?:\\.[A-Za-z0-9_-]+)+$`);
  for (const file of codeFiles()) {
    // A key holds no quotes, so a quoted run of key characters is a whole literal, even inside an
    // HTML attribute in a view (aria-label="<%= t('…') %>").
    for (const m of fs.readFileSync(file, 'utf8').matchAll(/['"`]([A-Za-z0-9_.-]+)['"`]/g)) {
      if (keyLike.test(m[1] as string)) found.add(m[1] as string);
    }
  }
  return found;
}

/** Prefixes a key is built from at run time: t('status.staff.' + status). */
function dynamicPrefixes(): Set<string> {
  const found = new Set<string>();
  for (const file of codeFiles()) {
    for (const m of fs.readFileSync(file, 'utf8').matchAll(/'([A-Za-z0-9_.]+\.)'\s*\+/g)) found.add(m[1] as string);
  }
  return found;
}

/** A key resolves to a sentence, or to a message (a title and a text, as render.message reads it). */
function resolves(tree: object, key: string): boolean {
  let node: unknown = tree;
  for (const part of key.split('.')) {
    if (typeof node !== 'object' || node === null || !(part in node)) return false;
    node = (node as Record<string, unknown>)[part];
  }
  if (typeof node === 'string') return true;
  const message = node as Record<string, unknown>;
  return typeof message.title === 'string' && typeof message.text === 'string';
}

describe('locale choice', () => {
  it("prefers the host user's locale", () => assert.equal(chooseLocale('en', 'ru-RU,ru;q=0.9', ['ru', 'en'], 'ru'), 'en'));
  it('reads a regional user locale', () => assert.equal(chooseLocale('en_US', undefined, ['ru', 'en'], 'ru'), 'en'));
  it("falls back to the browser's Accept-Language, by quality", () =>
    assert.equal(chooseLocale(undefined, 'de-DE;q=0.9, en;q=0.8, ru;q=0.1', ['ru', 'en'], 'ru'), 'en'));
  it('skips a user locale that is not supported', () => assert.equal(chooseLocale('de', 'ru', ['ru', 'en'], 'en'), 'ru'));
  it('falls back to the default', () => assert.equal(chooseLocale(undefined, 'fr, de;q=0.5', ['ru', 'en'], 'en'), 'en'));
  it('ignores q=0', () => assert.deepEqual(acceptedLocales('en;q=0, ru'), ['ru']));
});

describe('locale files', () => {
  const keys = (tree: object, prefix = ''): string[] =>
    Object.entries(tree).flatMap(([k, v]) => (typeof v === 'object' ? keys(v as object, `${prefix}${k}.`) : [`${prefix}${k}`]));
  const read = (locale: string) => JSON.parse(fs.readFileSync(path.join(PLUGIN_ROOT, 'locales', `${locale}.json`), 'utf8')) as object;

  it('ru and en have the same strings', () => assert.deepEqual(keys(read('ru')).sort(), keys(read('en')).sort()));

  it('every key the views and code use exists', () => {
    const en = read('en');
    const missing = [...literalKeyReferences(Object.keys(en))].filter((ref) => !resolves(en, ref));
    assert.deepEqual(missing, []);
  });

  it('finds keys in every form the code writes them', () => {
    const refs = literalKeyReferences(Object.keys(read('en')));
    // t('…') inside an HTML attribute of a view, { key: '…' } in a Problem, a message key, a { required, tooLong } pair, a ternary.
    for (const key of [
      'ticket.attachments',
      'form.subject',
      'errors.service.unknown',
      'errors.notFound',
      'errors.member.userIdTooLong',
      'errors.department.required',
    ]) {
      assert.ok(refs.has(key), `the scan sees ${key}`);
    }
    assert.ok(refs.size > 200, `only ${refs.size} keys found`);
  });

  it('every key built from a prefix exists for each value the prefix is used with', () => {
    const en = read('en');
    const prefixes = dynamicPrefixes();
    // Each prefix a view or module builds keys from, with every value it can be given. The typed
    // records fail to compile when a status, action or source is added without being listed here.
    const statuses: Record<TicketStatus, true> = { new: true, answered: true, waiting: true, closed: true };
    const actions: Record<TicketEvent['action'], true> = {
      status: true,
      priority: true,
      assignee: true,
      department: true,
      note: true,
      reply: true,
      customerClose: true,
      customerReopen: true,
      rating: true,
      merge: true,
      duplicate: true,
      acknowledged: true,
      escalated: true,
    };
    const sources: Record<MailTransport['source'], true> = { host: true, settings: true, none: true };
    const heldReasons: Record<HeldReason, true> = {
      noMatch: true,
      unknownSender: true,
      senderNotAllowed: true,
      forgedToken: true,
      unverifiedSender: true,
      staffNotAuthenticated: true,
      noDepartment: true,
      repliesOnly: true,
      senderRate: true,
      hourlyLimit: true,
      empty: true,
      refused: true,
    };
    const intakeSources: Record<IntakeSource, true> = { imap: true, pipe: true, smtp: true, api: true };
    const verdicts: Record<InboundMail['authVerdict'], true> = { pass: true, fail: true, none: true };
    const values: Record<string, string[]> = {
      'status.customer.': Object.keys(statuses),
      'status.staff.': Object.keys(statuses),
      'priority.': PRIORITIES,
      'history.': Object.keys(actions),
      'rating.': RATING_CHOICES,
      'canned.placeholder.': [...PLACEHOLDERS],
      'staff.statusFilter.': [...Object.keys(statuses), 'open', 'all'],
      'list.statusFilter.': ['all', 'open', 'closed'],
      // With no search, "all" is the whole list: the page says there are no requests at all instead.
      'list.noMatch.': ['open', 'closed'],
      'list.noMatch.search.': ['all', 'open', 'closed'],
      'admin.language.': ['ru', 'en', 'any', 'default'],
      'admin.mail.source.': Object.keys(sources),
      'admin.held.why.': Object.keys(heldReasons),
      'admin.held.source.': Object.keys(intakeSources),
      'admin.held.auth.': Object.keys(verdicts),
      'incident.reach.': [...INCIDENT_REACHES],
      'incident.done.': ['declared', 'linked', 'unlinked', 'updated', 'resolved'],
      'sla.admin.target.': [...TARGET_KINDS],
      'sla.admin.targetHint.': [...TARGET_KINDS],
      'sla.admin.weekday.': ['1', '2', '3', '4', '5', '6', '7'],
      'sla.queue.due.': [...DUE_FILTERS],
      'sla.mail.subject.': ['warn', 'breach'],
      'sla.mail.kind.': [...TARGET_KINDS],
      'sla.mail.': ['warn', 'breach'],
    };
    assert.deepEqual(
      [...prefixes].filter((p) => !(p in values)),
      [],
      'a prefix without a list of values in this test',
    );
    const missing = Object.entries(values)
      .flatMap(([prefix, list]) => list.map((v) => prefix + v))
      .filter((key) => !resolves(en, key));
    assert.deepEqual(missing, []);
  });

  it('replaces parameters', () => {
    const t = loadCatalog(path.join(PLUGIN_ROOT, 'locales'), ['ru', 'en']).translator('en');
    assert.equal(t('errors.subject.tooLong', { max: 120 }), 'The subject must be at most 120 characters.');
  });
});

describe('strings and ages', () => {
  const t = loadCatalog(path.join(PLUGIN_ROOT, 'locales'), ['ru', 'en']).translator('en');

  it('a string by its dotted key; a section or an unknown key shows the key', () => {
    assert.equal(t('list.number'), 'Number');
    assert.equal(t('list'), 'list');
    assert.equal(t('list.number.more'), 'list.number.more');
    assert.equal(t('constructor'), 'constructor');
  });

  it('an age in its largest whole unit, in either language', () => {
    const minute = 60_000;
    const day = 24 * 60 * minute;
    assert.deepEqual(
      [formatDuration(59_999, 'en'), formatDuration(minute, 'en'), formatDuration(3 * 60 * minute, 'en'), formatDuration(1234 * day, 'en')],
      ['59 seconds', '1 minute', '3 hours', '1,234 days'],
    );
    assert.deepEqual([formatDuration(3 * minute, 'ru'), formatDuration(5 * day, 'ru')], ['3 минуты', '5 дней']);
  });

  it('the same age reads the same after thousands of others (the texts kept start over)', () => {
    const day = 24 * 60 * 60_000;
    const before = formatDuration(2 * day, 'en');
    for (let n = 3; n < 5000; n++) formatDuration(n * day, 'en');
    assert.deepEqual([before, formatDuration(2 * day, 'en'), formatDuration(4999 * day, 'en')], ['2 days', '2 days', '4,999 days']);
  });

  it('says how long ago as people do, with the plural forms of Russian, and a date after a week', () => {
    const minute = 60_000;
    const hour = 60 * minute;
    const day = 24 * hour;
    const now = Date.UTC(2026, 2, 20, 12, 0);
    const ago = (ms: number, locale: 'ru' | 'en') => formatAgo(now - ms, now, locale);
    assert.deepEqual(
      [1, 2, 5, 21, 22, 25].map((n) => ago(n * minute, 'ru')),
      ['1 минуту назад', '2 минуты назад', '5 минут назад', '21 минуту назад', '22 минуты назад', '25 минут назад'],
    );
    assert.deepEqual(
      [ago(59_999, 'ru'), ago(hour, 'ru'), ago(2 * hour + 59 * minute, 'ru'), ago(day, 'ru'), ago(6 * day, 'ru'), ago(7 * day, 'ru')],
      ['только что', '1 час назад', '2 часа назад', '1 день назад', '6 дней назад', '13 мар. 2026 г.'],
    );
    assert.deepEqual(
      [ago(0, 'en'), ago(minute, 'en'), ago(5 * minute, 'en'), ago(2 * hour, 'en'), ago(3 * day, 'en'), ago(30 * day, 'en')],
      ['just now', '1 minute ago', '5 minutes ago', '2 hours ago', '3 days ago', '18 Feb 2026'],
    );
    assert.equal(formatAgo(now + hour, now, 'en'), 'just now', 'a time ahead of the clock');
  });
});

describe('the list of languages', () => {
  const manifest = JSON.parse(fs.readFileSync(MANIFEST_PATH, 'utf8')) as Record<string, any>;

  it("is plugin.json's locales.supported", () => assert.deepEqual(LOCALES, manifest.locales.supported));

  it('is written nowhere else in src/ and views/', () => {
    // model/locales.ts is the list (held equal to plugin.json's above); manifest.ts checks plugin.json against the languages the code is written for.
    const theList = [path.join('src', 'model', 'locales.ts'), path.join('src', 'manifest.ts')];
    const written = codeFiles()
      .filter((file) => !theList.includes(path.relative(PLUGIN_ROOT, file)))
      .flatMap((file) =>
        [...fs.readFileSync(file, 'utf8').matchAll(/['"](?:ru|en)['"]\s*,\s*['"](?:ru|en)['"]/g)].map(
          (m) => `${path.relative(PLUGIN_ROOT, file)}: ${m[0]}`,
        ),
      );
    assert.deepEqual(written, []);
  });

  it("is the one plugin.json's settings offer", () => {
    const { defaultLocale, departments } = manifest.settings.properties;
    assert.deepEqual(defaultLocale.enum, manifest.locales.supported);
    assert.deepEqual(departments.additionalProperties.properties.locale.enum, manifest.locales.supported);
  });
});

forEachDatabase('pages in the right language', (db) => {
  let t: TestPlugin;
  before(async () => {
    t = await startPlugin(db, { defaultLocale: 'en' });
  });
  after(() => t.close());

  it("uses the host user's locale", async () => {
    assert.match((await t.as('ivan').get('/new').set('accept-language', 'en')).text, /Новый запрос|Создать запрос/);
    assert.match((await t.as('alice').get('/new').set('accept-language', 'ru')).text, /Create request/);
  });

  it("uses the browser's language when the host has none for the user", async () => {
    const res = await t.as('nolocale').get('/new').set('accept-language', 'ru-RU,ru;q=0.9');
    assert.match(res.text, /Создать запрос/);
    assert.equal(res.headers['content-language'], 'ru');
  });

  it('uses the default locale otherwise', async () => {
    assert.match((await t.as('nolocale').get('/new')).text, /Create request/);
  });
});
