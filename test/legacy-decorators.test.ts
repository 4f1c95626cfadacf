// @leakMonitor under TypeScript's experimentalDecorators (NestJS and most decorator-heavy code):
// test/fixtures/legacy-decorators/program.mts is compiled with that setting by the repository's
// tsc, against memalot's published types, and run as a child process like any user's program.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { packageRoot } from '../lib/native/package-root.js';
import { makeProjectDir } from './helpers/child.js';
import { readSavedReports } from './helpers/reports.js';

function run(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (out += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out }));
  });
}

test('legacy decorators: methods and static methods are monitored as Class.method; what cannot be monitored is refused', async () => {
  const project = makeProjectDir();
  const tsc = join(packageRoot, 'node_modules', 'typescript', 'bin', 'tsc');
  const config = join(packageRoot, 'test', 'fixtures', 'legacy-decorators', 'tsconfig.json');
  // The fixture's @ts-expect-error lines make this compilation a test of the types as well.
  const compiled = await run([tsc, '-p', config, '--outDir', project], packageRoot);
  assert.deepEqual(compiled, { code: 0, out: '' });

  const reportDirectory = join(project, 'reports');
  const { code, out } = await run([join(project, 'program.mjs')], project, { ...process.env, MEMALOT_REPORT_DIR: reportDirectory, NO_COLOR: '1' });
  assert.equal(code, 0, out);
  const results = JSON.parse(/RESULTS (.*)/.exec(out)?.[1] ?? 'null') as unknown[];
  assert.deepEqual(results, [
    'importer:a.csv', 'importer:bb.csv', 'importer:a.csv', 'importer:bb.csv',
    'Importer',
    3, 3, 3,
    3, 3, 3,
    'importFile', 1,
    'TypeError: memalot: @leakMonitor decorates methods; "WithProperty.handler" is a property, which it cannot monitor (experimentalDecorators)',
    'TypeError: memalot: @leakMonitor decorates methods; "WithGetter.value" is an accessor, which it cannot monitor (experimentalDecorators)',
    'TypeError: memalot: @leakMonitor decorates methods; it cannot monitor parameter 0 of WithParameter.handle (experimentalDecorators)',
    'TypeError: memalot: leakMonitor monitors functions and methods; Whole is a class: decorate its methods instead',
    'TypeError: memalot: leakMonitor monitors functions and methods; WholeWithOptions is a class: decorate its methods instead',
  ]);

  const reports = new Map(readSavedReports(reportDirectory).map((r) => [r.summary.functionName, r]));
  assert.deepEqual([...reports.keys()].sort(), ['Importer.importAll', 'Importer.importFile', 'Importer.parse', 'Importer.reset']);
  const count = (name: string) =>
    reports.get(name)!.iterations.map((it) => (it.kind === 'warmup' ? 'warmup' : it.leakSummary.typeSummaries.map((s) => `${s.objectType.replace(/^.*:/, '')}=${s.count}`).join(',')));
  // One monitor per method, shared by both instances; the first call of each is a warm-up.
  assert.deepEqual(count('Importer.importFile'), ['warmup', 'Row=2', 'Row=2', 'Row=2']);
  assert.deepEqual(count('Importer.reset'), ['Row=1']);
  assert.deepEqual(count('Importer.importAll'), ['warmup', 'Row=3', 'Row=3']);
  // The method that keeps nothing is watched (its calls are reported on), and nothing is found.
  assert.deepEqual(count('Importer.parse'), ['warmup', '', '']);
  assert.match(out, /Function: Importer\.parse[^\n]*\n[^\n]*\nNo leaks found during this iteration\./);
});
