// `memalot list` and `memalot print`, and the program around them (help, version, usage
// errors): the real executable in child processes, reading a report that a real monitored
// program saved, and copies of it damaged in each way a person may meet.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { packageRoot } from '../lib/native/package-root.js';
import { iterationReportSchema, reportSummarySchema, type IterationReport } from '../lib/storage/schema.js';
import { installedBin, oneLine, runCli } from './helpers/cli.js';
import { cloneReport, editJson } from './helpers/damage.js';
import { copyReports, makeMonitoredReport, reportPath, type MonitoredReport } from './helpers/monitored-report.js';

const ESC = '\u001b[';
const version = (JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string }).version;

/** The live console text of one iteration, as the monitored program printed it. */
function liveIteration(stdout: string, n: number): string {
  const start = stdout.indexOf(`\n\n╭─ Memalot Report (iteration ${n})`);
  const endMarker = `End of Memalot Report (iteration ${n})\n`;
  const end = stdout.indexOf(endMarker, start);
  assert.ok(start >= 0 && end > start, `iteration ${n} in the live output`);
  return stdout.slice(start, end + endMarker.length);
}

/** The saved iteration `n` of a report. */
function readIterationFile(directory: string, reportId: string, n: number): [IterationReport] {
  return [iterationReportSchema.parse(JSON.parse(readFileSync(reportPath(directory, reportId, `iteration_report_${n}.json`), 'utf8')))];
}

function missingDirectory(): string {
  return join(mkdtempSync(join(tmpdir(), 'memalot-cli-')), 'no-such-reports');
}

