#!/usr/bin/env node
// A fuzzer for memalot's report readers: the library reader, `memalot list` / `memalot print`
// (the real binary) and the MCP server's tools (the real server over stdio). Each case is a
// report directory with one damage: a truncated, oversized, deeply nested, random, bit-flipped
// or field-mutated file, a symlink (to /dev/zero, to a file outside), a FIFO, a directory in a
// file's place, a missing file. Every reader must give a clear error or a correct result: no
// crash, no hang (each call has a deadline), no blow-up of memory (this process's RSS is
// checked after each case). Seeded, so a failing case can be run again by its seed and number.
//
//   node scripts/fuzz-readers.mjs --cases 100000 [--seed 7] [--cli-every 50] [--base <reports dir>]
//
// test/reader-fuzz.test.ts runs a few hundred cases of it. Needs `npx tsc -p tsconfig.json` first.
import { execFileSync, spawnSync } from 'node:child_process';
import {
  cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, truncateSync, writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    cases: { type: 'string', default: '300' },
    seed: { type: 'string', default: '1' },
    'cli-every': { type: 'string', default: '10' },
    base: { type: 'string' },
  },
});
const CASES = Number(values.cases);
const SEED = Number(values.seed);
const CLI_EVERY = Number(values['cli-every']);
/** Far above what any reader needs for a 64 MiB file: a blow-up is beyond it. */
const RSS_LIMIT = 1.5 * 2 ** 30;
/** A call that takes longer has hung (a FIFO read blocks forever). */
const CALL_DEADLINE_MS = 60_000;

const reader = await import(join(root, 'dist/lib/storage/report-reader.js'));
const { ReportWriter } = await import(join(root, 'dist/lib/storage/report-writer.js'));
const { Client } = await import('@modelcontextprotocol/sdk/client/index.js');
const { StdioClientTransport } = await import('@modelcontextprotocol/sdk/client/stdio.js');
const bin = join(root, 'dist/lib/cli/bin.js');

/** mulberry32: small, seeded, good enough to pick damages. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A valid report of three iterations, written by memalot's own writer. */
function writeBaseReport(directory) {
  const writer = ReportWriter.create(directory);
  writer.writeSummary({
    mode: 'time', entrypoint: '/srv/app.js', arguments: ['--port', '8080'], startTime: new Date(0).toISOString(),
    options: { maxObjectLifetime: 1 }, nodeVersion: process.version, memalotVersion: '0.0.0', pid: 1, hostname: 'fuzz',
  });
  for (let n = 1; n <= 3; n++) {
    writer.writeIteration({
      reportId: writer.reportId, iterationNumber: n, kind: n === 1 ? 'warmup' : 'leaks',
      startTime: new Date(n * 1000).toISOString(), endTime: new Date(n * 1000 + 500).toISOString(),
      memoryUsage: { rssBytes: 1e8, heapUsedBytes: 5e7, rssChangeBytes: 1e6, heapUsedChangeBytes: 1e5, peakRssBytes: 1e8, systemMemoryBytes: 8e9 },
      leakSummary: {
        typeSummaries: n === 1 ? [] : [{ objectType: 'Session', count: 20 * n }, { objectType: 'string', count: 7 }],
        maxTypesInSummary: 500, totalTypes: n === 1 ? 0 : 2,
      },
      objectDetails: n === 1 ? [] : [{
        objectTypeName: 'Session', objectId: 101, objectStr: "Session { id: 'a' }", retainedSizeBytes: 64,
        referrerGraph: { targetIds: ['n0'], rootIds: ['n1'], nodes: [
          { id: 'n0', name: 'Session', objectId: 101, referentIds: [] },
          { id: 'n1', name: 'sessions (module variable)', objectId: 7, referentIds: ['n0'] },
        ] },
        referrersChecked: true,
      }],
    });
  }
  return writer.reportId;
}

const work = mkdtempSync(join(tmpdir(), 'memalot-fuzz-'));
let baseDirectory = values.base;
if (baseDirectory === undefined) {
  baseDirectory = join(work, 'base');
  writeBaseReport(baseDirectory);
}
const baseId = readdirSync(baseDirectory).find((n) => n.startsWith('memalot_report_')).slice('memalot_report_'.length);

