// The reader fuzzer, bounded: 300 seeded cases of damaged report directories (truncated,
// oversized, deeply nested, random, bit-flipped and field-mutated files, links to /dev/zero and
// outside, FIFOs, directories and missing files in a file's place) read by the library reader,
// the MCP server's tools (the real server over stdio) and, every 15th case, the `memalot list`
// and `memalot print` binaries. Every case must end in a clear error or a correct result: no
// crash, no hang, no blow-up of memory (scripts/fuzz-readers.mjs checks each; run it by hand
// with --cases 100000 for a longer run).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { packageRoot } from '../lib/native/package-root.js';

interface FuzzSummary {
  readonly cases: number;
  readonly counts: Record<'library' | 'mcp' | 'cli', { result: number; error: number }>;
  readonly failures: readonly unknown[];
}

test('300 fuzzed report directories: every reader gives a clear error or a correct result', () => {
  const run = spawnSync(process.execPath, [join(packageRoot, 'scripts/fuzz-readers.mjs'), '--cases', '300', '--seed', '20261202', '--cli-every', '15'], {
    encoding: 'utf8',
    // Only a fuzzer that hangs (a reader blocked for good) is stopped; the script's own
    // per-call deadline says which reader it was first.
    timeout: 900_000,
    maxBuffer: 64 * 2 ** 20,
  });
  assert.equal(run.signal, null, `the fuzzer was stopped: ${run.stderr}`);
  const summary = JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '') as FuzzSummary;
  assert.deepEqual(summary.failures, [], JSON.stringify(summary.failures, null, 1));
  assert.equal(run.status, 0, run.stderr);
  assert.equal(summary.cases, 300);
  // Both outcomes happen: damages the readers refuse, and damages they read through (a field
  // they do not need, a missing iteration) — a fuzzer whose every case failed would test little.
  for (const reader of ['library', 'mcp', 'cli'] as const) {
    assert.ok(summary.counts[reader].result > 0 && summary.counts[reader].error > 0, JSON.stringify(summary.counts));
  }
});
