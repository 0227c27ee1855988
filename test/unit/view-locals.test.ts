// The page views are rendered without with() (web/render.ts, VIEW_SCOPE): each takes the names it
// reads from `locals` in its first lines. A name it forgot would only fail, as a ReferenceError,
// when a page takes the branch that reads it; here every branch of every view is checked at once.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import ejs from 'ejs';
import { Linter } from 'eslint';
import { PLUGIN_ROOT } from '../../src/paths';
import { VIEW_SCOPE } from '../../src/web/render';

const VIEWS = path.join(PLUGIN_ROOT, 'views');

/** The page views and their partials: the e-mail templates are rendered elsewhere (mail/envelope.ts), with with(). */
function pageViews(): string[] {
  return fs
    .readdirSync(VIEWS, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ejs'))
    .map((e) => path.join(e.parentPath, e.name))
    .filter((file) => !path.relative(VIEWS, file).startsWith(`mail${path.sep}`));
}

/** JavaScript's own globals (Object, encodeURIComponent…), without node's or mocha's. */
const builtins = Object.fromEntries(
  (vm.runInNewContext('Object.getOwnPropertyNames(globalThis)') as string[]).map((name) => [name, 'readonly' as const]),
);

/** Names the view's compiled function reads that are neither declared in it nor JavaScript's own. */
function undeclaredNames(file: string): string[] {
  // client: the function's source is whole (its escaping included), so only the view's own names are left over.
  const fn = ejs.compile(fs.readFileSync(file, 'utf8'), { ...VIEW_SCOPE, filename: file, root: VIEWS, client: true, compileDebug: false });
  const messages = new Linter().verify(`const view = ${fn.toString()};\n`, [
    { languageOptions: { ecmaVersion: 'latest', sourceType: 'script', globals: builtins }, rules: { 'no-undef': 'error' } },
  ]);
  const fatal = messages.filter((m) => m.ruleId === null);
  if (fatal.length > 0) throw new Error(`${file}: ${fatal.map((m) => m.message).join('; ')}`);
  return [...new Set(messages.map((m) => /'(.+?)'/.exec(m.message)?.[1] ?? m.message))];
}

describe('page views', () => {
  it('are found (views/ and its partials)', () => {
    const names = pageViews().map((file) => path.relative(VIEWS, file));
    assert.ok(names.includes(path.join('staff', 'queue.ejs')) && names.includes(path.join('partials', 'status.ejs')), names.join(', '));
  });

  it('read every name from locals or declare it themselves', () => {
    const undeclared = pageViews()
      .map((file) => ({ view: path.relative(VIEWS, file), names: undeclaredNames(file) }))
      .filter((v) => v.names.length > 0);
    assert.deepEqual(undeclared, []);
  });

  it('would be caught reading a name they did not take', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'support-view-'));
    try {
      const file = path.join(dir, 'forgot.ejs');
      fs.writeFileSync(file, "<%_ const { t } = locals; _%>\n<p><%= t('x') %> <%= ticket.number %></p>\n");
      assert.deepEqual(undeclaredNames(file), ['ticket']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
