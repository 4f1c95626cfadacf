// Runs real programs that use memalot as an installed package, in child processes of the
// Node.js that runs the tests, each in its own temporary directory.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../../lib/native/package-root.js';

export interface ChildResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly dir: string;
  readonly reportDirectory: string;
}

/**
 * How long a program may run before it is killed: far more than any test program needs, so that
 * only a program that never ends (a test that fails) is stopped, however busy the machine. The
 * programs' own deadlines (for what they wait for) are shorter, so that they end first and the
 * test's assertions say what was missing.
 */
export const DEFAULT_TIMEOUT_MS = 180_000;

export interface ChildOptions {
  readonly env?: Record<string, string | undefined>;
  readonly timeoutMs?: number;
  readonly args?: readonly string[];
  readonly nodeArgs?: readonly string[];
  /** The program's file name; the default is program.mjs. */
  readonly fileName?: string;
}

/** A fresh directory where `import 'memalot'` resolves to this checkout. */
export function makeProjectDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'memalot-test-'));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(packageRoot, join(dir, 'node_modules', 'memalot'), 'dir');
  return dir;
}

export function runProgram(source: string, options: ChildOptions = {}): Promise<ChildResult> {
  const dir = makeProjectDir();
  const file = join(dir, options.fileName ?? 'program.mjs');
  writeFileSync(file, source);
  const reportDirectory = join(dir, 'reports');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), file, ...(options.args ?? [])], {
      cwd: dir,
      env: { ...process.env, MEMALOT_REPORT_DIR: reportDirectory, NO_COLOR: '1', FORCE_COLOR: undefined, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, dir, reportDirectory });
    });
  });
}
