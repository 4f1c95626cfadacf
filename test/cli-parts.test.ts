// The CLI's small parts on their own: progress on a terminal, the report filter, the settings
// table. (The commands themselves are tested through the real executable.)
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { encodeNames, MONITORING_SETTINGS, misspeltVariables, monitoringOptionsFrom, SettingError } from '../lib/cli/monitoring-settings.js';
import { Progress } from '../lib/cli/progress.js';
import { filterIteration } from '../lib/cli/report-filter.js';
import { TIME_BASED_KEYS } from '../lib/monitor/options.js';
import type { IterationReport } from '../lib/storage/schema.js';
import { binFile, cleanEnv } from './helpers/cli.js';
import { DEFAULT_TIMEOUT_MS, makeProjectDir } from './helpers/child.js';
import { makeMonitoredReport } from './helpers/monitored-report.js';
import { readSavedReports } from './helpers/reports.js';
import { iterationsSource, untilSavedSource } from './helpers/until-saved.js';

test('progress is drawn in place on a terminal, erased when done, and absent elsewhere', () => {
  const written: string[] = [];
  // Its own clock: how fast this machine runs the lines below must not matter.
  let clock = 1_000;
  const tty = new Progress({ isTTY: true, write: (t: string) => written.push(t) }, () => clock);
  tty.update('reading 1 of 3');
  clock += 99;
  tty.update('reading 2 of 3'); // too soon after the first: not redrawn
  tty.update('reading 3 of 3', true);
  clock += 100;
  tty.update('reading 3 of 3, again');
  tty.done();
  tty.done();
  assert.deepEqual(written, ['\r\u001b[2Kreading 1 of 3', '\r\u001b[2Kreading 3 of 3', '\r\u001b[2Kreading 3 of 3, again', '\r\u001b[2K']);
  const piped: string[] = [];
  const pipe = new Progress({ isTTY: false, write: (t: string) => piped.push(t) });
  pipe.update('reading 1 of 3', true);
  pipe.done();
  assert.deepEqual(piped, []);
});

const iteration: IterationReport = {
  reportId: 'abcd-efgh',
  iterationNumber: 2,
  kind: 'leaks',
  startTime: '2026-01-01T00:00:02.000Z',
  endTime: '2026-01-01T00:00:03.000Z',
  memoryUsage: { rssBytes: 1, heapUsedBytes: 1, rssChangeBytes: null, heapUsedChangeBytes: null, peakRssBytes: 1, systemMemoryBytes: 2 },
  leakSummary: {
    typeSummaries: [
      { objectType: 'src/session.js:Session', count: 5 },
      { objectType: 'Map', count: 3 },
      { objectType: 'string', count: 2 },
    ],
    maxTypesInSummary: 500,
    totalTypes: 3,
  },
  objectDetails: [
    { objectTypeName: 'src/session.js:Session', objectId: 1, objectStr: 'Session {}', retainedSizeBytes: 10, referrerGraph: null, referrersChecked: false },
    { objectTypeName: 'Map', objectId: 2, objectStr: 'Map(0) {}', retainedSizeBytes: 10, referrerGraph: null, referrersChecked: false },
  ],
};

test('the filter keeps the types that contain a name, in any case, and can drop the details', () => {
  const sessions = filterIteration(iteration, { types: ['SESSION', 'nothing'] });
  assert.deepEqual(sessions.leakSummary.typeSummaries.map((s) => s.objectType), ['src/session.js:Session']);
  assert.equal(sessions.leakSummary.totalTypes, 1, 'an uncut summary stays uncut');
  assert.deepEqual(sessions.objectDetails.map((d) => d.objectId), [1]);
  assert.deepEqual(filterIteration(iteration, { summaryOnly: true }).objectDetails, []);
  assert.deepEqual(filterIteration(iteration, {}), iteration);
  const cut = { ...iteration, leakSummary: { ...iteration.leakSummary, maxTypesInSummary: 3, totalTypes: 9 } };
  assert.equal(filterIteration(cut, { types: ['map'] }).leakSummary.totalTypes, 9, 'a cut summary keeps its note');
  assert.equal(iteration.leakSummary.typeSummaries.length, 3, 'the report itself is unchanged');
});