/** One damage to the report in `dir` (its directory `reportDir`), described. */
function damage(rng, reportDir) {
  const files = readdirSync(reportDir).filter((n) => !n.startsWith('.'));
  const pick = (list) => list[Math.floor(rng() * list.length)];
  const file = join(reportDir, pick(files));
  const text = readFileSync(file, 'utf8');
  const kind = pick(['truncate', 'random', 'oversized', 'nested', 'flip', 'field', 'long-string', 'zero-link', 'outside-link', 'fifo', 'directory', 'missing', 'control']);
  switch (kind) {
    case 'truncate':
      writeFileSync(file, text.slice(0, Math.floor(rng() * text.length)));
      break;
    case 'random': {
      const bytes = Buffer.alloc(Math.floor(rng() * 4096));
      for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(rng() * 256);
      writeFileSync(file, bytes);
      break;
    }
    case 'oversized':
      // Sparse: a regular file just over the 64 MiB cap, that costs no disk.
      truncateSync(file, 64 * 2 ** 20 + 1 + Math.floor(rng() * 2 ** 20));
      break;
    case 'nested': {
      const depth = 50 + Math.floor(rng() * 200_000);
      writeFileSync(file, `${'['.repeat(depth)}${']'.repeat(rng() < 0.5 ? depth : 0)}`);
      break;
    }
    case 'flip': {
      const bytes = Buffer.from(text);
      for (let k = 0; k < 1 + Math.floor(rng() * 8); k++) bytes[Math.floor(rng() * bytes.length)] = Math.floor(rng() * 256);
      writeFileSync(file, bytes);
      break;
    }
    case 'field': {
      let json;
      try {
        json = JSON.parse(text);
      } catch {
        json = null;
      }
      if (json === null || typeof json !== 'object') return damage(rng, reportDir);
      const values = [null, -1, 1e308, 2 ** 53 + 1, '', 'x'.repeat(100_000), [], {}, true, '\u001b]0;t\u0007', [[[[]]]], 0.5];
      const paths = [];
      const collect = (value, path) => {
        if (path.length > 0) paths.push(path);
        if (value !== null && typeof value === 'object' && paths.length < 500) for (const key of Object.keys(value)) collect(value[key], [...path, key]);
      };
      collect(json, []);
      const path = pick(paths);
      let holder = json;
      for (const key of path.slice(0, -1)) holder = holder[key];
      if (rng() < 0.2) delete holder[path.at(-1)];
      else holder[path.at(-1)] = pick(values);
      writeFileSync(file, JSON.stringify(json));
      return `field ${path.join('.')} of ${file.slice(reportDir.length + 1)}`;
    }
    case 'long-string':
      writeFileSync(file, JSON.stringify({ reportId: 'x'.repeat(5 * 2 ** 20 + Math.floor(rng() * 2 ** 20)) }));
      break;
    case 'zero-link':
      rmSync(file);
      symlinkSync('/dev/zero', file);
      break;
    case 'outside-link':
      rmSync(file);
      symlinkSync('/etc/passwd', file);
      break;
    case 'fifo':
      rmSync(file);
      execFileSync('mkfifo', [file]);
      break;
    case 'directory':
      rmSync(file);
      mkdirSync(file);
      break;
    case 'missing':
      rmSync(file);
      break;
    case 'control':
      writeFileSync(file, text.replaceAll('Session', 'Sess\u001b[2J\u0007ion').replaceAll('/srv/app.js', '/srv/\u001b]0;owned\u0007app.js'));
      break;
  }
  return `${kind} ${file.slice(reportDir.length + 1)}`;
}

const failures = [];
const counts = { library: { result: 0, error: 0 }, mcp: { result: 0, error: 0 }, cli: { result: 0, error: 0 } };
function fail(caseNumber, what, reason, detail) {
  failures.push({ case: caseNumber, what, damage: detail, reason: String(reason).slice(0, 500) });
}

