// Sums up a .cpuprofile (from create-tickets.ts with CPU_PROFILE, or node --cpu-prof) by where
// the CPU went: the SQL path, e-mail and page rendering, the dispatcher and nodemailer, uploads,
// CSRF and session, express, the bench's own client. Prints shares of the busy time.
//
//   node dist/bench/profile-summary.js /tmp/prof/plugin-create-no-files-*.cpuprofile
//
// Several files (the rounds of one run) are added up into one summary.
// Each sample goes to one bucket: its stack is read from the running function outwards, and the
// first frame that belongs to a known part decides (node's own frames and natives are skipped,
// so a socket write of the pg driver is SQL, one of express is express). Rendering is the
// exception: all a template runs (helpers, escaping, includes) counts as rendering. Only synchronous stacks
// are sampled: work resumed after an await is counted where it runs, not where it was awaited.
import fs from 'node:fs';
import path from 'node:path';

interface CallFrame {
  functionName: string;
  url: string;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  parent?: number;
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
}

const PACKAGES: Record<string, string> = {
  knex: 'SQL: knex',
  tarn: 'SQL: knex',
  lodash: 'SQL: knex',
  'better-sqlite3': 'SQL: driver',
  pg: 'SQL: driver',
  'pg-protocol': 'SQL: driver',
  'pg-types': 'SQL: driver',
  'pg-pool': 'SQL: driver',
  'postgres-array': 'SQL: driver',
  'postgres-date': 'SQL: driver',
  mysql2: 'SQL: driver',
  sqlstring: 'SQL: driver',
  'named-placeholders': 'SQL: driver',
  denque: 'SQL: driver',
  'lru.min': 'SQL: driver',
  nodemailer: 'mail: dispatcher + nodemailer',
  multer: 'uploads: multer, busboy, storing',
  busboy: 'uploads: multer, busboy, storing',
  streamsearch: 'uploads: multer, busboy, storing',
  'append-field': 'uploads: multer, busboy, storing',
  'csrf-sync': 'CSRF + host session',
};

/** Which part a frame belongs to, or null for node's own code and natives (look further out). */
function partOf(frame: CallFrame): string | null {
  const { url, functionName } = frame;
  if (!url) {
    if (functionName === '(garbage collector)') return 'GC';
    if (functionName === '(program)') return 'V8/native, unattributed (program)';
    if (functionName === '(idle)') return 'idle';
    return null;
  }
  if (url.startsWith('node:')) return null;
  // A compiled EJS template is named by its file, in quotes.
  if (url.includes('/views/mail/')) return 'mail: rendering (compose, EJS)';
  if (url.includes('/views/')) return 'page rendering (EJS)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1];
  if (pkg) return PACKAGES[pkg] ?? 'express and other packages';
  const own = /\/dist\/(src|bench)\/(.+)\.js$/.exec(url);
  if (!own) return 'other';
  const [, tree, file] = own as unknown as [string, string, string];
  if (tree === 'bench') {
    if (file === 'bench-host') return 'CSRF + host session';
    return 'bench client (same process)';
  }
  if (file.startsWith('store/')) return 'SQL: store (ours)';
  if (file === 'mail/compose') return 'mail: rendering (compose, EJS)';
  if (file.startsWith('mail/')) return 'mail: dispatcher + nodemailer';
  if (file.startsWith('files/') || file === 'web/uploads') return 'uploads: multer, busboy, storing';
  if (file === 'web/csrf' || file === 'web/context') return 'CSRF + host session';
  if (file === 'web/render') return 'page rendering (EJS)';
  return 'plugin: domain, routes, i18n';
}

export interface Summary {
  files: string[];
  busy: number;
  idle: number;
  buckets: Map<string, number>;
  /** Samples in a few functions the issue names (self time, unless the name says inclusive). */
  spots: Map<string, number>;
  topSelf: Array<[string, number]>;
}

const SPOTS: Array<[string, (frame: CallFrame, parent: CallFrame | undefined, chain: CallFrame[]) => boolean]> = [
  [
    'better-sqlite3 prepare() (knex prepares every statement)',
    (f, p) =>
      (f.functionName === 'prepare' && f.url.includes('better-sqlite3/lib/')) ||
      (f.functionName === 'Statement' && !f.url && p?.functionName === 'prepare'),
  ],
  [
    'better-sqlite3 run()/all() (executing)',
    (f, p) => (f.functionName === 'run' || f.functionName === 'all') && !f.url && !!p?.url.includes('knex/lib/dialects/better-sqlite3'),
  ],
  [
    'EJS compile (template cache miss)',
    (f) => f.url.includes('node_modules/ejs/') && /^(compile|generateSource|parseTemplateText|scanLine|Template)$/.test(f.functionName),
  ],
  ['fs mkdir (mkdir -p per upload)', (f) => /mkdir/i.test(f.functionName)],
  [
    'i18n/format: an Intl formatter built per call (inclusive)',
    (_f, _p, chain) => chain.some((c) => c.url.endsWith('/dist/src/i18n/format.js')),
  ],
];