test('every time-based option a command line can give has a flag and a variable', () => {
  const functions = ['outputFunc', 'strFunc', 'teeConsole'];
  const expected = TIME_BASED_KEYS.filter((k) => !functions.includes(k)).sort();
  assert.deepEqual(MONITORING_SETTINGS.map((s) => s.option).sort(), expected);
  for (const s of MONITORING_SETTINGS) assert.match(s.variable, /^MEMALOT_[A-Z_]+$/);
});

test('names travel in one variable, commas included', () => {
  const env = { MEMALOT_INCLUDED_TYPE_NAMES: encodeNames(['a,b', 'c']), MEMALOT_EXCLUDED_TYPE_NAMES: encodeNames(['x', 'y']) };
  assert.equal(env.MEMALOT_EXCLUDED_TYPE_NAMES, 'x,y');
  const options = monitoringOptionsFrom(env);
  assert.deepEqual([options.includedTypeNames, options.excludedTypeNames], [['a,b', 'c'], ['x', 'y']]);
  assert.throws(() => monitoringOptionsFrom({ MEMALOT_STR_MAX_LENGTH: '0' }), (e: unknown) => e instanceof SettingError && e.setting.option === 'strMaxLength');
  assert.deepEqual(misspeltVariables({ MEMALOT_WARMUP_PERIOD: '1', MEMALOT_WARMUP_PERIDO: '1', MEMALOT_NODE_CACHE: '/x' }), [
    { variable: 'MEMALOT_WARMUP_PERIDO', suggestion: 'MEMALOT_WARMUP_PERIOD' },
  ]);
});

/** `script` gives a command a terminal (util-linux); where it is missing the test is skipped. */
const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;

test('on a terminal: colours, and progress on stderr while iterations are read', { skip: !hasScript && 'no `script` command for a terminal' }, async () => {
  const { reportDirectory, reportId } = await makeMonitoredReport(3);
  const command = [process.execPath, binFile, 'print', reportId, '-d', reportDirectory, '-n', '3'].map((a) => JSON.stringify(a)).join(' ');
  const result = spawnSync('script', ['-qec', command, '/dev/null'], { encoding: 'utf8', env: cleanEnv(), timeout: DEFAULT_TIMEOUT_MS });
  assert.equal(result.status, 0, result.stderr);
  assert.ok(result.stdout.includes(`\r\u001b[2Kmemalot: reading iteration 1 of 3 of report ${reportId}…`), 'progress drawn');
  assert.ok(result.stdout.includes('\u001b[1m'), 'styled for the terminal');
  assert.match(result.stdout, /End of Memalot Report \(iteration 3\)/);
});

test('on a terminal, `memalot run` ends by saying where the report is', { skip: !hasScript && 'no `script` command for a terminal' }, () => {
  const project = makeProjectDir();
  const reports = join(project, 'reports');
  // It works until a report after the warm-up is saved, however long a busy machine takes.
  writeFileSync(join(project, 'program.mjs'), `${untilSavedSource(reports)}
const kept = [];
const timer = setInterval(() => kept.push({ n: kept.length }), 20);
untilSaved(${iterationsSource(1)}, () => clearInterval(timer));
`);
  const command = [process.execPath, binFile, 'run', '--max-object-lifetime', '0.3', '--warmup-period', '0.1', '--max-object-details', '0', '-d', reports, 'program.mjs']
    .map((a) => JSON.stringify(a))
    .join(' ');
  const result = spawnSync('script', ['-qec', command, '/dev/null'], { cwd: project, encoding: 'utf8', env: cleanEnv(), timeout: DEFAULT_TIMEOUT_MS });
  assert.equal(result.status, 0, result.stdout);
  const [report] = readSavedReports(reports);
  assert.ok(report);
  const n = report.iterations.length;
  assert.ok(
    result.stdout.includes(`memalot: report ${report.summary.reportId} (${n} iteration${n === 1 ? '' : 's'}); see it again with: memalot print ${report.summary.reportId} --report-directory ${JSON.stringify(reports)}`),
    result.stdout,
  );
});
