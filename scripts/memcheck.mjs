#!/usr/bin/env node
// Runs the native addon's whole surface under valgrind's memcheck and fails on memory that the
// addon loses (V8's own uninitialised-value reports are not the addon's and are not counted).
// Usage: node scripts/memcheck.mjs   (needs valgrind: apt-get install valgrind)
import { spawnSync } from 'node:child_process';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from './source-hash.mjs';

const exercise = join(mkdtempSync(join(tmpdir(), 'memalot-memcheck-')), 'exercise.cjs');
writeFileSync(
  exercise,
  `
(async () => {
  const { addon } = await import(${JSON.stringify(join(packageRoot, 'dist', 'lib', 'native', 'addon.js'))});
  const native = addon();
  class P { constructor(i) { this.i = i; this.s = 'x' + i; } }
  for (let round = 0; round < 3; round++) {
    const start = native.startTracking();
    globalThis.keep = Array.from({ length: 2000 }, (_, i) => new P(i));
    const middle = native.markBoundary();
    globalThis.more = Array.from({ length: 500 }, (_, i) => new P(i));
    const end = native.markBoundary();
    native.countAlive(start.lastObjectId, end.lastObjectId);
    native.objectIds([globalThis.keep[0], 1]);
    const graph = native.takeSnapshot();
    graph.summarizeRange(start.lastObjectId, end.lastObjectId, [middle.lastObjectId, end.lastObjectId], [1, 3]);
    graph.retainedSizes(native.objectIds([globalThis.keep, globalThis.keep[0], globalThis.more]).concat([0, 1]));
    graph.dispose();
    // The object-details path: referrer graphs, retained sizes per type, objects found by ID.
    const details = native.takeSnapshot();
    const rows = details.summarizeRange(start.lastObjectId, end.lastObjectId, [], [], { samplesPerType: 5, retainedSizes: true });
    const ids = rows.flatMap((row) => row.sampleIds);
    for (const id of ids) details.referrerGraph(id, { maxDepth: 10, cwd: process.cwd() });
    details.typeRetainedSizes();
    native.findObjects(ids.slice(0, 2));
    native.functionLocation(P);
    // The end of a report: objects found on a helper thread while this one frees the snapshot.
    details.complete(ids.slice(0, 2).concat([1]), ids);
    details.dispose();
    native.takeSnapshot().retainedSizes([1]); // left to the finaliser, with its dominator tree
    native.stopTracking();
  }
  globalThis.gc();
  console.log('exercise done');
})();
`,
);
const result = spawnSync(
  'valgrind',
  ['--leak-check=full', '--show-leak-kinds=definite', '--errors-for-leak-kinds=definite', process.execPath, '--expose-gc', exercise],
  { encoding: 'utf8' },
);
if (result.error) {
  console.error(`memcheck: cannot run valgrind (${result.error.message}); install it with apt-get install valgrind`);
  process.exit(2);
}
const log = result.stderr;
const lost = /definitely lost: ([\d,]+) bytes/.exec(log)?.[1] ?? '?';
const inAddon = log.split('\n').filter((line) => /memalot\.node|memalot::/.test(line));
console.log(`memcheck: ${result.stdout.trim()}; definitely lost: ${lost} bytes; report lines in the addon: ${inAddon.length}`);
if (lost !== '0' || inAddon.length > 0 || !result.stdout.includes('exercise done')) {
  console.log(inAddon.slice(0, 40).join('\n'));
  process.exit(1);
}
