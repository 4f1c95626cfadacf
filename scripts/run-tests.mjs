#!/usr/bin/env node
// Runs the compiled tests (dist/test/**/*.test.js) with node:test, under the Node.js that runs
// this script: `node scripts/run-tests.mjs`, or `/path/to/node22/bin/node scripts/run-tests.mjs`.
// (Node 20's --test takes no globs and Node 22's no directories, so the files are listed here.)
// Arguments filter the files by substring: `node scripts/run-tests.mjs native`; `--exclude=X`
// leaves out the files whose path holds X (CI runs the benchmark's smoke test on one Node only).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { packageRoot } from './source-hash.mjs';

function testFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return testFiles(path);
    return entry.name.endsWith('.test.js') ? [path] : [];
  });
}

const args = process.argv.slice(2);
const excludes = args.filter((a) => a.startsWith('--exclude=')).map((a) => a.slice('--exclude='.length));
const filters = args.filter((a) => !a.startsWith('--exclude='));
const files = testFiles(join(packageRoot, 'dist', 'test'))
  .filter((file) => filters.length === 0 || filters.some((f) => relative(packageRoot, file).includes(f)))
  .filter((file) => !excludes.some((x) => relative(packageRoot, file).includes(x)))
  .sort();
if (files.length === 0) {
  console.error('run-tests: no compiled tests found under dist/test (run tsc first)');
  process.exit(1);
}
console.log(`run-tests: ${files.length} files on Node.js ${process.version}`);
const result = spawnSync(process.execPath, ['--test', '--test-concurrency=2', ...files], { stdio: 'inherit', cwd: packageRoot });
process.exit(result.status ?? 1);
