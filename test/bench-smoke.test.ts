// The benchmark's smoke run (`npm run bench -- --quick`), as a child process: it must end and
// print each of issue 16's eight figures with a number (or say why one was not measured).
// No timing is checked: the figures of a quick run on a busy machine mean nothing.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { packageRoot } from '../lib/native/package-root.js';

const run = promisify(execFile);
const bench = join(packageRoot, 'dist', 'bench', 'run.js');

test('npm run bench -- --quick prints all eight figures, each with a number', { timeout: 1_800_000 }, async () => {
  const { stdout } = await run(process.execPath, ['--expose-gc', bench, '--quick', '--http-seconds', '2'], {
    encoding: 'utf8',
    timeout: 1_700_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  for (let figure = 1; figure <= 8; figure++) {
    const lines = stdout.split('\n').filter((line) => new RegExp(`^Figure ${figure}[a-z]?: `).test(line));
    assert.ok(lines.length > 0, `no line for figure ${figure} in:\n${stdout}`);
    for (const line of lines) {
      // A fitted exponent can be negative: a smoke run on tiny heaps and a busy machine measures noise.
      assert.match(line, /^Figure \d[a-z]?: (-?\d[\d,]*(\.\d+)?x? |not measured: \S)/, `figure ${figure} has no number: ${line}`);
    }
  }
});

test('the benchmark names an argument it does not know', async () => {
  await assert.rejects(run(process.execPath, ['--expose-gc', bench, '--quik'], { encoding: 'utf8' }), (error: { code?: number; stderr?: string }) => {
    assert.equal(error.code, 1);
    assert.match(error.stderr ?? '', /unknown argument "--quik"/);
    return true;
  });
});
