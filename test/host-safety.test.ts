// Host safety: memalot never takes down the program it watches. Real programs in child
// processes: workers terminated while they may be taking a snapshot, process.exit() from the
// main thread meanwhile, and outputFuncs that throw values that cannot be turned into text.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { runProgram } from './helpers/child.js';
import { assertNotAborted, growingWorkerSource, startWorkerSource } from './helpers/workers.js';

/** A worker with a 300,000-object heap that keeps growing, monitored every 0.5 s. */
const START_WORKER = startWorkerSource(
  growingWorkerSource(`saveReports: false,
  outputFunc: (text) => { if (text.includes('Memalot')) parentPort.postMessage('report'); },`),
);

describe('host safety', { concurrency: 1 }, () => {
  test('workers terminated at 10 different moments of their reports end cleanly, and the process goes on', async () => {
    // Each worker is terminated a different time after its first message (the startup line, then
    // each report's), so that the terminations fall at different points of the 0.5 s cycle: in
    // a snapshot, in the analysis, in the writing, between reports. Before the native calls were
    // guarded, about half of these aborted the whole process.
    const program = `
${START_WORKER}
let ended = 0;
for (let round = 0; round < 10; round++) {
  const worker = new Worker(workerFile);
  worker.on('error', (error) => console.log('worker error: ' + error.message));
  let reports = 0;
  await new Promise((resolve) => {
    worker.on('message', () => {
      // After the startup line and the warm-up report: the worker is in its monitored cycle.
      if (++reports === 2) setTimeout(() => worker.terminate().then(resolve), round * 130);
    });
    worker.on('exit', resolve);
  });
  ended++;
}
console.log('ENDED ' + ended);
`;
    const run = await runProgram(program);
    assertNotAborted(run);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /ENDED 10/);
    assert.doesNotMatch(run.stdout, /worker error/);
  });

  test('the reproducer of the issue: a worker terminated 1.4 s after it starts, 4 times at nearby moments', async () => {
    for (const delay of [1200, 1400, 1550, 1700]) {
      const run = await runProgram(`
${START_WORKER}
const worker = new Worker(workerFile);
worker.on('error', (error) => console.log('worker error: ' + error.message));
setTimeout(() => worker.terminate().then(() => console.log('TERMINATED')), ${delay});
`);
      assertNotAborted(run);
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /TERMINATED/);
    }
  });

  test('process.exit(0) from the main thread while a monitored worker works exits with 0, 6 times', async () => {
    for (const delay of [1200, 1350, 1500, 1650, 1800, 2000]) {
      const run = await runProgram(`
${START_WORKER}
const worker = new Worker(workerFile);
setTimeout(() => process.exit(0), ${delay});
`);
      assertNotAborted(run);
      assert.equal(run.code, 0, `delay ${delay}: ${run.stderr}`);
    }
  });

  test('an async outputFunc that rejects with a value that cannot be made text: warned once, the program goes on', async () => {
    const run = await runProgram(`
import { startLeakMonitoring } from 'memalot';
process.on('unhandledRejection', () => console.log('UNHANDLED'));
const keep = [];
const monitor = startLeakMonitoring({
  maxObjectLifetime: 0.1,
  warmupPeriod: 0.1,
  saveReports: false,
  outputFunc: async () => { throw Object.create(null); },
});
const timer = setInterval(() => keep.push({ n: keep.length }), 10);
const poll = setInterval(async () => {
  if (monitor.iterations < 3) return;
  clearInterval(poll);
  clearInterval(timer);
  await monitor.stop();
  console.log('ALIVE ' + monitor.iterations);
}, 20);
`);
    assertNotAborted(run);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /ALIVE \d+/);
    assert.doesNotMatch(run.stdout, /UNHANDLED/);
    const warnings = run.stderr.match(/memalot: outputFunc threw/g) ?? [];
    assert.equal(warnings.length, 1, run.stderr);
    assert.match(run.stderr, /a value that cannot be shown as text/);
  });

  test('a sync outputFunc that throws an object with no toString, or a hostile proxy: start works, stop frees the slot', async () => {
    const run = await runProgram(`
import { startLeakMonitoring } from 'memalot';
const hostile = new Proxy({}, { get() { throw new Error('trap'); }, getPrototypeOf() { throw new Error('trap'); } });
for (const thrown of [Object.create(null), hostile]) {
  const monitor = startLeakMonitoring({ maxObjectLifetime: 0.1, warmupPeriod: 0.1, saveReports: false, outputFunc: () => { throw thrown; } });
  await monitor.stop();
  console.log('STARTED AND STOPPED');
}
// Nothing of those monitors is left running: a new one starts, and the program ends by itself.
const last = startLeakMonitoring({ maxObjectLifetime: 0.1, warmupPeriod: 0.1, saveReports: false, outputFunc: () => {} });
await last.stop();
console.log('RESTARTED');
`);
    assertNotAborted(run);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout.match(/STARTED AND STOPPED/g)?.length, 2, run.stdout + run.stderr);
    assert.match(run.stdout, /RESTARTED/);
    assert.equal(run.stderr.match(/memalot: outputFunc threw/g)?.length, 2, run.stderr);
  });
});
