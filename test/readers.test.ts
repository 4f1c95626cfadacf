// Untrusted readers: a report directory can hold anything (planted, copied, damaged). `memalot
// list`, `memalot print` and the MCP server, as real child processes, on files that are links,
// FIFOs, too large, too deep, or full of terminal escape codes: each ends in a clear error or a
// correct result, never a crash, a hang or a blow-up of memory.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { openSync, closeSync, ftruncateSync, readdirSync, renameSync, rmSync, symlinkSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { runCli, type CliResult } from './helpers/cli.js';
import { editJson } from './helpers/damage.js';
import { connectToServer, spawnServer, textOf } from './helpers/mcp-server.js';
import { copyReports, makeMonitoredReport, reportPath, type MonitoredReport } from './helpers/monitored-report.js';

let base: MonitoredReport;

/** A fresh copy of the report, and its directory. */
function copy(): { reports: string; dir: string; id: string } {
  const reports = copyReports(base.reportDirectory);
  return { reports, dir: reportPath(reports, base.reportId), id: base.reportId };
}

function list(reports: string, ...args: string[]): Promise<CliResult> {
  return runCli(['list', '--report-directory', reports, ...args]);
}

function print(reports: string, id: string, ...args: string[]): Promise<CliResult> {
  return runCli(['print', id, '--report-directory', reports, ...args]);
}

/** Ended by itself, with no crash: an exit status, no signal, no abort or out-of-memory. */
function assertEnded(run: CliResult): void {
  assert.equal(run.signal, null, run.stderr);
  assert.ok(run.code === 0 || run.code === 1, `exit ${run.code}: ${run.stderr}`);
  assert.doesNotMatch(run.stderr, /heap out of memory|bad_alloc|Maximum call stack|unexpected error/, run.stderr);
}

function lastIteration(dir: string): string {
  const numbers = readdirSync(dir).map((n) => /^iteration_report_(\d+)\.json$/.exec(n)?.[1]).filter((n) => n !== undefined).map(Number);
  return join(dir, `iteration_report_${Math.max(...numbers)}.json`);
}

