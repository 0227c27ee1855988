// The plugin brings its own stylesheet: served by its router to anyone (it is the same for all),
// linked from every page it renders with a content hash, so it can be cached for good.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { databases } from '../support/databases';
import { startPlugin, type TestPlugin } from '../support/test-host';

describe('the plugin stylesheet', () => {
  let t: TestPlugin;
  before(async () => {
    t = await startPlugin(databases[0]!);
  });
  after(() => t.close());

  it('is linked from customer, staff and admin pages, and from error pages', async () => {
    const links = new Set<string>();
    for (const [who, url] of [
      ['ivan', '/'],
      ['ivan', '/new'],
      ['tech', '/'],
      ['admin', '/admin/departments'],
      ['ivan', '/12345678'],
      ['', '/'],
    ] as const) {
      const page = await t.as(who).get(url);
      const link = /<link rel="stylesheet" href="(\/support\/requests\/assets\/support\.css\?v=[0-9a-f]{12})">\s*<div class="support /.exec(
        page.text,
      )?.[1];
      assert.ok(link, `${who || 'anonymous'} ${url} (${page.status}) links the stylesheet before the page`);
      links.add(link);
    }
    assert.equal(links.size, 1);
  });

  it('is served as CSS, cached for a year under its current hash only', async () => {
    const page = await t.as('ivan').get('/');
    const href = /href="\/support\/requests(\/assets\/support\.css\?v=[0-9a-f]+)"/.exec(page.text)![1]!;
    const css = await t.as('').get(href);
    assert.equal(css.status, 200);
    assert.match(css.headers['content-type'] ?? '', /^text\/css/);
    assert.equal(css.headers['x-content-type-options'], 'nosniff');
    assert.equal(css.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.equal(css.text, fs.readFileSync(path.resolve(__dirname, '..', '..', '..', 'public', 'support.css'), 'utf8'));
    const stale = await t.as('').get('/assets/support.css?v=0000');
    assert.equal(stale.headers['cache-control'], 'no-cache');
  });

  it('scopes every rule to the plugin pages, so the host keeps its own look', () => {
    const css = fs
      .readFileSync(path.resolve(__dirname, '..', '..', '..', 'public', 'support.css'), 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '');
    const selectors = [...css.matchAll(/([^{}@]+)\{[^{}]*\}/g)].flatMap((m) => m[1]!.split(',').map((s) => s.trim())).filter(Boolean);
    assert.ok(selectors.length > 40);
    for (const selector of selectors) assert.match(selector, /^\.support(\b|-)/, selector);
  });
});
