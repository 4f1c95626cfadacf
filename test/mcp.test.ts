// `memalot mcp` end to end: the server started as an MCP client starts it, a child process on
// stdio, spoken to by the SDK's own Client, over a report that a real monitored program saved.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { readIterations } from '../lib/storage/report-reader.js';
import type { IterationReport, ObjectDetails } from '../lib/storage/schema.js';
import { editJson } from './helpers/damage.js';
import { connectToServer, spawnServer, textOf, type ConnectedServer } from './helpers/mcp-server.js';
import { ITERATIONS, makeMcpTestReport, WIDGET_CLASSES, type McpTestReport } from './helpers/mcp-report.js';
import { copyReports, reportPath } from './helpers/monitored-report.js';

const TOOLS = ['get_leak_report', 'get_leak_trend', 'list_leak_reports'];

/** The size the result budget counts. */
function resultSize(result: CallToolResult): number {
  return JSON.stringify(result.structuredContent).length + textOf(result).length;
}

/**
 * Each iteration shown is the saved one, with a prefix of its summary rows and some of its
 * object details in their order, and what is missing is counted in `cut`.
 */
function assertFaithfulCut(
  saved: readonly IterationReport[],
  shown: readonly IterationReport[],
  cut: Record<string, number> | undefined,
  summaryOnly = false,
): void {
  let rowsLeftOut = 0;
  let detailsLeftOut = 0;
  const byNumber = new Map(saved.map((it) => [it.iterationNumber, it]));
  for (const it of shown) {
    const original = byNumber.get(it.iterationNumber);
    assert.ok(original, `iteration ${it.iterationNumber} was saved`);
    const { typeSummaries, leaks, ...restOfSummary } = it.leakSummary;
    const { typeSummaries: savedRows, leaks: savedLeaks, ...restOfSaved } = original.leakSummary;
    assert.deepEqual(restOfSummary, restOfSaved);
    assert.deepEqual(typeSummaries, savedRows.slice(0, typeSummaries.length), 'the most common rows first');
    // The leaks go as saved with their holders' rows, or not at all when even the smallest
    // result is over the budget.
    const rowTypes = new Set(typeSummaries.map((row) => row.objectType));
    if (leaks !== undefined) assert.deepEqual(leaks, savedLeaks?.filter((leak) => rowTypes.has(leak.objectType)));
    if (summaryOnly) assert.deepEqual(it.objectDetails, []);
    let next = 0;
    for (const detail of it.objectDetails) {
      while (next < original.objectDetails.length && original.objectDetails[next]!.objectId !== detail.objectId) next++;
      assert.deepEqual(detail, original.objectDetails[next], 'details as saved, in order');
      next++;
    }
    assert.deepEqual({ ...it, leakSummary: original.leakSummary, objectDetails: original.objectDetails }, original);
    rowsLeftOut += savedRows.length - typeSummaries.length;
    if (!summaryOnly) detailsLeftOut += original.objectDetails.length - it.objectDetails.length;
  }
  assert.equal(cut?.['summaryRowsLeftOut'] ?? 0, rowsLeftOut);
  assert.equal(cut?.['objectDetailsLeftOut'] ?? 0, detailsLeftOut);
}

/** An object detail as the monitor saves it: the object, what holds it, down to a module variable. */
function objectDetail(objectTypeName: string, objectId: number): ObjectDetails {
  return {
    objectTypeName,
    objectId,
    objectStr: `${objectTypeName.split(':').pop()} { i: ${objectId}, topic: 'topic-${objectId}' }`,
    retainedSizeBytes: 96,
    referrerGraph: {
      targetIds: ['target'],
      rootIds: ['module'],
      nodes: [
        { id: 'target', name: `${objectTypeName} (object)`, objectId, referentIds: [] },
        { id: 'element', name: `Array element [${objectId}]`, objectId: 7001, referentIds: ['target'] },
        { id: 'array', name: 'Array (object)', objectId: 7001, referentIds: ['element'] },
        { id: 'module', name: 'subscriptions (module variable of program.mjs)', objectId: 7001, referentIds: ['array'] },
      ],
    },
    referrersChecked: true,
  };
}

