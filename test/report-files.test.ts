// Private report files: real programs in child processes save reports, and the files on disk are
// checked: modes whatever the umask, existing directories left as they are, no write through a
// symlink swapped in by someone else, no temporary file left by a writer that died.
import assert from 'node:assert/strict';
import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { makeProjectDir, runProgram } from './helpers/child.js';

/** A program that makes `calls` monitored calls that each leak, with the given umask. */
function callsProgram(calls: number, umask: number, between = ''): string {
  return `
import { leakMonitor } from 'memalot';
process.umask(${umask});
const kept = [];
const work = leakMonitor(function work() { kept.push({ token: 'secret-' + kept.length }); }, { warmupCalls: 0, maxObjectAgeCalls: 1 });
for (let call = 0; call < ${calls}; call++) {
  work();
  ${between}
}
console.log('CALLS ' + ${calls});
`;
}

function mode(path: string): number {
  return lstatSync(path).mode & 0o777;
}

/** Every directory and file under `root`, itself included. */
function walk(root: string): string[] {
  return [root, ...readdirSync(root, { withFileTypes: true }).flatMap((entry) => {
    const path = join(root, entry.name);
    return entry.isDirectory() ? walk(path) : [path];
  })];
}

describe('report files', { concurrency: 2 }, () => {
  for (const umask of [0o000, 0o022]) {
    test(`with umask ${umask.toString(8).padStart(3, '0')}: the report root and its missing parents are 0700, each report 0700, each file 0600`, async () => {
      const dir = makeProjectDir();
      const root = join(dir, 'deep', 'er', 'reports');
      const run = await runProgram(callsProgram(3, umask), { env: { MEMALOT_REPORT_DIR: root } });
      assert.equal(run.code, 0, run.stderr);
      assert.equal(mode(join(dir, 'deep')), 0o700);
      assert.equal(mode(join(dir, 'deep', 'er')), 0o700);
      const paths = walk(root);
      const files = paths.filter((path) => lstatSync(path).isFile());
      assert.ok(files.some((path) => path.endsWith('iteration_report_1.json')), paths.join('\n'));
      assert.ok(files.some((path) => path.endsWith('summary.json')));
      for (const path of paths) {
        assert.equal(mode(path), lstatSync(path).isDirectory() ? 0o700 : 0o600, `${path}: ${mode(path).toString(8)}`);
      }
      assert.equal(files.filter((path) => path.endsWith('.tmp')).length, 0);
    });
  }

  test('a report root that exists is never loosened (nor changed otherwise)', async () => {
    for (const existing of [0o750, 0o711]) {
      const dir = makeProjectDir();
      const root = join(dir, 'reports');
      mkdirSync(root);
      chmodSync(root, existing);
      const run = await runProgram(callsProgram(1, 0o000), { env: { MEMALOT_REPORT_DIR: root } });
      assert.equal(run.code, 0, run.stderr);
      assert.equal(mode(root), existing);
      const [report] = readdirSync(root);
      assert.ok(report);
      assert.equal(mode(join(root, report)), 0o700);
    }
  });

  test('a report directory swapped for a symlink after the first iteration: nothing is written where it points', async () => {
    // What another user who can write in the report root would do between two iterations.
    const run = await runProgram(callsProgram(3, 0o022, `
  if (call === 0) {
    const fs = await import('node:fs');
    const root = process.env.MEMALOT_REPORT_DIR;
    const [report] = fs.readdirSync(root);
    fs.mkdirSync('elsewhere');
    fs.renameSync(root + '/' + report, 'moved');
    fs.symlinkSync(process.cwd() + '/elsewhere', root + '/' + report);
  }`));
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /CALLS 3/);
    assert.deepEqual(readdirSync(join(run.dir, 'elsewhere')), []);
    assert.match(run.stderr, /was replaced/);
    // What was written before the swap is whole.
    assert.ok(existsSync(join(run.dir, 'moved', 'iteration_report_1.json')));
  });

  test('a symlink planted at the name of the next file is replaced, not followed', async () => {
    const run = await runProgram(callsProgram(2, 0o022, `
  if (call === 0) {
    const fs = await import('node:fs');
    const root = process.env.MEMALOT_REPORT_DIR;
    const [report] = fs.readdirSync(root);
    fs.writeFileSync('victim', 'untouched');
    fs.symlinkSync(process.cwd() + '/victim', root + '/' + report + '/iteration_report_2.json');
  }`));
    assert.equal(run.code, 0, run.stderr);
    assert.equal(lstatSync(join(run.dir, 'victim')).size, 'untouched'.length);
    const [report] = readdirSync(run.reportDirectory);
    assert.ok(report);
    const second = join(run.reportDirectory, report, 'iteration_report_2.json');
    assert.ok(lstatSync(second).isFile());
    assert.equal(mode(second), 0o600);
  });

  test("the next start removes the temporary files of writers that died mid-write, and keeps a live writer's", async () => {
    const dir = makeProjectDir();
    const root = join(dir, 'reports');
    const old = join(root, 'memalot_report_old');
    mkdirSync(old, { recursive: true });
    // 99999999 is above any pid_max Linux allows (4194304): that writer is surely dead.
    const dead = join(old, '.iteration_report_3.json.99999999.0a1b2c3d.tmp');
    const live = join(old, `.iteration_report_4.json.${process.pid}.0a1b2c3d.tmp`);
    const unrelated = join(old, 'notes.tmp');
    for (const path of [dead, live, unrelated]) writeFileSync(path, '{"half":');
    const run = await runProgram(callsProgram(1, 0o022), { env: { MEMALOT_REPORT_DIR: root } });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(existsSync(dead), false);
    assert.equal(existsSync(live), true);
    assert.equal(existsSync(unrelated), true);
    assert.ok(statSync(old).isDirectory());
  });
});
