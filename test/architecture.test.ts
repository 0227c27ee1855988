// The floors of src/ and which way their imports may point: web → domain → model, with store,
// mail and files beside the domain implementing the model; bin/ (the pipe command) stands apart,
// on Node alone. Read from the source's import lines, so a wrong import fails here before anyone
// has to notice it in review.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { PLUGIN_ROOT } from '../src/paths';

const SRC = path.join(PLUGIN_ROOT, 'src');

interface Import {
  /** The importing file, relative to src/ (domain/ids.ts). */
  from: string;
  /** The imported file relative to src/ for our own modules (model/types.ts), else the package name. */
  to: string;
  ours: boolean;
  typeOnly: boolean;
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

function resolveOwn(fromFile: string, specifier: string): string {
  const base = path.resolve(path.dirname(fromFile), specifier);
  const file = [`${base}.ts`, path.join(base, 'index.ts')].find((candidate) => fs.existsSync(candidate));
  assert.ok(file, `${path.relative(SRC, fromFile)} imports ${specifier}, which is no file of src/`);
  return path.relative(SRC, file).split(path.sep).join('/');
}

/** Every import and re-export of a file, with whether it is erased at compile time. */
export function importsOf(file: string, text = fs.readFileSync(file, 'utf8')): Import[] {
  const statements = /^\s*(import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?'([^']+)'/gm;
  const found: Import[] = [];
  for (const match of text.matchAll(statements)) {
    const specifier = match[3] as string;
    const ours = specifier.startsWith('.');
    found.push({
      from: path.relative(SRC, file).split(path.sep).join('/'),
      to: ours ? resolveOwn(file, specifier) : specifier,
      ours,
      typeOnly: match[2] !== undefined,
    });
  }
  return found;
}

const floorOf = (file: string): string => (file.includes('/') ? (file.split('/')[0] as string) : file);

/** Packages that only compute, which the domain may use. */
const PURE_PACKAGES = ['luxon'];

/** The rules, each a check of one import; a message names what is wrong, or null when it is allowed. */
const RULES: Array<(i: Import) => string | null> = [
  (i) =>
    floorOf(i.from) === 'model' && i.ours && !(floorOf(i.to) === 'model' || (i.to === 'host.ts' && i.typeOnly))
      ? 'model/ imports nothing of ours but host types'
      : null,
  (i) => (floorOf(i.from) === 'model' && !i.ours ? 'model/ imports no package' : null),
  (i) =>
    floorOf(i.from) === 'domain' && i.ours && !['model', 'domain'].includes(floorOf(i.to)) && !(i.to === 'host.ts' && i.typeOnly)
      ? 'domain/ imports only model/, domain/ and host types'
      : null,
  // Calendar arithmetic is a rule's own business, not infrastructure: luxon does time zones and DST.
  (i) =>
    floorOf(i.from) === 'domain' && !i.ours && !i.to.startsWith('node:') && !PURE_PACKAGES.includes(i.to)
      ? 'domain/ imports no package (no express, no knex)'
      : null,
  (i) =>
    ['store', 'mail', 'files', 'jobs'].includes(floorOf(i.from)) && ['domain', 'web', 'index.ts'].includes(floorOf(i.to))
      ? 'store/, mail/, files/ and jobs/ implement the model: they never import domain/ or web/'
      : null,
  (i) =>
    ['store', 'domain', 'model'].includes(floorOf(i.from)) && i.to === 'manifest.ts'
      ? 'the settings reach store/ and domain/ as plain values, never through manifest.ts'
      : null,
  (i) =>
    floorOf(i.from) === 'web' && floorOf(i.to) === 'store'
      ? 'web/ reaches the store only through the domain and what index.ts wires'
      : null,
  // The pipe command runs where the mail server runs: no database, no express, no plugin code.
  (i) =>
    floorOf(i.from) === 'bin' && (i.ours ? floorOf(i.to) !== 'bin' : !i.to.startsWith('node:'))
      ? 'bin/ imports only bin/ and node: builtins'
      : null,
  (i) => (floorOf(i.from) !== 'bin' && i.ours && floorOf(i.to) === 'bin' ? 'nothing imports bin/: it is a command' : null),
];

