// Reading saved reports back (lib/storage/report-reader.ts): a real report saved by a real
// monitored program, then copies of it damaged in each way a reader must survive.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import {
  defaultReportDirectory,
  listReports,
  loadReport,
  readIterations,
  ReportReadError,
  type ReportReadProblem,
} from '../lib/storage/report-reader.js';
import { cloneReport, editJson } from './helpers/damage.js';
import { copyReports, makeMonitoredReport, reportPath, type MonitoredReport } from './helpers/monitored-report.js';

function throwsProblem(action: () => unknown, problem: ReportReadProblem, message: RegExp): void {
  assert.throws(action, (error: unknown) => {
    assert.ok(error instanceof ReportReadError, `a ReportReadError, not ${String(error)}`);
    assert.equal(error.problem, problem, error.message);
    assert.match(error.message, message);
    assert.ok(!error.message.includes('\n'), 'one line');
    return true;
  });
}

describe('reading saved reports', () => {
  let real: MonitoredReport;
  before(async () => {
    real = await makeMonitoredReport(3);
  });

  test('lists, loads and reads a real report', () => {
    const [listed, ...others] = listReports(real.reportDirectory);
    assert.deepEqual(others, []);
    assert.ok(listed);
    assert.equal(listed.reportId, real.reportId);
    assert.equal(listed.iterations, 3);
    assert.equal(listed.mode, 'time');
    assert.equal(listed.entrypoint, join(real.programDirectory, 'program.mjs'));
    assert.deepEqual(listed.arguments, ['--port', '8080']);
    assert.ok(listed.startTime !== null && !Number.isNaN(Date.parse(listed.startTime)));
    assert.equal(listed.problem, undefined);

    const loaded = loadReport(real.reportDirectory, real.reportId);
    assert.deepEqual(loaded.iterationNumbers, [1, 2, 3]);
    assert.equal(loaded.summary.reportId, real.reportId);

    const seen: string[] = [];
    const last = readIterations(real.reportDirectory, real.reportId, 2, (read, total) => seen.push(`${read}/${total}`));
    assert.deepEqual(last.map((it) => it.iterationNumber), [2, 3]);
    assert.deepEqual(seen, ['1/2', '2/2']);
    assert.deepEqual(last[1], JSON.parse(readFileSync(reportPath(real.reportDirectory, real.reportId, 'iteration_report_3.json'), 'utf8')));
    assert.deepEqual(readIterations(real.reportDirectory, real.reportId, 50).map((it) => it.iterationNumber), [1, 2, 3]);
    assert.deepEqual(readIterations(real.reportDirectory, real.reportId, 0), []);
  });

  test('newest first, at most the limit; an empty directory has none', () => {
    const dir = copyReports(real.reportDirectory);
    cloneReport(dir, real.reportId, 'aaaa-0001', '2020-01-01T00:00:00.000Z');
    cloneReport(dir, real.reportId, 'aaaa-0002', '2021-01-01T00:00:00.000Z');
    mkdirSync(join(dir, 'not-a-report'));
    writeFileSync(join(dir, 'memalot_report_notes.txt'), '');
    assert.deepEqual(listReports(dir).map((r) => r.reportId), [real.reportId, 'aaaa-0002', 'aaaa-0001']);
    assert.deepEqual(listReports(dir, 2).map((r) => r.reportId), [real.reportId, 'aaaa-0002']);
    const empty = mkdtempSync(join(tmpdir(), 'memalot-empty-'));
    assert.deepEqual(listReports(empty), []);
  });

  test('a malformed ID never reaches the file system', () => {
    const missing = join(tmpdir(), 'memalot-no-such-directory');
    for (const id of ['../x', '../../etc/passwd', 'ABCD-EFGH', 'abcd-efgh/..', 'abcd-efgh\n', 'abcdefgh', '', 'abcd-efghi']) {
      throwsProblem(() => loadReport(missing, id), 'malformed-id', /is not a report ID: IDs are 4 letters or digits, a hyphen and 4 more/);
      throwsProblem(() => readIterations(missing, id, 1), 'malformed-id', /is not a report ID/);
    }
  });

  test('a missing directory, a file in its place, an unknown ID', () => {
    const missing = join(tmpdir(), 'memalot-no-such-directory');
    throwsProblem(() => listReports(missing), 'no-directory', /^no report directory at .*memalot-no-such-directory: nothing was saved there; give the directory/);
    throwsProblem(() => loadReport(missing, 'abcd-efgh'), 'no-directory', /no report directory at/);
    const file = join(mkdtempSync(join(tmpdir(), 'memalot-file-')), 'reports');
    writeFileSync(file, '');
    throwsProblem(() => listReports(file), 'no-directory', /is a file, not a report directory/);
    throwsProblem(() => loadReport(real.reportDirectory, 'zzzz-9999'), 'not-found', /^no report zzzz-9999 in [^,]*; list the reports there for their IDs$/);
    const empty = mkdtempSync(join(tmpdir(), 'memalot-empty-'));
    throwsProblem(() => loadReport(empty, 'zzzz-9999'), 'not-found', /^no report zzzz-9999 in .*, which holds no reports; list the reports there/);
  });

  test('a corrupted iteration file is named; the others are still read', () => {
    const cases: [string, (file: string) => void, RegExp][] = [
      ['truncated', (f) => writeFileSync(f, readFileSync(f, 'utf8').slice(0, 40)), /is corrupted: it is not valid JSON/],
      ['empty', (f) => writeFileSync(f, ''), /is corrupted: it is empty/],
      ['wrong shape', (f) => editJson(f, (j) => ((j['leakSummary'] as Record<string, unknown>)['typeSummaries'] = [{ objectType: 'X', count: 'many' }])), /is corrupted: leakSummary\.typeSummaries\.0\.count: /],
      ['wrong number', (f) => editJson(f, (j) => (j['iterationNumber'] = 7)), /is corrupted: it holds iteration 7 of report/],
      ['a directory', (f) => (rmSync(f), mkdirSync(f)), /cannot read the iteration file .*: it is a directory/],
    ];
    for (const [what, damage, message] of cases) {
      const dir = copyReports(real.reportDirectory);
      damage(reportPath(dir, real.reportId, 'iteration_report_2.json'));
      throwsProblem(() => readIterations(dir, real.reportId, 2), 'corrupt', message);
      throwsProblem(() => readIterations(dir, real.reportId, 2), 'corrupt', /\/iteration_report_2\.json\b/);
      assert.deepEqual(readIterations(dir, real.reportId, 1).map((it) => it.iterationNumber), [3], what);
    }
  });

  test('a corrupted summary: loading fails with its name, listing marks it and shows the others', () => {
    const dir = copyReports(real.reportDirectory);
    cloneReport(dir, real.reportId, 'bbbb-0001', '2020-01-01T00:00:00.000Z');
    writeFileSync(reportPath(dir, 'bbbb-0001', 'summary.json'), '{"reportId": "bbbb-0001", "startTime": "2020-01-01T00:00:00.000Z", "entry');
    throwsProblem(() => loadReport(dir, 'bbbb-0001'), 'corrupt', /summary\.json is corrupted: it is not valid JSON/);
    // Its start time unknown, it is placed by when its directory last changed: here, now.
    const [bad, good, ...none] = listReports(dir);
    assert.deepEqual([bad?.reportId, good?.reportId, none], ['bbbb-0001', real.reportId, []]);
    assert.equal(good?.problem, undefined);
    assert.match(bad?.problem ?? '', /summary\.json is corrupted/);
    assert.equal(bad?.iterations, 3);
    assert.equal(bad?.startTime, null);

    editJson(reportPath(dir, real.reportId, 'summary.json'), (j) => (j['mode'] = 'sometimes'));
    throwsProblem(() => loadReport(dir, real.reportId), 'corrupt', /summary\.json is corrupted: mode: /);
    const salvaged = listReports(dir).find((r) => r.reportId === real.reportId);
    assert.equal(salvaged?.entrypoint, join(real.programDirectory, 'program.mjs'), 'what can be read is still shown');
    assert.ok(salvaged?.problem);

    rmSync(reportPath(dir, 'bbbb-0001', 'summary.json'));
    throwsProblem(() => loadReport(dir, 'bbbb-0001'), 'corrupt', /has no summary\.json .*not saved completely/);
  });

  test('another storage format version is refused with the version found', () => {
    const dir = copyReports(real.reportDirectory);
    writeFileSync(reportPath(dir, real.reportId, 'version'), '2\n');
    throwsProblem(() => loadReport(dir, real.reportId), 'unsupported-version', /is in storage format version 2, and this memalot reads version 1; a newer memalot wrote it: upgrade memalot/);
    throwsProblem(() => readIterations(dir, real.reportId, 1), 'unsupported-version', /version 2/);
    assert.match(listReports(dir)[0]?.problem ?? '', /version 2/);
    writeFileSync(reportPath(dir, real.reportId, 'version'), '0\n');
    throwsProblem(() => loadReport(dir, real.reportId), 'unsupported-version', /version 0, .*predates/);
    writeFileSync(reportPath(dir, real.reportId, 'version'), 'banana');
    throwsProblem(() => loadReport(dir, real.reportId), 'corrupt', /version is corrupted: it should hold the storage format version/);
    // Without a version file, summary.json's own version decides.
    rmSync(reportPath(dir, real.reportId, 'version'));
    assert.equal(loadReport(dir, real.reportId).summary.version, 1);
    editJson(reportPath(dir, real.reportId, 'summary.json'), (j) => (j['version'] = 3));
    throwsProblem(() => loadReport(dir, real.reportId), 'unsupported-version', /version 3/);
  });

  test('the default directory is MEMALOT_REPORT_DIR, else ~/.memalot/reports', () => {
    const saved = process.env['MEMALOT_REPORT_DIR'];
    try {
      process.env['MEMALOT_REPORT_DIR'] = '/tmp/somewhere';
      assert.equal(defaultReportDirectory(), '/tmp/somewhere');
      delete process.env['MEMALOT_REPORT_DIR'];
      assert.match(defaultReportDirectory(), /\.memalot\/reports$/);
    } finally {
      if (saved === undefined) delete process.env['MEMALOT_REPORT_DIR'];
      else process.env['MEMALOT_REPORT_DIR'] = saved;
    }
  });
});