export function summarize(files: string[]): Summary {
  const summary: Summary = { files, busy: 0, idle: 0, buckets: new Map(), spots: new Map(), topSelf: [] };
  const self = new Map<string, number>();
  for (const file of files) addProfile(summary, self, JSON.parse(fs.readFileSync(file, 'utf8')) as Profile);
  summary.topSelf = [...self].sort((a, b) => b[1] - a[1]).slice(0, 15);
  return summary;
}

function addProfile(summary: Summary, self: Map<string, number>, profile: Profile): void {
  const { buckets, spots } = summary;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  for (const node of profile.nodes) for (const child of node.children ?? []) byId.get(child)!.parent = node.id;

  // One bucket per node, computed once: the first part found from the node outwards.
  const bucketOf = new Map<number, string>();
  const chainOf = new Map<number, CallFrame[]>();
  for (const node of profile.nodes) {
    let bucket: string | null = null;
    const chain: CallFrame[] = [];
    for (let n: ProfileNode | undefined = node; n; n = n.parent === undefined ? undefined : byId.get(n.parent)) chain.push(n.callFrame);
    // Rendering owns everything a template calls (the t() and time/duration helpers, escaping,
    // includes): e-mail when the mail composer or a mail template is on the stack, a page otherwise.
    if (chain.some((f) => f.url.includes('node_modules/ejs/') || f.url.includes('/views/'))) {
      bucket = chain.some((f) => f.url.endsWith('/dist/src/mail/compose.js') || f.url.includes('/views/mail/'))
        ? 'mail: rendering (compose, EJS)'
        : 'page rendering (EJS)';
    }
    for (let i = 0; i < chain.length && !bucket; i++) bucket = partOf(chain[i]!);
    if (!bucket)
      bucket = chain.some((f) => f.url === 'node:_http_client') ? 'bench client (same process)' : 'node: http, net, streams (unattributed)';
    bucketOf.set(node.id, bucket);
    chainOf.set(node.id, chain);
  }

  for (const id of profile.samples) {
    const bucket = bucketOf.get(id)!;
    if (bucket === 'idle') {
      summary.idle++;
      continue;
    }
    summary.busy++;
    buckets.set(bucket, (buckets.get(bucket) ?? 0) + 1);
    const node = byId.get(id)!;
    const parent = node.parent === undefined ? undefined : byId.get(node.parent)?.callFrame;
    for (const [name, test] of SPOTS) if (test(node.callFrame, parent, chainOf.get(id)!)) spots.set(name, (spots.get(name) ?? 0) + 1);
    const where = node.callFrame.url ? `${node.callFrame.url.replace(/^.*\/(node_modules|dist)\//, '')}` : '(native)';
    const key = `${node.callFrame.functionName || '(anonymous)'} ${where}`;
    self.set(key, (self.get(key) ?? 0) + 1);
  }
}

function print(s: Summary): void {
  const client = s.buckets.get('bench client (same process)') ?? 0;
  const server = s.busy - client;
  const pct = (n: number, of: number) => `${((100 * n) / Math.max(1, of)).toFixed(1).padStart(5)} %`;
  const names = s.files.map((f) => path.basename(f));
  console.log(
    `\n${names.length > 2 ? `${names[0]} … ${names[names.length - 1]} (${names.length} files)` : names.join(', ')}: ${s.busy} busy samples (${pct(s.busy, s.busy + s.idle).trim()} of the run), ${server} of them the server's (not the bench client's)`,
  );
  console.log(`  ${'bucket'.padEnd(44)} ${'of busy'.padStart(7)}  ${'of server'.padStart(9)}`);
  const sql = [...s.buckets].filter(([k]) => k.startsWith('SQL')).reduce((sum, [, n]) => sum + n, 0);
  for (const [bucket, n] of [...s.buckets].sort((a, b) => b[1] - a[1])) {
    console.log(`  ${bucket.padEnd(44)} ${pct(n, s.busy)}  ${bucket.startsWith('bench client') ? '' : pct(n, server).padStart(9)}`);
  }
  console.log(`  ${'= SQL path in all (knex + driver + store)'.padEnd(44)} ${pct(sql, s.busy)}  ${pct(sql, server).padStart(9)}`);
  console.log('  spots:');
  for (const [name] of SPOTS) console.log(`    ${name.padEnd(56)} ${pct(s.spots.get(name) ?? 0, server)} of server`);
  console.log('  top self time:');
  for (const [name, n] of s.topSelf) console.log(`    ${pct(n, s.busy)}  ${name}`);
}

if (require.main === module) {
  const files = process.argv.slice(2);
  if (files.length === 0) {
    console.error('usage: node dist/bench/profile-summary.js <file.cpuprofile>…');
    process.exitCode = 2;
  } else print(summarize(files));
}
