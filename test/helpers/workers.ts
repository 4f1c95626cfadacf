// Monitored worker threads for the host-safety and worker tests: a worker with a 300,000-object
// heap that keeps growing, monitored every 0.5 s, and the check that a process was not aborted.
import assert from 'node:assert/strict';
import type { ChildResult } from './child.js';

/** The worker's source; `options` are added to its startLeakMonitoring options (a JS fragment). */
export function growingWorkerSource(options: string): string {
  return `
import { parentPort } from 'node:worker_threads';
import { startLeakMonitoring } from 'memalot';
const keep = [];
for (let i = 0; i < 300000; i++) keep.push({ i });
startLeakMonitoring({
  maxObjectLifetime: 0.5,
  warmupPeriod: 0.1,
  ${options}
});
setInterval(() => { for (let i = 0; i < 1000; i++) keep.push({ i }); }, 5);
`;
}

/** The head of a program that writes `workerSource` to worker.mjs, next to it, as `workerFile`. */
export function startWorkerSource(workerSource: string): string {
  return `
import { writeFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
const workerFile = new URL('./worker.mjs', import.meta.url);
writeFileSync(workerFile, ${JSON.stringify(workerSource)});
`;
}

/** Not aborted: no SIGABRT (exit code 134 from a shell), no C++ terminate message. */
export function assertNotAborted(run: ChildResult): void {
  assert.doesNotMatch(run.stderr, /terminate called|FATAL ERROR|Napi::Error/, run.stderr);
  assert.equal(run.signal, null, `ended by ${run.signal}: ${run.stderr}`);
  assert.notEqual(run.code, 134, run.stderr);
}
