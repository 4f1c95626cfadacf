// maxReportPause: how long one report may block the event loop. With a tiny cap, a report with
// many objects to detail is cut short and says so (saved and printed); without it, all are
// detailed; bad values are refused naming the option. Real programs, real heaps.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { resolveTimeBasedOptions } from '../lib/monitor/options.js';
import { iterationHeading } from '../lib/mcp/text/iteration-text.js';
import { runProgram } from './helpers/child.js';
import { readSavedReports } from './helpers/reports.js';
import { stopAfterIterationsSource } from './helpers/until-saved.js';

const CLASSES = 20;

function program(maxReportPause: string): string {
  const classes = Array.from({ length: CLASSES }, (_, i) => `class Held${i} { constructor(n) { this.n = n; } }`).join('\n');
  return `
import { startLeakMonitoring } from 'memalot';
${classes}
const kinds = [${Array.from({ length: CLASSES }, (_, i) => `Held${i}`).join(', ')}];
const keep = [];
const monitor = startLeakMonitoring({ maxObjectLifetime: 0.5, warmupPeriod: 0.5, maxObjectDetails: 20, maxReportPause: ${maxReportPause} });
const timer = setInterval(() => { for (const Kind of kinds) keep.push(new Kind(keep.length)); }, 10);
${stopAfterIterationsSource(3)}`;
}

/** The saved iterations that found survivors. */
function leakIterations(reportDirectory: string) {
  return readSavedReports(reportDirectory).flatMap((r) => r.iterations).filter((it) => it.kind === 'leaks' && it.leakSummary.typeSummaries.length > 0);
}

describe('maxReportPause', () => {
  test('a tiny cap cuts the details short, and the report says so', async () => {
    const run = await runProgram(program('0.000001'));
    assert.equal(run.code, 0, run.stderr);
    const leaks = leakIterations(run.reportDirectory);
    assert.ok(leaks.length > 0);
    for (const it of leaks) {
      assert.ok(it.detailsCutShort, JSON.stringify(it.objectDetails.length));
      assert.equal(it.detailsCutShort.maxReportPause, 0.000001);
      // The first object is always detailed; the others chosen were left out, and counted.
      assert.equal(it.objectDetails.length, 1);
      assert.ok(it.detailsCutShort.objectsLeftOut >= CLASSES - 1 - 1, String(it.detailsCutShort.objectsLeftOut));
      // The MCP server's text too.
      assert.match(iterationHeading(it), new RegExp(`details cut short at maxReportPause \\(0\\.000001 s\\): ${it.detailsCutShort.objectsLeftOut} chosen objects not detailed`));
    }
    assert.match(run.stdout, /Details cut short: this report reached maxReportPause \(.*\); \d+ objects chosen for details were not detailed\./);
  });

  test('without a cap every chosen object is detailed', async () => {
    const run = await runProgram(program('null'));
    assert.equal(run.code, 0, run.stderr);
    const leaks = leakIterations(run.reportDirectory);
    assert.ok(leaks.length > 0);
    for (const it of leaks) {
      assert.equal(it.detailsCutShort, undefined);
      assert.ok(it.objectDetails.length >= CLASSES - 1, String(it.objectDetails.length));
    }
    assert.doesNotMatch(run.stdout, /Details cut short/);
  });

  test('a cap that is not a positive number of seconds is refused, naming the option', () => {
    for (const bad of [0, -1, Number.NaN, '1', Number.POSITIVE_INFINITY]) {
      assert.throws(() => resolveTimeBasedOptions({ maxObjectLifetime: 1, maxReportPause: bad }), (error: Error) => {
        assert.ok(error instanceof TypeError || error instanceof RangeError);
        assert.match(error.message, /option "maxReportPause" must be a number greater than 0 and at most 2147483/);
        return true;
      });
    }
    assert.equal(resolveTimeBasedOptions({ maxObjectLifetime: 1, maxReportPause: 2.5 }).maxReportPause, 2.5);
    assert.equal(resolveTimeBasedOptions({ maxObjectLifetime: 1 }).maxReportPause, null);
  });
});
