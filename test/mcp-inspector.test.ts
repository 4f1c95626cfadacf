// The official MCP Inspector, in CLI mode, against `memalot mcp`: it lists the tools, checks
// their schemas' portability (--strict), and calls each tool on a real report, as a user would
// with `npx @modelcontextprotocol/inspector --cli npx -y memalot mcp --method tools/list`.
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { packageRoot } from '../lib/native/package-root.js';
import { mcpServerCommand } from './helpers/mcp-server.js';
import { makeMcpTestReport, type McpTestReport } from './helpers/mcp-report.js';

/**
 * The Inspector's executable. It is not a devDependency (it declares Node.js 22.19+, which made
 * `npm install` warn on Node.js 20): scripts/mcp-inspector.mjs installs it into a cache on first use.
 */
function installInspector(): string {
  const bin = execFileSync(process.execPath, [join(packageRoot, 'scripts', 'mcp-inspector.mjs'), '--install'], { encoding: 'utf8' }).trim();
  assert.ok(existsSync(bin), `scripts/mcp-inspector.mjs --install printed ${bin}, which does not exist`);
  return bin;
}

let inspectorPath: string | undefined;
function inspectorBin(): string {
  inspectorPath ??= installInspector();
  return inspectorPath;
}

interface InspectorRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** `mcp-inspector --cli <memalot mcp --report-directory DIR> ...inspectorArgs`. */
function inspect(reportDirectory: string, inspectorArgs: readonly string[]): Promise<InspectorRun> {
  const server = mcpServerCommand(['--report-directory', reportDirectory]);
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [inspectorBin(), '--cli', server.command, ...server.args, ...inspectorArgs],
      { cwd: packageRoot, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
        if (code === null) reject(error);
        else resolve({ code, stdout, stderr });
      },
    );
  });
}

interface ToolCallOutput {
  content: { type: string; text: string }[];
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
}

async function callTool(reportDirectory: string, tool: string, args: readonly string[]): Promise<InspectorRun & { result: ToolCallOutput }> {
  const run = await inspect(reportDirectory, ['--method', 'tools/call', '--tool-name', tool, ...(args.length === 0 ? [] : ['--tool-arg', ...args])]);
  return { ...run, result: JSON.parse(run.stdout) as ToolCallOutput };
}

describe('the MCP Inspector (CLI mode) against memalot mcp', () => {
  let report: McpTestReport;
  before(async () => {
    report = await makeMcpTestReport();
    inspectorBin(); // the first run installs it (npm), before any test's clock starts
  });

  test('tools/list: three read-only tools, with schemas free of portability errors (--strict)', async () => {
    const run = await inspect(report.reportDirectory, ['--method', 'tools/list']);
    assert.equal(run.code, 0, run.stderr);
    const { tools } = JSON.parse(run.stdout) as { tools: { name: string; annotations?: { readOnlyHint?: boolean }; outputSchema?: unknown }[] };
    assert.deepEqual(tools.map((t) => t.name).sort(), ['get_leak_report', 'get_leak_trend', 'list_leak_reports']);
    assert.ok(tools.every((t) => t.annotations?.readOnlyHint === true && t.outputSchema !== undefined));

    const strict = await inspect(report.reportDirectory, ['--method', 'tools/list', '--strict']);
    assert.equal(strict.code, 0, `--strict found error-severity problems:\n${strict.stderr}`);
    assert.match(strict.stderr, /\b0 errors\b/);
  });

  test('tools/call: each tool on a real report', async () => {
    const listed = await callTool(report.reportDirectory, 'list_leak_reports', []);
    assert.equal(listed.code, 0, listed.stderr);
    const reports = listed.result.structuredContent?.['reports'] as { reportId: string }[];
    assert.deepEqual(reports.map((r) => r.reportId), [report.reportId]);

    const got = await callTool(report.reportDirectory, 'get_leak_report', [
      `report_id=${report.reportId}`,
      'num_iterations=2',
      'filter_types=["OrphanedSubscription"]',
      'summary_only=true',
    ]);
    assert.equal(got.code, 0, got.stderr);
    assert.equal(got.result.isError, undefined);
    const iterations = got.result.structuredContent?.['iterations'] as { leakSummary: { typeSummaries: { objectType: string }[] } }[];
    assert.equal(iterations.length, 2);
    assert.ok(iterations.every((it) => it.leakSummary.typeSummaries.map((r) => r.objectType).join() === 'program.mjs:OrphanedSubscription'));
    assert.match(got.result.content[0]?.text ?? '', /program\.mjs:OrphanedSubscription/);

    const trend = await callTool(report.reportDirectory, 'get_leak_trend', [`report_id=${report.reportId}`, 'type=StartupCache']);
    assert.equal(trend.code, 0, trend.stderr);
    const types = trend.result.structuredContent?.['types'] as { objectType: string; pattern: string }[];
    assert.deepEqual(types.map((t) => [t.objectType, t.pattern]), [['program.mjs:StartupCache', 'one-off']]);
  });

  test('tools/call with a malformed report ID: a tool error that says what to do', async () => {
    const bad = await callTool(report.reportDirectory, 'get_leak_report', ['report_id=../x']);
    assert.notEqual(bad.code, 0, 'the Inspector fails on a tool error');
    assert.equal(bad.result.isError, true);
    assert.match(bad.result.content[0]?.text ?? '', /report_id must be 4 letters or digits.*list_leak_reports/);
  });
});
