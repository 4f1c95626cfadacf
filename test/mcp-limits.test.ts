// MCP limits: get_leak_trend over a report of 10,000 iterations answers, within the result
// budget, with counts that match the files; the server, a real child process on stdio, reads
// only the summaries (lib/storage/report-reader.ts: readIterationTrendParts).
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { connectToServer, textOf, type ConnectedServer } from './helpers/mcp-server.js';
import { makeMonitoredReport, reportPath, type MonitoredReport } from './helpers/monitored-report.js';

const COPIES = 10_000;
const BUDGET = 60_000;

describe('MCP limits', () => {
  let report: MonitoredReport;
  let server: ConnectedServer;
  let leakyCount: number;

  before(async () => {
    report = await makeMonitoredReport(3);
    // Copies of the real third iteration (a leaks one, with its object details) as iterations
    // 4 to 10,003: each copy carries its own number, as the reader checks.
    const source = reportPath(report.reportDirectory, report.reportId, 'iteration_report_3.json');
    const iteration = JSON.parse(readFileSync(source, 'utf8')) as { iterationNumber: number; kind: string; leakSummary: { typeSummaries: { objectType: string; count: number }[] } };
    assert.equal(iteration.kind, 'leaks');
    leakyCount = iteration.leakSummary.typeSummaries.find((s) => s.objectType.includes('Leaky'))?.count ?? 0;
    assert.ok(leakyCount > 0, 'the real iteration found Leaky objects');
    for (let n = 4; n < 4 + COPIES; n++) {
      iteration.iterationNumber = n;
      writeFileSync(reportPath(report.reportDirectory, report.reportId, `iteration_report_${n}.json`), JSON.stringify(iteration));
    }
    server = await connectToServer(['--report-directory', report.reportDirectory]);
  });

  after(async () => {
    await server?.close();
    if (report !== undefined) rmSync(dirname(report.reportDirectory), { recursive: true, force: true });
  });

  test('get_leak_trend over 10,003 iterations answers within the budget, the newest counts as saved', async () => {
    const result = (await server.client.callTool({ name: 'get_leak_trend', arguments: { report_id: report.reportId } }, undefined, { timeout: 170_000 })) as CallToolResult;
    assert.notEqual(result.isError, true, textOf(result));
    assert.ok(JSON.stringify(result.structuredContent).length + textOf(result).length <= BUDGET);
    const trend = result.structuredContent as {
      iterationNumbers: number[];
      types: { objectType: string; pattern: string; counts: (number | null)[]; total: number; iterationsWithLeaks: number }[];
      cut?: { iterationsLeftOut: number };
    };
    const leaky = trend.types.find((t) => t.objectType.includes('Leaky'));
    assert.ok(leaky, JSON.stringify(trend.types.map((t) => t.objectType)));
    assert.equal(leaky.pattern, 'growing');
    // Totals cover every iteration, the cut or not: 10,000 copies plus the real iteration 3 (and 2).
    assert.ok(leaky.iterationsWithLeaks >= COPIES + 1, String(leaky.iterationsWithLeaks));
    assert.ok(leaky.total >= (COPIES + 1) * leakyCount);
    // The counts shown are the newest iterations', each as saved.
    assert.equal(trend.iterationNumbers.at(-1), 3 + COPIES);
    assert.ok(trend.iterationNumbers.length + (trend.cut?.iterationsLeftOut ?? 0) >= COPIES + 1);
    assert.ok(leaky.counts.slice(-10).every((c) => c === leakyCount));
  });

  test('the server answers other calls after the long trend', async () => {
    const result = (await server.client.callTool({ name: 'list_leak_reports', arguments: {} })) as CallToolResult;
    assert.notEqual(result.isError, true, textOf(result));
    assert.match(textOf(result), new RegExp(report.reportId));
  });
});
