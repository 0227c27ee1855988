// The demo panel's own error handler: a request's query string (where the plugin's forms carry
// their CSRF token) never reaches the log, a request it cannot read answers 4xx with one short
// line, and a failure of ours logs its stack but shows none.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDemoApp, type DemoApp } from '../../demo/app';
import { memoryLogger, pluginCsrf, signIn } from './panel-session';

describe('demo error log', () => {
  let dataDir: string;
  let demo: DemoApp;
  const logger = memoryLogger();

  beforeEach(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'panel-errors-'));
    demo = await createDemoApp({ dataDir, logger });
    logger.lines.length = 0;
  });

  afterEach(async () => {
    await demo?.close().catch(() => {});
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('logs a request it cannot read as one line, without the query string', async () => {
    const ivan = await signIn(demo, 'ivan@example.ru');
    const res = await ivan
      .post('/language?_csrf=SECRET-TOKEN&next=%2Fservices')
      .type('form')
      .send(`lang=en&x=${'a'.repeat(100_000)}`);
    assert.equal(res.status, 413);
    assert.match(res.text, /Не удалось прочитать запрос/);
    assert.deepEqual(logger.lines, ['warn panel: POST /language answered 413: request entity too large']);
  });

  it('logs a failure of ours with its stack but without the query string, and shows no stack', async () => {
    const ivan = await signIn(demo, 'ivan@example.ru');
    const token = await pluginCsrf(ivan, demo);
    // The panel's database goes away: the panel's own sign-in check fails before the plugin runs.
    await demo.knex.destroy();
    const res = await ivan.post(`${demo.plugin.mountPath}/?_csrf=${encodeURIComponent(token)}`).field('subject', 'Тема');
    assert.equal(res.status, 500);
    assert.doesNotMatch(res.text, /\n\s+at |node_modules|knex|\.js:\d+/);
    const line = logger.lines.find((l) => l.startsWith('error panel:'));
    assert.ok(line, `an error line: ${logger.lines.join(' | ')}`);
    assert.match(line, /^error panel: POST \/support\/requests\/ failed: \S[^]*\n\s+at /, 'the path, then the stack');
    const all = logger.lines.join('\n');
    assert.ok(!all.includes(token) && !all.includes(encodeURIComponent(token)), 'the CSRF token is not in the log');
    assert.doesNotMatch(all, /_csrf/);
  });
});
