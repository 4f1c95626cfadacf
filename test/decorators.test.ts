// The decorator forms and the reusable monitor, from a TypeScript program (test/fixtures/decorated.ts).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { readSavedReports } from './helpers/reports.js';

const fixture = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'decorated.js');

test('decorated methods (instance, static, with options), run(), enter() with using, and a refused getter', async () => {
  const reportDirectory = join(mkdtempSync(join(tmpdir(), 'memalot-decorated-')), 'reports');
  const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [fixture], { env: { ...process.env, MEMALOT_REPORT_DIR: reportDirectory, NO_COLOR: '1' } });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
    child.on('error', reject);
    child.on('close', (exitCode) => resolve({ code: exitCode, stdout: out, stderr: err }));
  });
  assert.equal(code, 0, stderr);
  const results = JSON.parse(/RESULTS (.*)/.exec(stdout)?.[1] ?? 'null') as unknown[];
  assert.deepEqual(results, [
    'importer:a.csv', 'importer:bb.csv', 'importer:a.csv', 'importer:bb.csv', 'importer:a.csv', 'importer:bb.csv',
    3, 3, 3, 3,
    'Importer',
    'sync run', 'async run', 'object',
    'after stop',
    'memalot: @leakMonitor decorates methods; "value" is a getter, which it cannot monitor',
  ]);

  const reports = new Map(readSavedReports(reportDirectory).map((r) => [r.summary.functionName, r]));
  assert.deepEqual([...reports.keys()].sort(), ['Importer.importAll', 'Importer.importFile', 'Importer.reset', 'scoped']);
  const count = (name: string) =>
    reports.get(name)!.iterations.map((it) => (it.kind === 'warmup' ? 'warmup' : it.leakSummary.typeSummaries.map((s) => `${s.objectType.replace(/^.*:/, '')}=${s.count}`).join(',')));
  // One monitor per method, shared by both instances: 6 calls, the first a warm-up.
  assert.deepEqual(count('Importer.importFile'), ['warmup', 'Row=2', 'Row=2', 'Row=2', 'Row=2', 'Row=2']);
  assert.deepEqual(count('Importer.importAll'), ['warmup', 'Row=3', 'Row=3']);
  assert.deepEqual(count('Importer.reset'), ['Row=1']);
  assert.deepEqual(count('scoped'), ['Row=1', 'Row=2', 'Row=3']);
});