describe('untrusted readers', { concurrency: 2 }, () => {
  before(async () => {
    base = await makeMonitoredReport(2);
  });

  test('a summary.json symlinked to /dev/zero: list marks the report, print refuses it, neither follows the link', async () => {
    const { reports, dir, id } = copy();
    rmSync(join(dir, 'summary.json'));
    symlinkSync('/dev/zero', join(dir, 'summary.json'));
    const listed = await list(reports);
    assertEnded(listed);
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, /cannot be read: .*symbolic link/);
    const printed = await print(reports, id);
    assertEnded(printed);
    assert.equal(printed.code, 1);
    assert.match(printed.stderr, /symbolic link, which memalot does not follow/);
  });

  test('a FIFO named version, or in place of an iteration: list, print and the MCP server answer instead of waiting', async () => {
    const { reports, dir, id } = copy();
    rmSync(join(dir, 'version'));
    assert.equal(spawnSync('mkfifo', [join(dir, 'version')]).status, 0);
    const listed = await list(reports);
    assertEnded(listed);
    assert.match(listed.stdout, /cannot be read: .*not a regular file/);
    const printed = await print(reports, id);
    assertEnded(printed);
    assert.match(printed.stderr, /not a regular file/);
    const server = await connectToServer(['--report-directory', reports]);
    try {
      const result = (await server.client.callTool({ name: 'get_leak_report', arguments: { report_id: id } })) as CallToolResult;
      assert.equal(result.isError, true);
      assert.match(textOf(result), /not a regular file/);
    } finally {
      await server.close();
    }
  });

  test('a symlinked report directory is not followed', async () => {
    const { reports, dir, id } = copy();
    renameSync(dir, join(reports, 'elsewhere'));
    symlinkSync(join(reports, 'elsewhere'), dir);
    const printed = await print(reports, id);
    assertEnded(printed);
    assert.equal(printed.code, 1);
    assert.match(printed.stderr, /symbolic link/);
    const listed = await list(reports);
    assertEnded(listed);
    assert.doesNotMatch(listed.stdout, new RegExp(id));
  });

  test('an iteration file over the 64 MiB cap is refused by name and size, without reading it', async () => {
    const { reports, dir, id } = copy();
    const file = lastIteration(dir);
    // A sparse file: 65 MiB that takes no room on disk.
    const fd = openSync(file, 'w');
    writeSync(fd, '{"x":"');
    ftruncateSync(fd, 65 * 1024 * 1024);
    closeSync(fd);
    const printed = await print(reports, id);
    assertEnded(printed);
    assert.equal(printed.code, 1);
    assert.match(printed.stderr, /is 65 MiB, more than the 64 MiB a report file may be/);
  });

  test('an iteration nested 200,000 levels deep is refused, not a stack overflow', async () => {
    const { reports, dir, id } = copy();
    writeFileSync(lastIteration(dir), '['.repeat(200_000) + ']'.repeat(200_000));
    const printed = await print(reports, id);
    assertEnded(printed);
    assert.equal(printed.code, 1);
    assert.match(printed.stderr, /nests deeper than the 64 levels a report may/);
  });

  test('a file named iteration_report_1000000000000000000000.json is not an iteration: the report still prints', async () => {
    const { reports, dir, id } = copy();
    writeFileSync(join(dir, 'iteration_report_1000000000000000000000.json'), '{}');
    const printed = await print(reports, id);
    assertEnded(printed);
    assert.equal(printed.code, 0, printed.stderr);
    assert.match(printed.stdout, /Leaky/);
  });

  test('terminal escape codes in the entrypoint, arguments and type names are shown escaped by list and print', async () => {
    const { reports, dir, id } = copy();
    const hostile = '\u001b]0;owned\u0007\u001b[2J';
    editJson(join(dir, 'summary.json'), (json) => {
      json['entrypoint'] = `/app/${hostile}.mjs`;
      json['arguments'] = [`--x=${hostile}`, 'plain'];
    });
    editJson(lastIteration(dir), (json) => {
      const summary = json['leakSummary'] as { typeSummaries: { objectType: string }[] };
      for (const row of summary.typeSummaries) row.objectType = `${row.objectType}${hostile}`;
    });
    const listed = await list(reports);
    assertEnded(listed);
    assert.equal(listed.code, 0, listed.stderr);
    const printed = await print(reports, id, '--types');
    assertEnded(printed);
    assert.equal(printed.code, 0, printed.stderr);
    for (const out of [listed.stdout, printed.stdout]) {
      assert.doesNotMatch(out, /[\u0007\u001b]/);
      assert.match(out, /\\x1b\]0;owned\\x07\\x1b\[2J/);
    }
  });

  test('the MCP server refuses a 5 MiB message and answers the next one', async () => {
    const server = spawnServer();
    try {
      let stdout = '';
      let stderr = '';
      server.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
      server.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      server.stdin.write(`{"jsonrpc":"2.0","id":0,"method":"ping","params":{"pad":"${'x'.repeat(5 * 1024 * 1024)}"}}\n`);
      server.stdin.write('{"jsonrpc":"2.0","id":7,"method":"ping"}\n');
      const deadline = Date.now() + 120_000;
      while (!/"id":7/.test(stdout) && server.exitCode === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      assert.match(stdout, /"id":7/, stderr);
      assert.doesNotMatch(stdout, /"id":0/);
      assert.match(stderr, /refused a message of more than \d+ bytes/);
      assert.equal(server.exitCode, null);
    } finally {
      server.kill();
    }
  });

  test('list_leak_reports keeps its budget for a program started with 20,000 arguments', async () => {
    const { reports, dir } = copy();
    editJson(join(dir, 'summary.json'), (json) => {
      json['arguments'] = Array.from({ length: 20_000 }, (_, i) => `--argument-number-${i}`);
    });
    const server = await connectToServer(['--report-directory', reports]);
    try {
      const result = (await server.client.callTool({ name: 'list_leak_reports', arguments: {} })) as CallToolResult;
      assert.notEqual(result.isError, true, textOf(result));
      const size = JSON.stringify(result.structuredContent).length + textOf(result).length;
      assert.ok(size <= 60_000, `${size} characters`);
      const [listed] = (result.structuredContent as { reports: { argumentsLeftOut?: number; arguments: string[] }[] }).reports;
      assert.ok(listed);
      assert.ok((listed.argumentsLeftOut ?? 0) > 15_000, JSON.stringify(listed).slice(0, 200));
      assert.equal(listed.arguments[0], '--argument-number-0');
      assert.match(textOf(result), /arguments left out or cut short/);
    } finally {
      await server.close();
    }
  });
});
