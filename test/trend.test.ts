// Is it still growing? The verdict rule on its own, then on a real report saved by a real
// monitored program where one type leaks in every iteration and another leaks once and stops:
// `memalot print --trend` (the real CLI), the live console report and `memalot print` agree.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { leakTrend, type TrendInput } from '../lib/report/leak-trend.js';
import { NONE, sparkline, UNKNOWN } from '../lib/report/sparkline.js';
import { renderBody } from '../lib/report/render.js';
import { makeStyle } from '../lib/report/style.js';
import { renderTrendTable, SPARKLINE_ITERATIONS, TREND_ROWS } from '../lib/report/trend-table.js';
import { trendVerdict } from '../lib/report/trend-verdict.js';
import type { IterationReport } from '../lib/storage/schema.js';
import { writeFileSync } from 'node:fs';
import { runCli } from './helpers/cli.js';
import { copyReports, reportPath } from './helpers/monitored-report.js';
import { countOf, readSavedReports } from './helpers/reports.js';
import { makeTrendReport, TREND_ITERATIONS, type TrendReport } from './helpers/trend-report.js';

describe('trendVerdict', () => {
  test('a type that leaked in one iteration and then in none is one-off, never growing, however many it leaked', () => {
    assert.equal(trendVerdict([5000, 0]), 'one-off');
    assert.equal(trendVerdict([0, 50, 0, 0, 0]), 'one-off');
    assert.equal(trendVerdict([0, 0, 50, 0]), 'one-off');
  });

  test('leaking in the latest iteration only is new: too early to tell', () => {
    assert.equal(trendVerdict([7]), 'new');
    assert.equal(trendVerdict([0, 0, 7]), 'new');
  });

  test('growing needs two iterations with leaks, the latest among them', () => {
    assert.equal(trendVerdict([1, 1]), 'growing');
    assert.equal(trendVerdict([100, 50, 10, 2]), 'growing', 'fewer new objects each time still adds to the heap');
    assert.equal(trendVerdict([3, 0, 0, 1]), 'growing', 'it leaked again');
    assert.equal(trendVerdict([3, 4, 0]), 'stopped');
    assert.equal(trendVerdict([3, 4, 5, 0, 0]), 'stopped');
  });

  test('an iteration that could not tell (null) says nothing either way', () => {
    assert.equal(trendVerdict([5, null]), 'new', 'no later iteration could tell: still too early');
    assert.equal(trendVerdict([5, null, 0]), 'one-off');
    assert.equal(trendVerdict([5, 3, null]), 'growing', 'the latest that could tell leaked');
    assert.equal(trendVerdict([null, 3]), 'new');
  });
});

describe('sparkline', () => {
  test('one character per iteration, scaled to the row, none and unknown apart from the lowest block', () => {
    assert.equal(sparkline([1, 2, 4, 8]), '▁▂▄█');
    assert.equal(sparkline([40, 0, 0]), `█${NONE}${NONE}`);
    assert.equal(sparkline([1, null, 1000]), `▁${UNKNOWN}█`);
    assert.equal(sparkline([]), '');
  });
});

describe('leakTrend', () => {
  const iteration = (iterationNumber: number, rows: [string, number][], totalTypes = rows.length): TrendInput => ({
    kind: 'leaks',
    iterationNumber,
    leakSummary: { totalTypes, typeSummaries: rows.map(([objectType, count]) => ({ objectType, count })) },
  });

  test('a type missing from a summary cut to its first rows is unknown there, not zero', () => {
    const trend = leakTrend([
      { kind: 'warmup', iterationNumber: 1, leakSummary: { totalTypes: 0, typeSummaries: [] } },
      iteration(2, [['A', 5], ['B', 1]]),
      iteration(3, [['A', 5]], 2),
    ]);
    const b = trend.types.find((t) => t.objectType === 'B');
    assert.deepEqual(b?.counts, [1, null]);
    assert.equal(b?.verdict, 'new');
    assert.deepEqual(trend.iterationNumbers, [2, 3]);
    assert.deepEqual(trend.warmupIterations, [1]);
    assert.equal(trend.types[0]?.objectType, 'A', 'growing first');
  });
});

