// memalot/testing in real test runners: node:test, Vitest (ESM) and Jest (its default CommonJS
// mode), each run once as a child process on a fixture project (test/fixtures/runners) whose
// clean functions (sync and async) must pass every check (22 in node:test, 23 in Vitest, 5 in
// Jest, where a check takes longer: see docs/testing.md) and whose leaking function must fail, with a
// message that names the leaked type and what holds it.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { packageRoot } from '../lib/native/package-root.js';
import { DEFAULT_TIMEOUT_MS, makeProjectDir } from './helpers/child.js';
import { countOf, readSavedReports } from './helpers/reports.js';

const FIXTURES = join(packageRoot, 'test', 'fixtures', 'runners');
const bin = (path: string) => join(packageRoot, 'node_modules', path);

interface Run {
  readonly code: number | null;
  readonly output: string;
  readonly reportDirectory: string;
}

function runRunner(files: readonly string[], args: (dir: string) => string[]): Promise<Run> {
  const dir = makeProjectDir();
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'fixture', private: true }));
  for (const file of files) copyFileSync(join(FIXTURES, file), join(dir, file));
  const reportDirectory = join(dir, 'reports');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args(dir), {
      cwd: dir,
      env: { ...process.env, NODE_TEST_CONTEXT: undefined, MEMALOT_REPORT_DIR: reportDirectory, NO_COLOR: '1', FORCE_COLOR: undefined, CI: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), DEFAULT_TIMEOUT_MS);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output, reportDirectory });
    });
  });
}

/** What every runner must show: the failure is memalot's, names Session, and what holds it. */
function assertLeakMessage(run: Run, subject: string, failure = /AssertionError/): void {
  assert.equal(run.code, 1, `the runner fails (a test failed):\n${run.output}`);
  assert.match(run.output, failure);
  assert.match(run.output, new RegExp(`memalot: openSession leaks: 1 object \\(${subject.replace('.', '\\.')}:Session\\) created during a call outlived it`));
  assert.match(run.output, /← Map value for key/, 'the trace shows the Map that holds the session');
  assert.match(run.output, /← openSessions\b/, 'and the variable that holds the Map');
  const id = /Report ID: ([a-z0-9]{4}-[a-z0-9]{4}); the full report: memalot print/.exec(run.output)?.[1];
  assert.ok(id !== undefined, 'the message gives the saved report\'s ID');
  const saved = readSavedReports(run.reportDirectory).find((report) => report.summary.reportId === id);
  assert.ok(saved !== undefined, `report ${id} is saved`);
  const leaks = saved.iterations.filter((it) => it.kind === 'leaks');
  assert.equal(countOf(leaks.at(-1)!, 'Session'), 1);
  assert.doesNotMatch(run.output, /leaks:[^\n]*handleRequest|handleRequest\w* leaks/, 'the clean functions never fail');
}

describe('memalot/testing in real runners', { concurrency: 1 }, () => {
  test('node:test', async () => {
    const run = await runRunner(['node-test.test.mjs', 'subject.mjs'], () => ['--test', 'node-test.test.mjs']);
    assertLeakMessage(run, 'subject.mjs');
    // Node 20 prints TAP to a pipe; Node 23 and later the spec reporter ('ℹ pass 1').
    assert.match(run.output, /^(# |ℹ )pass 1$/m, run.output);
    assert.match(run.output, /^(# |ℹ )fail 1$/m);
  });

  test('Vitest', async () => {
    const run = await runRunner(['vitest.test.mjs', 'subject.mjs'], (dir) => [bin('vitest/vitest.mjs'), 'run', '--root', dir, '--testTimeout', '600000']);
    assertLeakMessage(run, 'subject.mjs');
    assert.match(run.output, /Tests\s+1 failed \| 1 passed \(2\)/, run.output);
  });

  test('Jest, CommonJS', async () => {
    const run = await runRunner(['jest.test.cjs', 'subject.cjs'], (dir) => [bin('jest/bin/jest.js'), '--rootDir', dir, '--ci', '--testTimeout', '600000']);
    // Jest shows a failed assert as assert.fail(received, expected) and its message.
    assertLeakMessage(run, 'subject.cjs', /assert\.fail\(received, expected\)/);
    assert.match(run.output, /Tests:\s+1 failed, 1 passed, 2 total/, run.output);
  });
});
