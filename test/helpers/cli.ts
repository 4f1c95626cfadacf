// Runs the real `memalot` executable in a child process: as `node dist/lib/cli/bin.js`, or as a
// package install leaves it (node_modules/.bin/memalot, a link to the package's "bin" file,
// started through its #! line).
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { packageRoot } from '../../lib/native/package-root.js';
import { DEFAULT_TIMEOUT_MS, makeProjectDir } from './child.js';

export const binFile = join(packageRoot, 'dist', 'lib', 'cli', 'bin.js');

export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliOptions {
  /** Added to an environment with no MEMALOT_*, NO_COLOR or FORCE_COLOR (undefined removes). */
  readonly env?: Record<string, string | undefined>;
  readonly cwd?: string;
  readonly timeoutMs?: number;
  /** The executable to start instead of `node bin.js`: an installed link. */
  readonly executable?: string;
  /** Called with the child once started (to signal it). */
  readonly started?: (child: import('node:child_process').ChildProcess) => void;
  /** Called with each piece of stdout as it comes. */
  readonly onStdout?: (soFar: string) => void;
}

/** The environment the tests run the CLI in: the test runner's, without what would change the output. */
export function cleanEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key.startsWith('MEMALOT_') || key === 'NO_COLOR' || key === 'FORCE_COLOR' || key === 'NODE_TEST_CONTEXT') continue;
    env[key] = value;
  }
  // A #! line finds `node` on the PATH: the one running the tests comes first.
  env['PATH'] = `${dirname(process.execPath)}${delimiter}${process.env['PATH'] ?? ''}`;
  for (const [key, value] of Object.entries(extra)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

export function runCli(args: readonly string[], options: CliOptions = {}): Promise<CliResult> {
  const [command, commandArgs] = options.executable === undefined ? [process.execPath, [binFile, ...args]] : [options.executable, [...args]];
  return new Promise((resolve, reject) => {
    const child = spawn(command, commandArgs, {
      cwd: options.cwd ?? packageRoot,
      env: cleanEnv(options.env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      options.onStdout?.(stdout);
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    options.started?.(child);
  });
}

/**
 * A project with memalot installed as npm installs a package with a "bin": node_modules/memalot,
 * and node_modules/.bin/memalot linking to the file package.json names, made executable.
 * Returns the project directory and the link.
 */
export function installedBin(): { project: string; bin: string } {
  const project = makeProjectDir();
  const manifest = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { bin: Record<string, string> };
  const target = manifest.bin['memalot'];
  if (target === undefined) throw new Error('package.json has no "bin" for memalot');
  chmodSync(join(packageRoot, target), 0o755); // as npm does when it installs a bin
  mkdirSync(join(project, 'node_modules', '.bin'));
  const bin = join(project, 'node_modules', '.bin', 'memalot');
  symlinkSync(join('..', 'memalot', target), bin);
  return { project, bin };
}

/** Stderr is one line: no stack trace, no second thought. */
export function oneLine(stderr: string): string {
  const lines = stderr.split('\n').filter((l) => l !== '');
  if (lines.length !== 1) throw new Error(`expected one line on stderr, got ${lines.length}:\n${stderr}`);
  return lines[0]!;
}
