// A summary that the monitor's type filters (includedTypeNames, excludedTypeNames) emptied says
// so, in the live report, in `memalot print` and in the MCP text, and the saved iteration
// carries what was left out: "No leaks found" there would hide real survivors. Function-based
// monitoring, so that the counts are exact.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeFilteredOut } from '../lib/report/filtered-out.js';
import { runProgram } from './helpers/child.js';
import { runCli } from './helpers/cli.js';
import { connectToServer, textOf } from './helpers/mcp-server.js';
import { readSavedReports } from './helpers/reports.js';

test('the sentence names the filters in force: included, excluded, or both', () => {
  const base = { objects: 7, types: 2, includedTypeNames: [], excludedTypeNames: [] };
  assert.equal(describeFilteredOut({ ...base, includedTypeNames: ['Leaky', 'odd,name'] }), '7 objects of 2 types survived; none of the included types (Leaky, "odd,name").');
  assert.equal(describeFilteredOut({ ...base, objects: 1, types: 1, excludedTypeNames: ['Temp'] }), '1 object of 1 type survived; all of the excluded types (Temp).');
  assert.equal(
    describeFilteredOut({ ...base, includedTypeNames: ['Row'], excludedTypeNames: ['src/'] }),
    '7 objects of 2 types survived; the type filters left them all out (included: Row; excluded: src/).',
  );
});

test('every survivor filtered out: the reports say how many survived and which filter hid them', async () => {
  const run = await runProgram(`
import { leakMonitor } from 'memalot';
class Row { constructor(i) { this.i = i; } }
class Note { constructor(i) { this.i = i; } }
const kept = [];
const importRows = leakMonitor(function importRows(n) {
  for (let i = 0; i < n; i++) kept.push(new Row(i));
}, { includedTypeNames: ['Session', 'odd,name'] });
const skipRows = leakMonitor(function skipRows(n) {
  for (let i = 0; i < n; i++) kept.push(new Row(i), new Note(i));
}, { excludedTypeNames: ['Row', 'Note'] });
const someRows = leakMonitor(function someRows(n) {
  for (let i = 0; i < n; i++) kept.push(new Row(i), new Note(i));
}, { excludedTypeNames: ['Note'] });
for (let c = 0; c < 3; c++) { importRows(7); skipRows(3); someRows(2); }
`);
  assert.equal(run.code, 0, run.stderr);
  const reports = new Map(readSavedReports(run.reportDirectory).map((r) => [r.summary.functionName, r]));
  const later = (name: string) => reports.get(name)!.iterations.filter((it) => it.kind === 'leaks');

  for (const it of later('importRows')) {
    assert.deepEqual(it.leakSummary.typeSummaries, []);
    assert.deepEqual(it.leakSummary.filteredOut, { objects: 7, types: 1, includedTypeNames: ['Session', 'odd,name'], excludedTypeNames: [] });
  }
  for (const it of later('skipRows')) {
    assert.deepEqual(it.leakSummary.filteredOut, { objects: 6, types: 2, includedTypeNames: [], excludedTypeNames: ['Row', 'Note'] });
  }
  // Some rows shown: what was left out is saved too.
  for (const it of later('someRows')) {
    assert.deepEqual(it.leakSummary.typeSummaries.map((s) => [s.objectType, s.count]), [['program.mjs:Row', 2]]);
    assert.deepEqual(it.leakSummary.filteredOut, { objects: 2, types: 1, includedTypeNames: [], excludedTypeNames: ['Note'] });
  }
  assert.equal(later('importRows').length, 2);
  assert.equal(later('skipRows').length, 2);

  // The live report.
  const included = '7 objects of 1 type survived; none of the included types (Session, "odd,name").';
  const excluded = '6 objects of 2 types survived; all of the excluded types (Row, Note).';
  assert.equal(run.stdout.split(included).length - 1, 2, run.stdout);
  assert.equal(run.stdout.split(excluded).length - 1, 2, run.stdout);
  assert.ok(!run.stdout.includes('No leaks found'), 'nothing says that nothing survived');

  // memalot print, from the saved report.
  const id = reports.get('importRows')!.summary.reportId;
  const printed = await runCli(['print', id, '-d', run.reportDirectory], { env: { NO_COLOR: '1' } });
  assert.equal(printed.code, 0, printed.stderr);
  assert.ok(printed.stdout.includes(included), printed.stdout);
  assert.ok(!printed.stdout.includes('No leaks found'));

  // The MCP tool's text.
  const server = await connectToServer(['--report-directory', run.reportDirectory]);
  try {
    const result = await server.client.callTool({ name: 'get_leak_report', arguments: { report_id: id } });
    const text = textOf(result as Parameters<typeof textOf>[0]);
    assert.ok(text.includes(`Hidden by the type filters, objects created during a call to importRows: ${included}`), text);
    assert.ok(!/No leaks/.test(text), text);
  } finally {
    await server.close();
  }
});
