// Worker threads: each report says which thread it is from, and a worker that ends in the middle
// of a report ends cleanly, leaving files that are whole or absent. Real workers, real files.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { runProgram } from './helpers/child.js';
import { assertNotAborted, growingWorkerSource, startWorkerSource } from './helpers/workers.js';
import { iterationReportSchema, reportSummarySchema } from '../lib/storage/schema.js';
import { iterationHeading } from '../lib/mcp/text/iteration-text.js';

/** A worker with a 300,000-object heap that keeps growing, saving a report every 0.5 s. */
const START_WORKER = startWorkerSource(
  growingWorkerSource(`maxObjectDetails: 3,
  outputFunc: (text) => { if (text.includes('Memalot')) parentPort.postMessage(text); },`),
);

interface ReportFiles {
  readonly summary: ReturnType<typeof reportSummarySchema.parse> | null;
  readonly iterations: ReturnType<typeof iterationReportSchema.parse>[];
  readonly names: string[];
}

/** Every report in the directory, each file parsed (and checked against the schema): a torn file fails here. */
function reportFiles(reportDirectory: string): ReportFiles[] {
  if (!existsSync(reportDirectory)) return [];
  return readdirSync(reportDirectory).map((report) => {
    const directory = join(reportDirectory, report);
    const names = readdirSync(directory);
    const read = (name: string): unknown => JSON.parse(readFileSync(join(directory, name), 'utf8'));
    return {
      names,
      summary: names.includes('summary.json') ? reportSummarySchema.parse(read('summary.json')) : null,
      iterations: names.filter((n) => /^iteration_report_\d+\.json$/.test(n)).map((n) => iterationReportSchema.parse(read(n))),
    };
  });
}

describe('worker threads', { concurrency: 1 }, () => {
  test('each report says its thread: the main thread, and a named worker by its threadId (and name where Node.js tells it)', async () => {
    const run = await runProgram(`
${START_WORKER}
import * as workerThreads from 'node:worker_threads';
import { startLeakMonitoring } from 'memalot';
const main = startLeakMonitoring({ maxObjectLifetime: 0.5, warmupPeriod: 0.5, maxObjectDetails: 0, outputFunc: () => {} });
const worker = new Worker(workerFile, { name: 'crunch' });
const workerId = worker.threadId;
const headers = [];
worker.on('message', (text) => { headers.push(text); });
const keep = [];
const timer = setInterval(() => keep.push({ n: keep.length }), 10);
const poll = setInterval(async () => {
  if (main.iterations < 2 || headers.length < 3) return;
  clearInterval(poll);
  clearInterval(timer);
  await worker.terminate();
  await main.stop();
  console.log('WORKER ' + workerId + ' ' + ('threadName' in workerThreads));
  console.log(headers.find((h) => h.includes('Thread:')) ?? 'NO THREAD LINE');
}, 50);
`);
    assertNotAborted(run);
    assert.equal(run.code, 0, run.stderr);
    const [, workerId, namesKnown] = /WORKER (\d+) (true|false)/.exec(run.stdout) ?? [];
    assert.ok(workerId !== undefined, run.stdout);
    const reports = reportFiles(run.reportDirectory);
    const threads = reports.map((r) => r.summary?.thread);
    assert.ok(threads.some((t) => t?.kind === 'main' && t.threadId === 0), JSON.stringify(threads));
    const workerThread = threads.find((t) => t?.kind === 'worker');
    assert.equal(workerThread?.threadId, Number(workerId));
    assert.equal(workerThread?.name, namesKnown === 'true' ? 'crunch' : undefined);
    for (const report of reports) {
      for (const iteration of report.iterations) assert.deepEqual(iteration.thread, report.summary?.thread);
    }
    const label = namesKnown === 'true' ? `worker ${workerId} (crunch)` : `worker ${workerId}`;
    assert.match(run.stdout, new RegExp(`Thread: ${label.replace(/[()]/g, '\\$&')}`));
    // The MCP server's text says it too (its structured result holds `thread`).
    const workerIteration = reports.find((r) => r.summary?.thread?.kind === 'worker')?.iterations[0];
    assert.ok(workerIteration !== undefined);
    assert.ok(iterationHeading(workerIteration).includes(`; thread: ${label}`), iterationHeading(workerIteration));
    const mainIteration = reports.find((r) => r.summary?.thread?.kind === 'main')?.iterations[0];
    assert.ok(mainIteration !== undefined && !iterationHeading(mainIteration).includes('thread:'));
  });

  test('workers terminated at 8 moments of their reports: no abort, no temporary file left, every saved file whole', async () => {
    const run = await runProgram(`
${START_WORKER}
for (let round = 0; round < 8; round++) {
  const worker = new Worker(workerFile);
  worker.on('error', (error) => console.log('worker error: ' + error.message));
  let reports = 0;
  await new Promise((resolve) => {
    worker.on('message', () => {
      if (++reports === 2) setTimeout(() => worker.terminate().then(resolve), round * 110);
    });
    worker.on('exit', resolve);
  });
}
console.log('ENDED');
`);
    assertNotAborted(run);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /ENDED/);
    assert.doesNotMatch(run.stdout, /worker error/);
    const reports = reportFiles(run.reportDirectory);
    assert.equal(reports.length, 8);
    for (const report of reports) {
      assert.deepEqual(report.names.filter((n) => n.endsWith('.tmp')), [], 'a temporary file was left');
      // A worker ended before its first iteration was written has a summary and no iteration.
      assert.equal(report.summary?.thread?.kind, 'worker');
    }
    assert.ok(reports.some((r) => r.iterations.length >= 1), 'no worker saved an iteration');
  });
});
