#!/usr/bin/env node
// What importing memalot costs a program: the modules it loads and the heap they take.
//
//   node scripts/import-footprint.mjs                  a table: a bare Node.js, then each entry point
//   node scripts/import-footprint.mjs --json memalot [LEAKY_CALL]   one entry point (and a use of it, from USES),
//                                                   as JSON (test/import-footprint.test.ts)
//
// Each entry point is imported in a fresh child process (compile first: npm run compile). A
// module hook there (module.register, on the loader's thread) appends every ES module's URL to a
// file as it loads, synchronously, so the list is complete once the import resolves; CommonJS
// modules are read from the require cache. The heap is measured after a full GC before and after.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { packageRoot } from './source-hash.mjs';

/** The entry points a program imports, and two that it should never need to, for comparison. */
const ENTRIES = [
  ['memalot', 'memalot'],
  ['memalot/testing', 'memalot/testing'],
  ['memalot, then a monitored call that leaks (a report with object details)', 'memalot', 'LEAKY_CALL'],
  ['memalot/testing, then assertNoLeaks on a clean function', 'memalot/testing', 'CLEAN_CHECK'],
  ['the CLI (not for monitoring)', pathToFileURL(join(packageRoot, 'dist/lib/cli/program.js')).href],
  ['the MCP server (not for monitoring)', pathToFileURL(join(packageRoot, 'dist/lib/mcp/server.js')).href],
];

const HOOKS = `
import { appendFileSync } from 'node:fs';
let file;
export function initialize(data) { file = data.file; }
export async function load(url, context, nextLoad) {
  appendFileSync(file, url + '\\n');
  return nextLoad(url, context);
}`;

/**
 * What a program then does with it, so that what loads only once monitoring runs (the addon, and
 * anything imported lazily) is counted too: `m` is the imported module.
 */
export const USES = {
  LEAKY_CALL: `const kept = []; await m.createLeakMonitor({ warmupCalls: 0, saveReports: false, outputFunc() {} }).run(() => { kept.push({ leaked: true }); });`,
  CLEAN_CHECK: `await m.assertNoLeaks(() => [1, 2, 3].map(String), { saveReports: false });`,
};

/** The child: registers the hook, imports `specifier` (nothing for ''), runs `use`, prints what it measured. */
const CHILD = `
import { register, createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
const [file, specifier, use] = process.argv.slice(1);
register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(HOOKS)}), { data: { file } });
globalThis.gc(); globalThis.gc();
const before = process.memoryUsage();
if (specifier !== '') {
  const m = await import(specifier);
  if (use) await new (async function () {}).constructor('m', use)(m);
}
globalThis.gc(); globalThis.gc();
const after = process.memoryUsage();
const esm = readFileSync(file, 'utf8').split('\\n').filter((url) => url.startsWith('file:'));
const cjs = Object.keys(createRequire(import.meta.url).cache).map((path) => 'file://' + path);
const modules = [...new Set([...esm, ...cjs])].sort();
console.log(JSON.stringify({ specifier, modules, heapUsedBytes: after.heapUsed - before.heapUsed, rssBytes: after.rss - before.rss }));
`;

/** Imports `specifier` in a fresh child process: the modules it loaded (file: URLs) and the heap it added. */
export function measureImport(specifier, use = '') {
  const dir = mkdtempSync(join(tmpdir(), 'memalot-footprint-'));
  try {
    const file = join(dir, 'loaded');
    writeFileSync(file, '');
    const out = execFileSync(process.execPath, ['--expose-gc', '--no-warnings', '--input-type=module', '-e', CHILD, file, specifier, USES[use] ?? ''], {
      cwd: packageRoot,
      encoding: 'utf8',
    });
    return JSON.parse(out.trim().split('\n').pop());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The package a module URL belongs to (`memalot` for this checkout's own files). */
export function packageOf(url) {
  const path = decodeURIComponent(new URL(url).pathname);
  const inModules = path.lastIndexOf('/node_modules/');
  if (inModules < 0) return path.startsWith(packageRoot) ? 'memalot' : path;
  const [first, second] = path.slice(inModules + '/node_modules/'.length).split('/');
  return first.startsWith('@') ? `${first}/${second}` : first;
}

function table() {
  const bare = measureImport('');
  const kib = (bytes) => `${Math.round(bytes / 1024).toLocaleString('en-US')} KiB`;
  console.log(`Node.js ${process.version}, ${process.platform}-${process.arch}; a bare Node.js with the hook loads ${bare.modules.length} file modules.`);
  console.log('');
  console.log('| import | modules loaded (files) | of which memalot\'s own | packages | V8 heap added after a GC | RSS added |');
  console.log('|---|---:|---:|---|---:|---:|');
  for (const [label, specifier, use] of ENTRIES) {
    const m = measureImport(specifier, use);
    const modules = m.modules.filter((url) => !bare.modules.includes(url));
    const counts = new Map();
    for (const url of modules) counts.set(packageOf(url), (counts.get(packageOf(url)) ?? 0) + 1);
    const own = counts.get('memalot') ?? 0;
    const others = [...counts].filter(([name]) => name !== 'memalot').map(([name, n]) => `${name} (${n})`).join(', ') || 'none';
    console.log(`| ${label} | ${modules.length} | ${own} | ${others} | ${kib(m.heapUsedBytes)} | ${kib(m.rssBytes)} |`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (process.argv[2] === '--json') {
    const m = measureImport(process.argv[3] ?? 'memalot', process.argv[4]);
    console.log(JSON.stringify({ ...m, packages: [...new Set(m.modules.map(packageOf))].sort() }));
  }
  else table();
}
