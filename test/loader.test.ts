// Finding the native addon: the prebuild for this ABI, a build from source, and clear errors.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { locateAddon } from '../lib/native/addon.js';
import { packageRoot } from '../lib/native/package-root.js';

const abi = Number(process.versions.modules);
const otherAbi = abi === 147 ? 137 : 147;
const prebuilds = join(packageRoot, 'prebuilds', 'linux-x64');

function fakeRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'memalot-loader-'));
  writeFileSync(join(root, 'package.json'), '{"name":"memalot"}');
  return root;
}

test('with no binary at all, the error names the platform and ABI and says how to build', () => {
  const root = fakeRoot();
  assert.throws(() => locateAddon(root), (error: Error) => {
    assert.match(error.message, new RegExp(`no native addon for linux-x64, Node\\.js ${process.version.replace(/\./g, '\\.')} \\(ABI ${abi}\\)`));
    assert.match(error.message, /npx node-gyp rebuild/);
    assert.ok(error.message.includes(root));
    return true;
  });
});

test('the prebuild for this ABI is found', () => {
  const root = fakeRoot();
  mkdirSync(join(root, 'prebuilds', 'linux-x64'), { recursive: true });
  copyFileSync(join(prebuilds, `memalot.abi${abi}.node`), join(root, 'prebuilds', 'linux-x64', `memalot.abi${abi}.node`));
  copyFileSync(join(prebuilds, `memalot.abi${otherAbi}.node`), join(root, 'prebuilds', 'linux-x64', `memalot.abi${otherAbi}.node`));
  assert.equal(locateAddon(root), join(root, 'prebuilds', 'linux-x64', `memalot.abi${abi}.node`));
});

test('a build from source for another Node.js does not hide the matching prebuild', () => {
  const root = fakeRoot();
  mkdirSync(join(root, 'build', 'Release'), { recursive: true });
  copyFileSync(join(prebuilds, `memalot.abi${otherAbi}.node`), join(root, 'build', 'Release', 'memalot.node'));
  mkdirSync(join(root, 'prebuilds', 'linux-x64'), { recursive: true });
  copyFileSync(join(prebuilds, `memalot.abi${abi}.node`), join(root, 'prebuilds', 'linux-x64', `memalot.abi${abi}.node`));
  assert.equal(locateAddon(root), join(root, 'prebuilds', 'linux-x64', `memalot.abi${abi}.node`));
});

test('a build for another Node.js and no prebuild: refused before loading, with the ABIs named', () => {
  const root = fakeRoot();
  mkdirSync(join(root, 'build', 'Release'), { recursive: true });
  copyFileSync(join(prebuilds, `memalot.abi${otherAbi}.node`), join(root, 'build', 'Release', 'memalot.node'));
  assert.throws(() => locateAddon(root), new RegExp(`is built for ABI ${otherAbi}, but this is linux-x64, Node\\.js .* \\(ABI ${abi}\\)\\. Build it from source`));
});

test('a build from source for this Node.js is preferred', () => {
  const root = fakeRoot();
  mkdirSync(join(root, 'build', 'Release'), { recursive: true });
  copyFileSync(join(prebuilds, `memalot.abi${abi}.node`), join(root, 'build', 'Release', 'memalot.node'));
  assert.equal(locateAddon(root), join(root, 'build', 'Release', 'memalot.node'));
});