describe('renderTrendTable', () => {
  const many = (iterations: number, types: number): TrendInput[] =>
    Array.from({ length: iterations }, (_, i) => ({
      kind: 'leaks' as const,
      iterationNumber: i + 2,
      leakSummary: {
        totalTypes: types,
        typeSummaries: Array.from({ length: types }, (_, t) => ({ objectType: `src/module-${t}.js:SomeLongishTypeName${t}`, count: 1000 + i * t })),
      },
    }));

  test('many iterations and types: the latest iterations as columns, within the width, and notes for the rest', () => {
    const trend = leakTrend(many(60, 30));
    const out = renderTrendTable('k3x9-0qpa', trend, { width: 80, full: false, style: makeStyle(false) });
    for (const line of out.split('\n')) assert.ok(line.length <= 80, `within 80 columns: ${line}`);
    const columns = header(out);
    assert.equal(columns.at(-4), '#61', 'the latest iteration is a column');
    assert.ok(!columns.includes('#2'), 'the oldest is not');
    assert.match(out, /the counts of iterations 2-\d+ are not shown as columns/);
    assert.match(out, /the sparklines show the last \d+ iterations/);
    const wide = renderTrendTable('k3x9-0qpa', trend, { width: 200, full: false, style: makeStyle(false) });
    assert.match(wide, new RegExp(`the sparklines show the last ${SPARKLINE_ITERATIONS} iterations`));
    assert.match(out, new RegExp(`\\(${30 - TREND_ROWS} more types: memalot print k3x9-0qpa --trend --full\\)`));
    const full = renderTrendTable('k3x9-0qpa', trend, { width: 80, full: true, style: makeStyle(false) });
    assert.equal(full.split('\n').filter((l) => l.startsWith('│')).length, 30);
  });
});

describe('the console Trend column', () => {
  const type = 'src/very/long/path/to/the/module/file.js:SomeVeryLongClassName';
  const iteration = (iterationNumber: number, rows: [string, number][]): IterationReport => ({
    reportId: 'k3x9-0qpa',
    iterationNumber,
    kind: 'leaks',
    startTime: '2026-01-01T00:00:00.000Z',
    endTime: '2026-01-01T00:00:01.000Z',
    memoryUsage: { rssBytes: 1, heapUsedBytes: 1, rssChangeBytes: null, heapUsedChangeBytes: null, peakRssBytes: 1, systemMemoryBytes: 1 },
    leakSummary: {
      typeSummaries: rows.map(([objectType, count]) => ({ objectType, count })),
      maxTypesInSummary: 50,
      totalTypes: rows.length,
      leaks: rows.map(([objectType, count]) => ({ objectType, count, retainedSizeBytes: 1000, contents: [{ objectType: 'string', count: 3 }] })),
    },
    objectDetails: [],
  });
  const reports = [iteration(2, [[type, 5], ['Once', 9]]), iteration(3, [[type, 5]]), iteration(4, [[type, 7]])];
  const trend = leakTrend(reports);

  test('shown when it fits, with its legend; given up (legend too) on a terminal too narrow for it and a readable type', () => {
    const wide = renderBody(reports[2]!, { style: makeStyle(false), width: 120, trend });
    assert.match(header(wide).join('|'), /Count\|Trend\|Retained Size/);
    assert.match(row(wide, 'SomeVeryLong')[2]!, / growing$/);
    assert.match(wide, /^Trend: new objects per iteration, last 3/m);
    const narrow = renderBody(reports[2]!, { style: makeStyle(false), width: 60, trend });
    assert.ok(!header(narrow).includes('Trend'));
    assert.doesNotMatch(narrow, /^Trend:/m);
    for (const [text, width] of [[wide, 120], [narrow, 60]] as const) {
      for (const line of text.split('\n')) assert.ok(line.length <= width, `within ${width}: ${line}`);
      assert.match(text, /Leaked before, none in this iteration: Once \(one-off █··\)/);
    }
  });

  test('none in the first leak iteration: every row would be "new"', () => {
    const first = renderBody(reports[0]!, { style: makeStyle(false), width: 120, trend: leakTrend(reports.slice(0, 1)) });
    assert.ok(!header(first).includes('Trend'));
  });
});

/** The cells of the table row whose first cell contains `type`. */
function row(output: string, type: string): string[] {
  const line = output.split('\n').find((l) => l.startsWith('│') && l.split('│')[1]?.includes(type));
  assert.ok(line, `a row for ${type} in:\n${output}`);
  return line.split('│').slice(1, -1).map((cell) => cell.trim());
}

/** The header cells of the first table in `output`. */
function header(output: string): string[] {
  const line = output.split('\n').find((l) => l.startsWith('┃'));
  assert.ok(line, output);
  return line.split('┃').slice(1, -1).map((cell) => cell.trim());
}

/** The last iteration of the live console output, from its header to its footer. */
function lastIteration(stdout: string): string {
  const start = stdout.lastIndexOf('╭─ Memalot Report (iteration');
  return stdout.slice(start, stdout.indexOf('End of Memalot Report', start));
}

