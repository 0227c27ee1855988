// A limit is written once, in domain/field-rules: the checks read it, and so do the views, the
// messages that name it and plugin.json's own patterns. A text field is checked by one helper.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { checkText, LIMITS } from '../../src/domain/field-rules';
import { CODE_PATTERN } from '../../src/domain/department-rules';
import type { Problem } from '../../src/model/errors';
import { MANIFEST_PATH, PLUGIN_ROOT } from '../../src/paths';

/** Every view, with its text. */
function views(): Array<{ file: string; text: string }> {
  const dir = path.join(PLUGIN_ROOT, 'views');
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ejs'))
    .map((e) => path.join(e.parentPath, e.name))
    .map((file) => ({ file: path.relative(PLUGIN_ROOT, file), text: fs.readFileSync(file, 'utf8') }));
}

describe('text fields', () => {
  const rule = { max: 5, required: 'errors.x.required', tooLong: 'errors.x.tooLong' };
  const check = (value: string, r: Parameters<typeof checkText>[3] = rule) => {
    const problems: Record<string, Problem> = {};
    const text = checkText(problems, 'x', value, r);
    return { text, problem: problems.x };
  };

  it('refuse a blank required field', () => {
    assert.deepEqual(check(' \n\t').problem, { key: 'errors.x.required' });
    assert.deepEqual(check(' \n\t', { ...rule, asTyped: true }).problem, { key: 'errors.x.required' });
  });

  it('let an optional field be empty', () =>
    assert.deepEqual(check('', { max: 5, tooLong: 'errors.x.tooLong' }), { text: '', problem: undefined }));

  it('refuse text over the limit, naming the limit', () =>
    assert.deepEqual(check('abcdef').problem, { key: 'errors.x.tooLong', params: { max: 5 } }));

  it('count and return trimmed text, unless it is kept as typed', () => {
    assert.deepEqual(check('  abcde  '), { text: 'abcde', problem: undefined });
    const typed = check('  abcde  ', { ...rule, asTyped: true });
    assert.equal(typed.text, '  abcde  ');
    assert.deepEqual(typed.problem, { key: 'errors.x.tooLong', params: { max: 5 } });
  });
});

describe('limits in one place', () => {
  it('no view writes a limit of its own', () => {
    const written = views().flatMap(({ file, text }) =>
      [...text.matchAll(/(?:maxlength|minlength|max|min|size)="\d+"/g)].map((m) => `${file}: ${m[0]}`),
    );
    assert.deepEqual(written, []);
  });

  it('every limit a view names exists', () => {
    const named = views().flatMap(({ file, text }) => [...text.matchAll(/\blimits\.(\w+)/g)].map((m) => ({ file, name: m[1] as string })));
    assert.ok(named.length >= 16, `only ${named.length} limits named by the views`);
    assert.deepEqual(
      named.filter((n) => !(n.name in LIMITS)),
      [],
    );
  });

  it("plugin.json's department codes follow the same rule as the Departments page", () => {
    const manifest = JSON.parse(fs.readFileSync(MANIFEST_PATH, 'utf8')) as {
      settings: { properties: { departments: { propertyNames: { pattern: string } } } };
    };
    assert.equal(manifest.settings.properties.departments.propertyNames.pattern, CODE_PATTERN.source);
    assert.ok(CODE_PATTERN.test('a'.repeat(LIMITS.departmentCode)));
    assert.ok(!CODE_PATTERN.test('a'.repeat(LIMITS.departmentCode + 1)));
  });
});