describe('memalot mcp', () => {
  let report: McpTestReport;
  let saved: IterationReport[];
  let server: ConnectedServer;

  const call = async (name: string, args: Record<string, unknown>, on = server): Promise<CallToolResult> =>
    (await on.client.callTool({ name, arguments: args })) as CallToolResult;

  before(async () => {
    report = await makeMcpTestReport();
    saved = readIterations(report.reportDirectory, report.reportId, ITERATIONS);
    server = await connectToServer(['--report-directory', report.reportDirectory]);
    // The client checks structured content against the output schemas it learnt here.
    await server.client.listTools();
  });

  after(async () => {
    await server?.close();
  });

  test('initializes as memalot and lists three read-only tools with input and output schemas', async () => {
    assert.equal(server.client.getServerVersion()?.name, 'memalot');
    assert.match(server.client.getInstructions() ?? '', /list_leak_reports/);
    const { tools } = await server.client.listTools();
    assert.deepEqual(tools.map((t) => t.name).sort(), TOOLS);
    for (const tool of tools) {
      assert.equal(tool.annotations?.readOnlyHint, true, tool.name);
      assert.equal(tool.annotations?.destructiveHint, false, tool.name);
      assert.equal(tool.inputSchema.type, 'object');
      assert.equal(tool.outputSchema?.type, 'object', `${tool.name} declares its structured content`);
      assert.ok((tool.description ?? '').length > 50, `${tool.name} says what it is for`);
    }
    const byName = new Map(tools.map((t) => [t.name, t]));
    assert.deepEqual(Object.keys(byName.get('list_leak_reports')!.inputSchema.properties ?? {}).sort(), ['num_reports', 'report_directory']);
    assert.deepEqual(Object.keys(byName.get('get_leak_report')!.inputSchema.properties ?? {}).sort(), [
      'filter_types',
      'num_iterations',
      'report_directory',
      'report_id',
      'summary_only',
    ]);
    assert.deepEqual(byName.get('get_leak_report')!.inputSchema.required, ['report_id']);
    assert.deepEqual(Object.keys(byName.get('get_leak_trend')!.inputSchema.properties ?? {}).sort(), ['report_directory', 'report_id', 'type']);
  });

  test('list_leak_reports: the report with its ID, iterations, start time, entrypoint and arguments', async () => {
    const result = await call('list_leak_reports', {});
    assert.equal(result.isError, undefined, textOf(result));
    const structured = result.structuredContent as { reportDirectory: string; reports: Record<string, unknown>[]; moreReports: boolean };
    assert.equal(structured.reportDirectory, report.reportDirectory);
    assert.equal(structured.moreReports, false);
    assert.equal(structured.reports.length, 1);
    const [listed] = structured.reports;
    assert.equal(listed?.['reportId'], report.reportId);
    assert.equal(listed?.['iterationCount'], ITERATIONS);
    assert.equal(listed?.['entrypoint'], `${report.programDirectory}/program.mjs`);
    assert.deepEqual(listed?.['arguments'], ['--port', '8080']);
    assert.equal(listed?.['mode'], 'time');
    assert.ok(!Number.isNaN(Date.parse(String(listed?.['startTime']))));
    const text = textOf(result);
    assert.match(text, new RegExp(`${report.reportId} .*${ITERATIONS} iterations.*program\\.mjs --port 8080`));

    // The directory a call names, newest first, and a limit that leaves some out.
    const copy = copyReports(report.reportDirectory);
    const { cloneReport } = await import('./helpers/damage.js');
    cloneReport(copy, report.reportId, 'aaaa-0001', '2020-01-01T00:00:00.000Z');
    const two = await call('list_leak_reports', { report_directory: copy, num_reports: 1 });
    const twoStructured = two.structuredContent as { reports: { reportId: string }[]; moreReports: boolean };
    assert.deepEqual(twoStructured.reports.map((r) => r.reportId), [report.reportId]);
    assert.equal(twoStructured.moreReports, true);
    assert.match(textOf(two), /older reports exist: ask with a larger num_reports/);
  });

  test('get_leak_report: the newest iteration by default, as saved, with a compact text form', async () => {
    const result = await call('get_leak_report', { report_id: report.reportId });
    assert.equal(result.isError, undefined, textOf(result));
    const structured = result.structuredContent as { iterations: IterationReport[]; iterationCount: number; cut?: Record<string, number>; notes: string[] };
    assert.equal(structured.iterationCount, ITERATIONS);
    assert.deepEqual(structured.iterations.map((it) => it.iterationNumber), [ITERATIONS]);
    assertFaithfulCut(saved, structured.iterations, structured.cut);
    const [newest] = structured.iterations;
    assert.ok(newest?.leakSummary.typeSummaries.some((row) => row.objectType === 'program.mjs:OrphanedSubscription'));
    const text = textOf(result);
    assert.match(text, new RegExp(`^Report ${report.reportId}: .*program\\.mjs --port 8080; time-based, maxObjectLifetime 1 s`));
    assert.match(text, new RegExp(`Iteration ${ITERATIONS} \\(leaks\\)`));
    assert.match(text, /^ +\d+ {2}program\.mjs:OrphanedSubscription( \(.*\))?$/m);
    assert.ok(!/[┏┃│╭]/.test(text), 'no box drawing in the compact form');

    const all = await call('get_leak_report', { report_id: report.reportId, num_iterations: 100 });
    const allStructured = all.structuredContent as { iterations: IterationReport[]; cut?: Record<string, number> };
    assert.deepEqual(allStructured.iterations.map((it) => it.iterationNumber), [1, 2, 3, 4, 5]);
    assertFaithfulCut(saved, allStructured.iterations, allStructured.cut);
    assert.match(textOf(all), /Iteration 1 \(warm-up\)[^\n]*\nWarm-up: nothing is reported/);
  });

  test('get_leak_report: filter_types selects types by part of their name, summary_only drops object details', async () => {
    const result = await call('get_leak_report', { report_id: report.reportId, num_iterations: 5, filter_types: ['Widget1', 'StartupCache'] });
    const structured = result.structuredContent as { iterations: IterationReport[]; filterTypes: string[] };
    assert.deepEqual(structured.filterTypes, ['Widget1', 'StartupCache']);
    const types = new Set(structured.iterations.flatMap((it) => it.leakSummary.typeSummaries.map((row) => row.objectType)));
    assert.ok(types.has('program.mjs:StartupCache'), [...types].join());
    assert.ok(types.has('program.mjs:Widget1') && types.has('program.mjs:Widget12'), 'a substring of the name');
    assert.ok([...types].every((t) => t.includes('Widget1') || t.includes('StartupCache')), [...types].join());

    const summaryOnly = await call('get_leak_report', { report_id: report.reportId, num_iterations: 5, summary_only: true });
    const summaryStructured = summaryOnly.structuredContent as { iterations: IterationReport[]; summaryOnly: boolean };
    assert.equal(summaryStructured.summaryOnly, true);
    assert.ok(summaryStructured.iterations.every((it) => it.objectDetails.length === 0));
    assert.ok(!textOf(summaryOnly).includes('Object details'));
    assert.ok(textOf(result).includes('Object details'), 'without summary_only, the details are there');

    const none = await call('get_leak_report', { report_id: report.reportId, filter_types: ['orphanedsubscription'] });
    assert.equal(none.isError, undefined);
    assert.match(textOf(none), /No summary row or object detail matches filter_types \["orphanedsubscription"\] .*case-sensitively.*program\.mjs:OrphanedSubscription/);
  });

  test('get_leak_trend: a growing leak, a one-off, counts per iteration', async () => {
    const result = await call('get_leak_trend', { report_id: report.reportId });
    assert.equal(result.isError, undefined, textOf(result));
    const structured = result.structuredContent as {
      iterationNumbers: number[];
      warmupIterations: number[];
      types: { objectType: string; pattern: string; counts: (number | null)[]; total: number; iterationsWithLeaks: number }[];
    };
    assert.deepEqual(structured.iterationNumbers, [2, 3, 4, 5]);
    assert.deepEqual(structured.warmupIterations, [1]);
    const trend = new Map(structured.types.map((t) => [t.objectType, t]));
    const subscriptions = trend.get('program.mjs:OrphanedSubscription');
    assert.equal(subscriptions?.pattern, 'growing');
    assert.equal(subscriptions.counts.length, 4);
    assert.ok(subscriptions.counts.every((c) => c !== null && c >= 20), String(subscriptions.counts));
    assert.equal(subscriptions.total, subscriptions.counts.reduce<number>((a, c) => a + (c ?? 0), 0));
    const cache = trend.get('program.mjs:StartupCache');
    assert.equal(cache?.pattern, 'one-off');
    assert.equal(cache.total, 50);
    assert.equal(cache.iterationsWithLeaks, 1);
    assert.equal(structured.types[0]?.pattern, 'growing', 'growing leaks first');
    const text = textOf(result);
    assert.match(text, /^growing {2}program\.mjs:OrphanedSubscription: \d+ \d+ \d+ \d+ \(total \d+, in 4 of 4 iterations\)$/m);
    assert.match(text, /^one-off {2}program\.mjs:StartupCache: [0 ]*50[0 ]* \(total 50, in 1 of 4 iterations\)$/m);
    assert.match(text, /one-off = leaked in one iteration only/);

    const one = await call('get_leak_trend', { report_id: report.reportId, type: 'Widget3' });
    const oneStructured = one.structuredContent as { types: { objectType: string }[]; typeFilter: string };
    assert.equal(oneStructured.typeFilter, 'Widget3');
    assert.deepEqual(oneStructured.types.map((t) => t.objectType).sort(), ['program.mjs:Widget3', 'program.mjs:Widget30', 'program.mjs:Widget31', 'program.mjs:Widget32', 'program.mjs:Widget33', 'program.mjs:Widget34', 'program.mjs:Widget35', 'program.mjs:Widget36', 'program.mjs:Widget37', 'program.mjs:Widget38', 'program.mjs:Widget39']);
  });

  test('object details: referrer graphs as structured content and as an indented tree; a large report is cut with a way to ask for the rest', async () => {
    const copy = copyReports(report.reportDirectory);
    const file = reportPath(copy, report.reportId, `iteration_report_${ITERATIONS}.json`);
    // One object held twice by the same holder: the holder is written once, then named.
    const diamond = objectDetail('program.mjs:Diamond', 9999);
    diamond.referrerGraph = {
      targetIds: ['target'],
      rootIds: ['holder'],
      nodes: [
        { id: 'target', name: 'Diamond (object)', objectId: 9999, referentIds: [] },
        { id: 'left', name: 'left', objectId: 9001, referentIds: ['target'] },
        { id: 'right', name: 'right', objectId: 9001, referentIds: ['target'] },
        { id: 'holder', name: 'Holder (object)', objectId: 9000, referentIds: ['left', 'right'] },
      ],
    };
    const details = [
      diamond,
      ...Array.from({ length: 150 }, (_, i) => objectDetail('program.mjs:OrphanedSubscription', 10_000 + i)),
      ...Array.from({ length: 50 }, (_, i) => objectDetail('program.mjs:Widget3', 20_000 + i)),
    ];
    editJson(file, (json) => (json['objectDetails'] = details));
    const inflated = readIterations(copy, report.reportId, ITERATIONS);

    const result = await call('get_leak_report', { report_id: report.reportId, report_directory: copy });
    assert.equal(result.isError, undefined, textOf(result));
    assert.ok(resultSize(result) <= 60_000, `within the budget: ${resultSize(result)}`);
    const structured = result.structuredContent as { iterations: IterationReport[]; cut?: Record<string, number>; notes: string[] };
    assert.ok(structured.cut, 'cut');
    assert.equal(structured.cut['iterationsLeftOut'], 0);
    assert.equal(structured.cut['summaryRowsLeftOut'], 0, 'summary rows go in before object details');
    assert.ok(structured.cut['objectDetailsLeftOut']! > 0);
    assertFaithfulCut(inflated, structured.iterations, structured.cut);
    const text = textOf(result);
    const [note] = structured.notes;
    assert.match(note ?? '', /^Cut to fit the client's limit .*left out \d+ object details \(program\.mjs:OrphanedSubscription \d+/);
    assert.match(note ?? '', /filter_types=\["program\.mjs:OrphanedSubscription"\]/);
    assert.ok(text.split('\n').slice(0, 3).includes(note!), 'the note comes first in the text');
    assert.match(
      text,
      /^Object details, one trace per cluster of objects held the same way[^\n]*:\n {2}program\.mjs:Diamond @9999, retains 96 B: Diamond \{ i: 9999, topic: 'topic-9999' \}\n {4}← left\n {4}← Holder \(object\) \[root\]$/m,
    );
    // The subscriptions shown are one cluster: one trace (the label stands for its Array), and how many more.
    const shownSubscriptions = structured.iterations[0]!.objectDetails.filter((d) => d.objectTypeName === 'program.mjs:OrphanedSubscription').length;
    assert.ok(shownSubscriptions > 1);
    assert.match(
      text,
      new RegExp(
        `^ {2}program\\.mjs:OrphanedSubscription @10000 and ${shownSubscriptions - 1} more with this path, retains 96 B \\(all ${shownSubscriptions}: [\\d.]+ KiB\\): ` +
          "OrphanedSubscription \\{ i: 10000, topic: 'topic-10000' \\}\\n {4}← Array element \\[10000\\]\\n {4}← subscriptions \\(module variable of program\\.mjs\\) \\[root\\]$",
        'm',
      ),
    );
    assert.equal(text.match(/← subscriptions \(module variable/g)?.length, 1, 'one trace for the cluster');

    // As the note says: one type's details fit.
    const widgets = await call('get_leak_report', { report_id: report.reportId, report_directory: copy, filter_types: ['Widget3'] });
    const widgetStructured = widgets.structuredContent as { iterations: IterationReport[]; cut?: Record<string, number> };
    assert.equal(widgetStructured.cut, undefined, textOf(widgets).slice(0, 500));
    assert.equal(widgetStructured.iterations[0]?.objectDetails.length, 50);
  });

  test('a referrer graph too large for a result is shortened: the first path to a root stays, a limit node counts the rest', async () => {
    const copy = copyReports(report.reportDirectory);
    const file = reportPath(copy, report.reportId, `iteration_report_${ITERATIONS}.json`);
    const huge = objectDetail('program.mjs:OrphanedSubscription', 10_000);
    const chain = Array.from({ length: 20 }, (_, k) => ({
      id: `chain${k}`,
      name: k === 19 ? 'registry (module variable of program.mjs)' : `Holder.next (property) ${k}`,
      objectId: 8000 + k,
      referentIds: [k === 0 ? 'target' : `chain${k - 1}`],
    }));
    const crowd = Array.from({ length: 3000 }, (_, k) => ({
      id: `crowd${k}`,
      name: `Listener.subscription (property) of listener number ${k}`,
      objectId: 50_000 + k,
      referentIds: ['target'],
    }));
    huge.referrerGraph = {
      targetIds: ['target'],
      rootIds: ['chain19'],
      nodes: [{ id: 'target', name: 'OrphanedSubscription (object)', objectId: 10_000, referentIds: [] }, ...chain, ...crowd],
    };
    editJson(file, (json) => (json['objectDetails'] = [huge]));

    const result = await call('get_leak_report', { report_id: report.reportId, report_directory: copy });
    assert.equal(result.isError, undefined, textOf(result));
    assert.ok(resultSize(result) <= 60_000, `within the budget: ${resultSize(result)}`);
    const structured = result.structuredContent as { iterations: IterationReport[]; cut?: Record<string, number>; notes: string[] };
    assert.equal(structured.cut?.['referrerGraphsShortened'], 1);
    assert.equal(structured.cut?.['objectDetailsLeftOut'], 0);
    const graph = structured.iterations[0]?.objectDetails[0]?.referrerGraph;
    assert.ok(graph);
    const ids = new Set(graph.nodes.map((n) => n.id));
    assert.ok(chain.every((n) => ids.has(n.id)), 'the first path to a root is whole');
    assert.deepEqual(graph.rootIds, ['chain19']);
    const limit = graph.nodes.find((n) => n.objectId === null);
    const kept = graph.nodes.length - 1;
    assert.equal(limit?.name, `${huge.referrerGraph.nodes.length - kept} more referrers left out to fit the client's limit`);
    assert.deepEqual(limit.referentIds, ['target'], 'it holds the node whose referrers were cut');
    assert.ok(graph.nodes.every((n) => n.referentIds.every((id) => ids.has(id))), 'no edge leads out of the graph');
    assert.ok(kept > 40 && JSON.stringify(graph).length <= 60_000 / 5, `a fair share: ${kept} nodes`);
    assert.match(structured.notes.join('\n'), /left out part of the referrer graphs of 1 object detail .*The rest does not fit in one result\./);
    // The text shows the trace: the shortest path to the root, whole.
    assert.match(textOf(result), /\n {4}← Holder\.next \(property\) 18\n {4}← registry \(module variable of program\.mjs\) \[root\]$/m);
  });

  test('a smaller budget (MEMALOT_MCP_MAX_RESULT_CHARS) cuts old iterations and summary rows, never past the budget', async () => {
    const small = await connectToServer(['--report-directory', report.reportDirectory], { MEMALOT_MCP_MAX_RESULT_CHARS: '6000' });
    try {
      await small.client.listTools();
      const result = await call('get_leak_report', { report_id: report.reportId, num_iterations: ITERATIONS, summary_only: true }, small);
      assert.equal(result.isError, undefined, textOf(result));
      assert.ok(resultSize(result) <= 6000, `within the budget: ${resultSize(result)}`);
      const structured = result.structuredContent as { iterations: IterationReport[]; cut?: Record<string, number>; notes: string[] };
      assert.ok(structured.cut, 'cut');
      assert.ok(structured.cut['iterationsLeftOut']! + structured.cut['summaryRowsLeftOut']! > 0);
      assert.equal(structured.iterations.at(-1)?.iterationNumber, ITERATIONS, 'the newest iteration is kept');
      assertFaithfulCut(saved, structured.iterations, structured.cut, true);
      assert.match(structured.notes.join('\n'), /left out .*(summary rows|oldest iteration)/);

      const trend = await call('get_leak_trend', { report_id: report.reportId }, small);
      assert.ok(resultSize(trend) <= 6000, `within the budget: ${resultSize(trend)}`);
      const trendStructured = trend.structuredContent as { types: unknown[]; cut?: { typesLeftOut: number } };
      assert.ok(trendStructured.cut !== undefined && trendStructured.cut.typesLeftOut > 0);
      assert.equal(trendStructured.types.length + trendStructured.cut.typesLeftOut >= WIDGET_CLASSES + 2, true);
    } finally {
      await small.close();
    }
  });

  test('bad arguments are tool errors that say what to do, and the server answers on', async () => {
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ['list_leak_reports', { num_reports: 0 }, /num_reports must be a whole number from 1 to 100/],
      ['list_leak_reports', { num_reports: 'five' }, /num_reports must be a whole number from 1 to 100/],
      ['get_leak_report', { report_id: report.reportId, num_iterations: '3' }, /num_iterations must be a whole number from 1 to 100/],
      ['get_leak_report', { report_id: report.reportId, num_iterations: 1.5 }, /num_iterations must be a whole number/],
      ['get_leak_report', { report_id: report.reportId, filter_types: 'Widget' }, /filter_types must be a list of strings/],
      ['get_leak_report', { report_id: report.reportId, summary_only: 'yes' }, /summary_only must be true or false/],
      ['get_leak_report', { report_id: report.reportId, num_iteration: 2 }, /num_iteration/],
      ['get_leak_report', {}, /report_id is required: the ID of a report.*list_leak_reports/],
      ['get_leak_report', { report_id: 42 }, /report_id must be a string/],
      ['get_leak_report', { report_id: '../x' }, /report_id must be 4 letters or digits, a hyphen and 4 more.*list_leak_reports/],
      ['get_leak_trend', { report_id: 'k3x9-0qpa/../..' }, /report_id must be 4 letters or digits.*list_leak_reports/],
      ['get_leak_report', { report_id: 'zzzz-9999' }, /no report zzzz-9999 in .*list_leak_reports/],
      ['get_leak_trend', { report_id: 'zzzz-9999' }, /no report zzzz-9999 in .*list_leak_reports/],
      ['get_leak_trend', { report_id: report.reportId, type: ['Widget'] }, /type must be a string/],
      ['list_leak_reports', { report_directory: '/nonexistent/memalot' }, /no report directory at \/nonexistent\/memalot.*report_directory/],
      ['get_leak_report', { report_id: report.reportId, report_directory: '/nonexistent/memalot' }, /no report directory at \/nonexistent\/memalot/],
      ['no_such_tool', {}, /no_such_tool not found/],
    ];
    for (const [tool, args, message] of cases) {
      const result = await call(tool, args);
      assert.equal(result.isError, true, `${tool} ${JSON.stringify(args)}: ${JSON.stringify(result)}`);
      assert.match(textOf(result), message, `${tool} ${JSON.stringify(args)}`);
      assert.equal(result.structuredContent, undefined);
    }
    const after = await call('list_leak_reports', {});
    assert.equal(after.isError, undefined, 'still answering');
  });

  test('a corrupted iteration file is a tool error naming the file; the report is still listed', async () => {
    const copy = copyReports(report.reportDirectory);
    const file = reportPath(copy, report.reportId, `iteration_report_${ITERATIONS}.json`);
    writeFileSync(file, readFileSync(file, 'utf8').slice(0, 100));
    for (const tool of ['get_leak_report', 'get_leak_trend']) {
      const result = await call(tool, { report_id: report.reportId, report_directory: copy });
      assert.equal(result.isError, true, tool);
      assert.match(textOf(result), new RegExp(`iteration_report_${ITERATIONS}\\.json is corrupted: it is not valid JSON`), tool);
    }
    const listed = await call('list_leak_reports', { report_directory: copy });
    assert.equal(listed.isError, undefined);
    assert.match(textOf(listed), new RegExp(report.reportId));
  });

  test('stdout carries JSON-RPC only: a malformed line is logged on stderr and the next request is answered', async () => {
    // No --report-directory: the server reads where MEMALOT_REPORT_DIR says.
    const child = spawnServer([], { MEMALOT_REPORT_DIR: report.reportDirectory });
    let stdout = '';
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const answered = new Promise<void>((resolve) => {
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        stdout += chunk;
        if (stdout.split('\n').some((line) => line.includes('"id":3'))) resolve();
      });
    });
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    const send = (line: string) => child.stdin.write(`${line}\n`);
    send(
      JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
      }),
    );
    send(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }));
    send('{"jsonrpc": "2.0", "id": 2, "method": tools/list');
    send('"not a message"');
    send(JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'list_leak_reports', arguments: {} } }));
    await answered;
    child.stdin.end();
    assert.equal(await exited, 0, 'the server ends when the client closes stdin');

    const messages = stdout
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as { jsonrpc: string; id?: number; result?: { structuredContent?: { reports: { reportId: string }[] } } });
    assert.ok(messages.every((m) => m.jsonrpc === '2.0'), stdout);
    assert.deepEqual(messages.map((m) => m.id), [1, 3]);
    assert.equal(messages[1]?.result?.structuredContent?.reports[0]?.reportId, report.reportId);
    assert.match(stderr, /memalot mcp: serving the reports in /);
    assert.match(stderr, /^memalot mcp: skipped a line that is not JSON \(.*\)$/m, 'the malformed line is logged');
    assert.match(stderr, /^memalot mcp: skipped a JSON line that is not a JSON-RPC 2\.0 message$/m);
  });
});