/** The library reader: every call returns or throws a ReportReadError (a clear error). */
async function readWithLibrary(directory, reportId) {
  const calls = [
    () => reader.listReports(directory, 10),
    () => reader.loadReport(directory, reportId),
    () => reader.readIterations(directory, reportId, 10),
    () => reader.readIterationTrendParts(directory, reportId),
  ];
  const outcomes = [];
  for (const call of calls) {
    try {
      await call();
      outcomes.push('result');
    } catch (error) {
      if (!(error instanceof reader.ReportReadError)) throw new Error(`not a clear error: ${error?.stack ?? error}`);
      outcomes.push('error');
    }
  }
  return outcomes;
}

/** A promise with a deadline: a reader that blocks is a failure, not a stuck fuzzer. */
function withDeadline(promise, what) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not answer in ${CALL_DEADLINE_MS / 1000} s`)), CALL_DEADLINE_MS))),
  ]);
}

const transport = new StdioClientTransport({ command: process.execPath, args: [bin, 'mcp'], stderr: 'pipe' });
// Read, so that the server never blocks on a full pipe; kept for a failure's message.
let serverLog = '';
transport.stderr?.on('data', (chunk) => (serverLog = (serverLog + chunk.toString('utf8')).slice(-4000)));
const client = new Client({ name: 'memalot-fuzz', version: '1.0.0' });
await client.connect(transport);

const rng = prng(SEED);
for (let c = 0; c < CASES; c++) {
  const caseDir = join(work, `case-${c}`);
  const reports = join(caseDir, 'reports');
  cpSync(baseDirectory, reports, { recursive: true });
  const reportDir = join(reports, `memalot_report_${baseId}`);
  const detail = damage(rng, reportDir);
  // The library, in this process (inside a deadline only as far as it yields: a blocking read
  // here would stop the fuzzer, which the test's own timeout then reports).
  try {
    for (const outcome of await readWithLibrary(reports, baseId)) counts.library[outcome]++;
  } catch (error) {
    fail(c, 'library', error.message, detail);
  }
  // The MCP server: each tool answers, with a result or a tool error, and the server lives on.
  for (const [name, args] of [
    ['list_leak_reports', { report_directory: reports }],
    ['get_leak_report', { report_id: baseId, report_directory: reports }],
    ['get_leak_trend', { report_id: baseId, report_directory: reports }],
  ]) {
    try {
      const result = await withDeadline(client.callTool({ name, arguments: args }, undefined, { timeout: CALL_DEADLINE_MS }), name);
      counts.mcp[result.isError === true ? 'error' : 'result']++;
      if (result.isError === true && /bug in memalot/.test(JSON.stringify(result.content))) fail(c, `mcp ${name}`, JSON.stringify(result.content), detail);
    } catch (error) {
      fail(c, `mcp ${name}`, `${error.message}; server log: ${serverLog.slice(-500)}`, detail);
    }
  }
  // The binary, every CLI_EVERY cases (a process each): exit 0 or a clear error, never a signal.
  if (c % CLI_EVERY === 0) {
    for (const args of [['list', '-d', reports], ['print', baseId, '-d', reports, '-n', '3']]) {
      const run = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: CALL_DEADLINE_MS, env: { ...process.env, NO_COLOR: '1' } });
      const what = `memalot ${args[0]}`;
      if (run.error !== undefined || run.signal !== null) fail(c, what, run.error?.message ?? `ended by ${run.signal}`, detail);
      else if (run.status !== 0 && !/memalot/i.test(run.stderr)) fail(c, what, `exit ${run.status} without a clear error: ${run.stderr}`, detail);
      else if (/\u001b|\u0007/.test(run.stdout + run.stderr)) fail(c, what, 'a raw control character in the output', detail);
      else counts.cli[run.status === 0 ? 'result' : 'error']++;
    }
  }
  rmSync(caseDir, { recursive: true, force: true });
  const rss = process.memoryUsage().rss;
  if (rss > RSS_LIMIT) fail(c, 'memory', `the fuzzer's RSS reached ${Math.round(rss / 2 ** 20)} MiB`, detail);
}
await client.close();
rmSync(work, { recursive: true, force: true });
console.log(JSON.stringify({ cases: CASES, seed: SEED, counts, failures }));
process.exitCode = failures.length === 0 ? 0 : 1;