describe('a steady leak and a one-off in a real report', () => {
  let report: TrendReport;
  let iterations: IterationReport[];

  before(async () => {
    report = await makeTrendReport({ COLUMNS: '120' });
    [{ iterations } = { iterations: [] }] = readSavedReports(report.reportDirectory);
    const leaking = iterations.filter((it) => it.kind === 'leaks');
    assert.ok(leaking.length >= TREND_ITERATIONS - 1, `${leaking.length} leak iterations saved`);
    // What the program did, as saved: the facts the verdicts are checked against.
    const cacheIn = leaking.filter((it) => countOf(it, 'StartupCache') > 0).map((it) => it.iterationNumber);
    assert.equal(cacheIn.length, 1, `StartupCache leaked in one iteration (in ${cacheIn.join(', ')})`);
    assert.ok(cacheIn[0]! < leaking.at(-1)!.iterationNumber, 'and an iteration came after it');
    assert.ok(leaking.filter((it) => countOf(it, 'SteadyLeak') > 0).length >= 2 && countOf(leaking.at(-1)!, 'SteadyLeak') > 0);
  });

  test('--trend: the steady leak is growing, the one-off is not; counts per iteration as saved', async () => {
    const result = await runCli(['print', report.reportId, '--trend', '--report-directory', report.reportDirectory], { env: { COLUMNS: '120' } });
    assert.equal(result.code, 0, result.stderr);
    const out = result.stdout;
    const columns = header(out);
    const leaking = iterations.filter((it) => it.kind === 'leaks');
    assert.deepEqual(columns, ['Object Type', ...leaking.map((it) => `#${it.iterationNumber}`), 'Total', 'Trend', 'Verdict']);
    const steady = row(out, 'program.mjs:SteadyLeak');
    const cache = row(out, 'program.mjs:StartupCache');
    assert.equal(steady.at(-1), 'growing');
    assert.equal(cache.at(-1), 'one-off');
    for (const [cells, type] of [[steady, 'SteadyLeak'], [cache, 'StartupCache']] as const) {
      assert.deepEqual(cells.slice(1, 1 + leaking.length), leaking.map((it) => String(countOf(it, type))), type);
      assert.equal(cells.at(-3), String(leaking.reduce((sum, it) => sum + countOf(it, type), 0)));
      assert.equal([...cells.at(-2)!].length, leaking.length, 'one sparkline character per iteration');
    }
    assert.equal([...cache.at(-2)!].filter((c) => c !== NONE).length, 1, `one block in the one-off's sparkline: ${cache.at(-2)}`);
    assert.match(out, /^one-off: leaked in one iteration only/m);
    for (const line of out.split('\n')) assert.ok(line.length <= 120, `within 120 columns: ${line}`);
  });

  test('the live console report shows the trend so far: growing in the table, the one-off below it', () => {
    const last = lastIteration(report.stdout);
    const steady = row(last, 'program.mjs:SteadyLeak');
    assert.match(steady[2]!, /^[▁▂▃▄▅▆▇█·?]+ growing$/, `the Trend cell: ${steady[2]}`);
    assert.match(last, /Leaked before, none in this iteration: .*program\.mjs:StartupCache \(one-off [·█]+\)/);
    assert.doesNotMatch(last, /StartupCache[^\n]*growing/);
    // The zoo's budget: each iteration within 150 lines of 120 columns.
    for (const block of report.stdout.split('End of Memalot Report').slice(0, -1)) assert.ok(block.trim().split('\n').length <= 150);
    for (const line of report.stdout.split('\n')) assert.ok(line.length <= 120, `within 120 columns: ${line}`);
  });

  test('memalot print shows the Trend column as the live report showed it', async () => {
    const result = await runCli(['print', report.reportId, '--report-directory', report.reportDirectory], { env: { COLUMNS: '120' } });
    assert.equal(result.code, 0, result.stderr);
    const tableOf = (text: string) => text.slice(text.indexOf('Possible New Leaks'), text.indexOf('Trend: new objects'));
    assert.equal(tableOf(lastIteration(result.stdout)).replace(/\d\d:\d\d:\d\d/g, ''), tableOf(lastIteration(report.stdout)).replace(/\d\d:\d\d:\d\d/g, ''));
  });

  test('memalot print: an unreadable earlier iteration costs the Trend column, not the iteration asked for', async () => {
    const copy = copyReports(report.reportDirectory);
    const first = iterations.find((it) => it.kind === 'leaks')!.iterationNumber;
    writeFileSync(reportPath(copy, report.reportId, `iteration_report_${first}.json`), '{ not json');
    const result = await runCli(['print', report.reportId, '--report-directory', copy], { env: { COLUMNS: '120' } });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /Possible New Leaks \(iteration \d+\)/);
    assert.doesNotMatch(result.stdout, /Trend/);
    const trend = await runCli(['print', report.reportId, '--trend', '--report-directory', copy]);
    assert.equal(trend.code, 1, '--trend needs every iteration, and says which one it could not read');
    assert.match(trend.stderr, new RegExp(`iteration_report_${first}\\.json is corrupted`));
  });

  test('--trend --filter-types keeps the types asked for; --trend with --html is a usage error', async () => {
    const filtered = await runCli(['print', report.reportId, '--trend', '--filter-types', 'startupcache', '-d', report.reportDirectory]);
    assert.equal(filtered.code, 0, filtered.stderr);
    assert.equal(row(filtered.stdout, 'StartupCache').at(-1), 'one-off');
    assert.doesNotMatch(filtered.stdout, /SteadyLeak/);
    const both = await runCli(['print', report.reportId, '--trend', '--html', '-d', report.reportDirectory]);
    assert.equal(both.code, 2);
    assert.match(both.stderr, /^memalot: --trend and --html cannot be given together/);
  });
});