describe('memalot list and print', { concurrency: true }, () => {
  let real: MonitoredReport;
  let dir: string;
  before(async () => {
    real = await makeMonitoredReport(3);
    dir = real.reportDirectory;
  });

  test('--version, --help, a command\'s --help; nothing at all is a usage error', async () => {
    const v = await runCli(['--version']);
    assert.deepEqual([v.code, v.stdout, v.stderr], [0, `${version}\n`, '']);
    const help = await runCli(['--help']);
    assert.equal(help.code, 0);
    for (const command of ['list', 'print', 'run']) assert.match(help.stdout, new RegExp(`^  ${command} `, 'm'));
    const list = await runCli(['list', '--help']);
    assert.equal(list.code, 0);
    for (const flag of ['--num-reports', '--report-directory', '--force-terminal', '--json']) assert.ok(list.stdout.includes(flag), flag);
    const print = await runCli(['print', '--help']);
    for (const flag of ['REPORT_ID', '--num-iterations', '--filter-types', '--summary-only', '--report-directory', '--force-terminal', '--json']) {
      assert.ok(print.stdout.includes(flag), flag);
    }
    const run = await runCli(['help', 'run']);
    assert.equal(run.code, 0);
    for (const flag of ['--max-object-lifetime', '--warmup-period', '--include-type', '--exclude-type', '--max-object-details', '--no-check-referrers', '--report-directory', 'MEMALOT_MAX_OBJECT_LIFETIME']) {
      assert.ok(run.stdout.includes(flag), flag);
    }
    const nothing = await runCli([]);
    assert.equal(nothing.code, 2);
    assert.equal(nothing.stdout, '');
    assert.match(nothing.stderr, /Usage: memalot/);
  });

  test('list: a table of the reports, plain text in a pipe', async () => {
    const result = await runCli(['list', '--report-directory', dir]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, '');
    assert.ok(!result.stdout.includes(ESC), 'no escape codes in a pipe');
    assert.match(result.stdout, /Memalot Reports/);
    assert.match(result.stdout, /┃ Report ID ┃ Iterations ┃ Start Time \(UTC\) +┃ Entrypoint +┃ Arguments +┃/);
    const row = result.stdout.split('\n').find((l) => l.includes(real.reportId));
    const cells = row?.split('│').map((c) => c.trim());
    const summary = reportSummarySchema.parse(JSON.parse(readFileSync(reportPath(dir, real.reportId, 'summary.json'), 'utf8')));
    const startTime = summary.startTime.replace('T', ' ').slice(0, 19);
    assert.deepEqual(cells, ['', real.reportId, '3', startTime, join(real.programDirectory, 'program.mjs'), '--port 8080', '']);
  });

  test('list: --json, --num-reports, newest first, and the default directory from MEMALOT_REPORT_DIR', async () => {
    const copy = copyReports(dir);
    cloneReport(copy, real.reportId, 'aaaa-0001', '2020-01-01T00:00:00.000Z');
    cloneReport(copy, real.reportId, 'aaaa-0002', '2021-01-01T00:00:00.000Z');
    const json = await runCli(['list', '--json'], { env: { MEMALOT_REPORT_DIR: copy } });
    assert.equal(json.code, 0, json.stderr);
    const listed = JSON.parse(json.stdout) as { reportId: string; iterations: number; mode: string }[];
    assert.deepEqual(listed.map((r) => r.reportId), [real.reportId, 'aaaa-0002', 'aaaa-0001']);
    assert.deepEqual([listed[0]?.iterations, listed[0]?.mode], [3, 'time']);
    const two = await runCli(['list', '-n', '2', '-d', copy]);
    assert.equal(two.code, 0, two.stderr);
    assert.ok(two.stdout.includes('aaaa-0002') && !two.stdout.includes('aaaa-0001'));
    assert.ok(two.stdout.indexOf(real.reportId) < two.stdout.indexOf('aaaa-0002'), 'newest first');
  });

  test('list: "No reports found." in an empty directory', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'memalot-empty-'));
    const result = await runCli(['list', '--report-directory', empty]);
    assert.deepEqual([result.code, result.stdout, result.stderr], [0, 'No reports found.\n', '']);
    const json = await runCli(['list', '--report-directory', empty, '--json']);
    assert.deepEqual([json.code, json.stdout], [0, '[]\n']);
  });

  test('list: a corrupted report is marked, and the good ones are still shown', async () => {
    const copy = copyReports(dir);
    cloneReport(copy, real.reportId, 'bbbb-0001', '2020-01-01T00:00:00.000Z');
    cloneReport(copy, real.reportId, 'bbbb-0002', '2020-01-02T00:00:00.000Z');
    writeFileSync(reportPath(copy, 'bbbb-0001', 'summary.json'), '{"reportId": "bbbb-0001", "entr');
    writeFileSync(reportPath(copy, 'bbbb-0002', 'version'), '7\n');
    const result = await runCli(['list', '-d', copy]);
    assert.equal(result.code, 0, result.stderr);
    const rows = result.stdout.split('\n').filter((l) => l.startsWith('│'));
    assert.equal(rows.length, 3);
    assert.ok(rows.some((r) => r.includes(`│ ${real.reportId} `) && !r.includes('!')), 'the good report, unmarked');
    assert.ok(rows.some((r) => r.includes('bbbb-0001 !')), 'the corrupted one, marked');
    assert.ok(rows.some((r) => r.includes('bbbb-0002 !')), 'the one of another version, marked');
    assert.match(result.stdout, /^! bbbb-0001 cannot be read: .*memalot_report_bbbb-0001\/summary\.json is corrupted: it is not valid JSON/m);
    assert.match(result.stdout, /^! bbbb-0002 cannot be read: report bbbb-0002 is in storage format version 7, and this memalot reads version 1/m);
  });

  test('print: the last iteration, exactly as the live console report showed it', async () => {
    const result = await runCli(['print', real.reportId, '--report-directory', dir]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, '', 'no progress on stderr when it is not a terminal');
    assert.equal(result.stdout, liveIteration(real.stdout, 3));
    assert.match(result.stdout, /│ program\.mjs:Leaky +│/);
    assert.ok(!result.stdout.includes(ESC));
  });

  test('print --full: every detailed object with its whole graph, and the per-type table; --types: the table alone', async () => {
    const [saved] = readIterationFile(dir, real.reportId, 3);
    const full = await runCli(['print', real.reportId, '-d', dir, '--full']);
    assert.equal(full.code, 0, full.stderr);
    assert.equal(full.stdout.match(/╭─ Details for /g)?.length, saved.objectDetails.length, 'one box per detailed object');
    assert.match(full.stdout, /Leaked Objects by Type \(iteration 3\)/);
    const compact = await runCli(['print', real.reportId, '-d', dir]);
    assert.ok(!compact.stdout.includes('Details for '), 'the compact report shows clusters');
    assert.ok(!compact.stdout.includes('Leaked Objects by Type'));
    assert.ok(full.stdout.split('\n').length > compact.stdout.split('\n').length);
    const types = await runCli(['print', real.reportId, '-d', dir, '--types']);
    assert.match(types.stdout, /Leaked Objects by Type \(iteration 3\)/);
    assert.ok(!types.stdout.includes('Details for '));
    const narrow = await runCli(['print', real.reportId, '-d', dir, '--full'], { env: { COLUMNS: '60' } });
    assert.ok(Math.max(...narrow.stdout.split('\n').map((l) => l.length)) <= 60, 'no line wider than COLUMNS');
  });

  test('print: the last N iterations, in order; more than there are is all of them', async () => {
    const two = await runCli(['print', real.reportId, '-d', dir, '--num-iterations', '2']);
    assert.equal(two.code, 0, two.stderr);
    assert.equal(two.stdout, liveIteration(real.stdout, 2) + liveIteration(real.stdout, 3));
    const all = await runCli(['print', real.reportId, '-d', dir, '-n', '50']);
    assert.equal(all.stdout, [1, 2, 3].map((n) => liveIteration(real.stdout, n)).join(''));
    assert.match(all.stdout, /This is a warmup iteration/);
  });

  test('print --filter-types keeps the matching types (any case), --summary-only drops the details', async () => {
    const saved = iterationReportSchema.parse(JSON.parse(readFileSync(reportPath(dir, real.reportId, 'iteration_report_3.json'), 'utf8')));
    const types = saved.leakSummary.typeSummaries.map((s) => s.objectType);
    assert.ok(types.includes('program.mjs:Leaky') && types.length >= 2, `types: ${types}`);

    const filtered = await runCli(['print', real.reportId, '-d', dir, '--filter-types', 'LEAKY']);
    assert.equal(filtered.code, 0, filtered.stderr);
    const rows = filtered.stdout.split('\n').filter((l) => /^│ \S/.test(l) && l.endsWith('│') && !l.startsWith('│ ╙'));
    const tableRows = rows.filter((l) => /│ +\d+ │/.test(l));
    assert.ok(tableRows.length >= 1 && tableRows.every((l) => l.includes('program.mjs:Leaky')), filtered.stdout);
    assert.match(filtered.stdout, new RegExp(`Only types whose name contains "LEAKY" are shown \\(1 of ${types.length}; --filter-types\\)\\.`));
    for (const match of filtered.stdout.matchAll(/Details for (\S+)/g)) assert.match(match[1]!, /Leaky/);

    const several = await runCli(['print', real.reportId, '-d', dir, '--filter-types', 'nothing-like-this,leaky']);
    assert.match(several.stdout, /Only types whose name contains "nothing-like-this" or "leaky" are shown \(1 of/);

    const none = await runCli(['print', real.reportId, '-d', dir, '--filter-types', 'nothing-like-this']);
    assert.equal(none.code, 0, none.stderr);
    assert.match(none.stdout, /No leaks found during this iteration\./);
    assert.ok(!/still alive/.test(none.stdout), 'says nothing false about the period');
    assert.ok(!none.stdout.includes('Details for'));

    const summaryOnly = await runCli(['print', real.reportId, '-d', dir, '--summary-only']);
    assert.equal(summaryOnly.code, 0, summaryOnly.stderr);
    assert.ok(!summaryOnly.stdout.includes('Details for'));
    assert.match(summaryOnly.stdout, /│ program\.mjs:Leaky +│/);
    if (saved.objectDetails.length > 0) assert.match(summaryOnly.stdout, /object details? (is|are) left out \(--summary-only\)/);
  });

  test('print --json: the stored data, filtered the same way', async () => {
    const result = await runCli(['print', real.reportId, '-d', dir, '--json', '-n', '2']);
    assert.equal(result.code, 0, result.stderr);
    const data = JSON.parse(result.stdout) as { summary: unknown; iterations: unknown[] };
    assert.deepEqual(data.summary, JSON.parse(readFileSync(reportPath(dir, real.reportId, 'summary.json'), 'utf8')));
    assert.deepEqual(data.iterations, [2, 3].map((n) => JSON.parse(readFileSync(reportPath(dir, real.reportId, `iteration_report_${n}.json`), 'utf8'))));
    const filtered = await runCli(['print', real.reportId, '-d', dir, '--json', '--filter-types', 'leaky', '--summary-only']);
    const [it] = (JSON.parse(filtered.stdout) as { iterations: { leakSummary: { typeSummaries: { objectType: string }[] }; objectDetails: unknown[] }[] }).iterations;
    assert.deepEqual(it?.leakSummary.typeSummaries.map((s) => s.objectType), ['program.mjs:Leaky']);
    assert.deepEqual(it?.objectDetails, []);
  });

  test('colours only for a terminal: --force-terminal, unless NO_COLOR', async () => {
    const forced = await runCli(['print', real.reportId, '-d', dir, '--force-terminal']);
    assert.equal(forced.code, 0, forced.stderr);
    assert.ok(forced.stdout.includes(ESC), 'escape codes with --force-terminal');
    const listForced = await runCli(['list', '-d', dir, '--force-terminal']);
    assert.ok(listForced.stdout.includes(ESC));
    const noColor = await runCli(['print', real.reportId, '-d', dir, '--force-terminal'], { env: { NO_COLOR: '1' } });
    assert.ok(!noColor.stdout.includes(ESC), 'NO_COLOR wins');
    assert.equal(noColor.stdout, liveIteration(real.stdout, 3));
  });

  test('the installed executable (node_modules/.bin/memalot) works from any directory', async () => {
    const { project, bin } = installedBin();
    const elsewhere = join(project, 'some', 'where');
    mkdirSync(elsewhere, { recursive: true });
    const list = await runCli(['list', '-d', dir], { executable: bin, cwd: elsewhere });
    assert.equal(list.code, 0, list.stderr);
    assert.ok(list.stdout.includes(real.reportId));
    const print = await runCli(['print', real.reportId], { executable: bin, cwd: elsewhere, env: { MEMALOT_REPORT_DIR: dir } });
    assert.equal(print.stdout, liveIteration(real.stdout, 3));
    const v = await runCli(['--version'], { executable: bin, cwd: tmpdir() });
    assert.equal(v.stdout, `${version}\n`);
  });

  describe('a bad input is one line on stderr and status 1 (2 for bad usage), never a stack trace', { concurrency: true }, () => {
    async function fails(args: readonly string[], status: number, message: RegExp, env?: Record<string, string>): Promise<void> {
      const result = await runCli(args, env === undefined ? {} : { env });
      assert.equal(result.code, status, `${args.join(' ')}: ${result.stderr}`);
      assert.equal(result.stdout, '');
      const line = oneLine(result.stderr);
      assert.match(line, /^memalot: /);
      assert.match(line, message);
      assert.ok(!/\n\s+at /.test(result.stderr), 'no stack trace');
    }

    test('a report ID that does not exist', () =>
      fails(['print', 'zzzz-9999', '-d', dir], 1, new RegExp(`^memalot: no report zzzz-9999 in .*; memalot list --report-directory ".*" shows them$`)));

    test('malformed IDs, refused before any path is built', async () => {
      // The directory does not exist: had the ID reached the file system, that would be the complaint.
      const missing = missingDirectory();
      for (const id of ['../x', '../../etc', 'ABCD-EFGH', 'abcd-efg', 'abcd_efgh', 'abcd-efgh/x']) {
        await fails(['print', id, '-d', missing], 2, /is not a report ID: IDs are 4 letters or digits, a hyphen and 4 more, such as "k3x9-0qpa"/);
      }
    });

    test('a missing report directory, for list and print; a file in its place', async () => {
      const missing = missingDirectory();
      await fails(['list', '-d', missing], 1, /^memalot: no report directory at .*no-such-reports: nothing was saved there; .* with --report-directory DIR$/);
      await fails(['print', real.reportId, '-d', missing], 1, /no report directory at .*no-such-reports/);
      await fails(['list'], 1, /no report directory at .*no-such-reports/, { MEMALOT_REPORT_DIR: missing });
      const file = join(mkdtempSync(join(tmpdir(), 'memalot-cli-')), 'reports');
      writeFileSync(file, 'not a directory');
      await fails(['list', '-d', file], 1, /is a file, not a report directory/);
    });

    test('an empty report directory, for print', async () => {
      const empty = mkdtempSync(join(tmpdir(), 'memalot-empty-'));
      await fails(['print', 'abcd-efgh', '-d', empty], 1, /^memalot: no report abcd-efgh in .*, which holds no reports/);
    });

    test('corrupted and unreadable iteration files, named', async () => {
      const damages: [string, (file: string) => void, RegExp][] = [
        ['truncated', (f) => writeFileSync(f, readFileSync(f, 'utf8').slice(0, 100)), /iteration_report_3\.json is corrupted: it is not valid JSON/],
        ['empty', (f) => writeFileSync(f, ''), /iteration_report_3\.json is corrupted: it is empty/],
        ['another shape', (f) => editJson(f, (j) => delete j['memoryUsage']), /iteration_report_3\.json is corrupted: memoryUsage: /],
        ['unreadable', (f) => (rmSync(f), mkdirSync(f)), /cannot read the iteration file .*iteration_report_3\.json: it is a directory/],
      ];
      await Promise.all(
        damages.map(async ([, damage, message]) => {
          const copy = copyReports(dir);
          damage(reportPath(copy, real.reportId, 'iteration_report_3.json'));
          await fails(['print', real.reportId, '-d', copy], 1, message);
          await fails(['print', real.reportId, '-d', copy, '--json'], 1, message);
        }),
      );
    });

    test('a corrupted summary; a report saved without its summary', async () => {
      const copy = copyReports(dir);
      editJson(reportPath(copy, real.reportId, 'summary.json'), (j) => (j['startTime'] = 'yesterday'));
      await fails(['print', real.reportId, '-d', copy], 1, /summary\.json is corrupted: startTime: /);
      rmSync(reportPath(copy, real.reportId, 'summary.json'));
      await fails(['print', real.reportId, '-d', copy], 1, /has no summary\.json .*: it was not saved completely/);
    });

    test('another storage format version, named', async () => {
      const copy = copyReports(dir);
      writeFileSync(reportPath(copy, real.reportId, 'version'), '2\n');
      await fails(['print', real.reportId, '-d', copy], 1, /is in storage format version 2, and this memalot reads version 1; a newer memalot wrote it: upgrade memalot/);
      writeFileSync(reportPath(copy, real.reportId, 'version'), '0\n');
      await fails(['print', real.reportId, '-d', copy], 1, /storage format version 0/);
    });

    test('bad usage: status 2, commander\'s message on one line with the way to help', async () => {
      await fails(['print'], 2, /missing required argument 'REPORT_ID' \(see memalot print --help\)$/);
      await fails(['print', real.reportId, '-d', dir, '-n', '0'], 2, /--num-iterations <n>' argument '0' is invalid\. It must be a whole number, 1 or more/);
      await fails(['print', real.reportId, '-d', dir, '-n', 'two'], 2, /argument 'two' is invalid/);
      await fails(['print', real.reportId, '-d', dir, '--filter-types', ' , '], 2, /It must list type names separated by commas/);
      await fails(['list', '--num-reports', '-3'], 2, /--num-reports/);
      await fails(['list', '--jsn'], 2, /unknown option '--jsn' \(Did you mean --json\?\) \(see memalot list --help\)$/);
      await fails(['lst'], 2, /unknown command 'lst' \(Did you mean list\?\) \(see memalot --help\)$/);
      await fails(['print', 'a', 'b'], 2, /too many arguments/);
    });
  });
});
