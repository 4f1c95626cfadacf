// Figure 5's load generator, a separate process: CONNECTIONS keep-alive connections to
// 127.0.0.1:<port>, each sending its next GET as soon as the last one's answer has arrived,
// for <seconds>. Prints one JSON line: requests, errors, duration, p99 and worst latency.
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { workerMain } from './child.js';

export interface HttpClientResult {
  readonly requests: number;
  readonly errors: number;
  readonly durationMs: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

const CONNECTIONS = 8;

workerMain('http-client', async (): Promise<HttpClientResult> => {
  const port = Number(process.argv[2]);
  const seconds = Number(process.argv[3]);
  const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const latencies = new Float64Array(20_000_000);
  let count = 0;
  let errors = 0;
  const started = performance.now();
  const end = started + seconds * 1000;
  const one = (): Promise<void> =>
    new Promise((resolve) => {
      const t0 = performance.now();
      const req = request({ host: '127.0.0.1', port, path: `/items?n=${count}`, agent, headers: { 'x-request': String(count) } }, (res) => {
        res.resume();
        res.on('end', () => {
          if (count < latencies.length) latencies[count] = performance.now() - t0;
          count++;
          resolve();
        });
      });
      req.on('error', () => {
        errors++;
        resolve();
      });
      req.end();
    });
  const loop = async (): Promise<void> => {
    while (performance.now() < end) await one();
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, loop));
  const durationMs = performance.now() - started;
  agent.destroy();
  const sorted = latencies.subarray(0, Math.min(count, latencies.length)).sort();
  return {
    requests: count,
    errors,
    durationMs,
    p99Ms: sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))] ?? Number.NaN,
    maxMs: sorted[sorted.length - 1] ?? Number.NaN,
  };
});
