import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { acceptedLocales, chooseLocale, loadCatalog } from '../../src/i18n';
import { PLUGIN_ROOT } from '../../src/paths';
import { forEachDatabase } from '../support/databases';
import { startPlugin, type TestPlugin } from '../support/test-host';

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
    const used = new Set<string>();
    const scan = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) scan(file);
        else for (const m of fs.readFileSync(file, 'utf8').matchAll(/\bt\('([a-zA-Z.]+)'\s*[,)]/g)) used.add(m[1] as string);
      }
    };
    scan(path.join(PLUGIN_ROOT, 'views'));
    scan(path.join(PLUGIN_ROOT, 'src'));
    const en = new Set(keys(read('en')));
    assert.deepEqual([...used].filter((k) => !en.has(k)), []);
  });

  it('replaces parameters', () => {
    const t = loadCatalog(path.join(PLUGIN_ROOT, 'locales'), ['ru', 'en']).translator('en');
    assert.equal(t('errors.subject.tooLong', { max: 120 }), 'The subject must be at most 120 characters.');
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