export function violations(imports: Import[]): string[] {
  return imports.flatMap((i) =>
    RULES.map((rule) => rule(i))
      .filter((broken): broken is string => broken !== null)
      .map((broken) => `${i.from} → ${i.to}: ${broken}`),
  );
}

/** One import cycle among our files, as a path that returns to its start, or null. */
export function cycleIn(imports: Import[]): string[] | null {
  const edges = new Map<string, string[]>();
  for (const i of imports.filter((x) => x.ours)) edges.set(i.from, [...(edges.get(i.from) ?? []), i.to]);
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string): string[] | null => {
    if (state.get(file) === 'done') return null;
    if (state.get(file) === 'open') return [...stack.slice(stack.indexOf(file)), file];
    state.set(file, 'open');
    stack.push(file);
    for (const next of edges.get(file) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(file, 'done');
    return null;
  };
  for (const file of edges.keys()) {
    const cycle = visit(file);
    if (cycle) return cycle;
  }
  return null;
}

describe('architecture: the floors of src/', () => {
  const imports = sourceFiles(SRC).flatMap((file) => importsOf(file));

  it('reads the import lines it checks', () => {
    assert.ok(
      imports.some((i) => i.from === 'domain/staff-actions.ts' && i.to === 'model/store.ts'),
      'a known import is found',
    );
    assert.ok(
      imports.some((i) => i.from === 'store/index.ts' && i.to === 'knex' && i.typeOnly),
      'a package import, type only',
    );
  });

  it('every import points down or sideways', () => {
    assert.deepEqual(violations(imports), []);
  });

  it('no import cycle', () => {
    assert.equal(cycleIn(imports)?.join(' → ') ?? null, null);
  });

  it('the rules catch an upward import and a cycle', () => {
    const fake = (from: string, text: string) => importsOf(path.join(SRC, from), text);
    assert.equal(violations(fake('domain/x.ts', "import { createStore } from '../store';")).length, 1);
    assert.equal(violations(fake('domain/x.ts', "import type { Knex } from 'knex';")).length, 1);
    assert.equal(violations(fake('model/x.ts', "import { thing } from '../domain/ids';")).length, 1);
    assert.equal(violations(fake('model/x.ts', "import { HOST_API_VERSION } from '../host';")).length, 1, 'host values are not types');
    assert.equal(violations(fake('store/x.ts', "import type { Settings } from '../manifest';")).length, 1);
    assert.equal(violations(fake('mail/x.ts', "export { customerTickets } from '../domain/customer-tickets';")).length, 1);
    assert.equal(violations(fake('web/x.ts', "import {\n  createStore,\n} from '../store';")).length, 1, 'a multi-line import');
    assert.equal(
      violations(fake('domain/x.ts', "import type { Store } from '../model/store';\nimport type { HostUser } from '../host';")).length,
      0,
    );
    assert.equal(
      violations(fake('bin/x.ts', "import type { ReceiveMail } from '../model/inbound';")).length,
      1,
      'bin/ uses no plugin code',
    );
    assert.equal(violations(fake('bin/x.ts', "import express from 'express';")).length, 1, 'bin/ uses no package');
    assert.equal(violations(fake('web/x.ts', "import { postMessage } from '../bin/post-message';")).length, 1);
    assert.equal(violations(fake('bin/x.ts', "import http from 'node:http';\nimport { USAGE } from './pipe-options';")).length, 0);
    const a = fake('model/types.ts', "import type { Store } from './store';");
    const b = fake('model/store.ts', "import type { Ticket } from './types';");
    assert.deepEqual(cycleIn([...a, ...b]), ['model/types.ts', 'model/store.ts', 'model/types.ts']);
  });
});
