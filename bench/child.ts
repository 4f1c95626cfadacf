// Runs a bench worker script (dist/bench/<script>) in a fresh Node process, which prints its
// result as one JSON line on stdout; its progress (stderr) is passed through as it comes.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export function runWorker<T>(script: string, args: readonly string[], what: string, timeoutMs = 600_000): Promise<T> {
  const worker = fileURLToPath(new URL(script, import.meta.url));
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      ['--expose-gc', worker, ...args],
      { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout) => {
        if (error !== null) {
          reject(new Error(`${what} failed: ${error.message}`));
          return;
        }
        const line = stdout.split('\n').find((l) => l.startsWith('{'));
        if (line === undefined) {
          reject(new Error(`${what} printed no result`));
          return;
        }
        resolve(JSON.parse(line) as T);
      },
    );
    child.stderr?.on('data', (chunk: string) => process.stderr.write(chunk));
  });
}

/** A worker's entry point: prints `main()`'s result as one JSON line, or its error and exit code 1. */
export function workerMain(name: string, main: () => Promise<unknown> | unknown): void {
  Promise.resolve()
    .then(main)
    .then((result) => process.stdout.write(`${JSON.stringify(result)}\n`))
    .catch((error: unknown) => {
      process.stderr.write(`${name}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    });
}

export function progress(name: string, message: string): void {
  process.stderr.write(`bench ${name}: ${message}\n`);
}
