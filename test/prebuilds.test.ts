// Every committed prebuild must be built from the sources as they are: a binary carries the
// hash of native/ and binding.gyp, read here from its bytes (a prebuild for another Node.js
// cannot be loaded into this one).
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { addon, locateAddon, readBuildInfo } from '../lib/native/addon.js';
import { packageRoot } from '../lib/native/package-root.js';
import { pathToFileURL } from 'node:url';

// The build's own hash function (binding.gyp runs it): a plain script outside the TypeScript tree.
const { sourceHash } = (await import(pathToFileURL(join(packageRoot, 'scripts', 'source-hash.mjs')).href)) as {
  sourceHash(root?: string): string;
};

const SUPPORTED_ABIS = [115, 127, 137, 147]; // Node.js 20, 22, 24, 26
const prebuildDir = join(packageRoot, 'prebuilds', 'linux-x64');

test('there is a linux-x64 prebuild for each supported Node.js major', () => {
  const files = readdirSync(prebuildDir).sort();
  assert.deepEqual(files, SUPPORTED_ABIS.map((abi) => `memalot.abi${abi}.node`).sort());
});

test('every prebuild was built from the current sources, for the ABI its name says', () => {
  const expected = sourceHash();
  const stale: string[] = [];
  for (const abi of SUPPORTED_ABIS) {
    const info = readBuildInfo(join(prebuildDir, `memalot.abi${abi}.node`));
    assert.ok(info, `memalot.abi${abi}.node carries no build info`);
    assert.equal(info.abi, abi, `memalot.abi${abi}.node was built for ABI ${info.abi}`);
    if (info.sourceHash !== expected) stale.push(`memalot.abi${abi}.node (${info.sourceHash})`);
  }
  assert.deepEqual(stale, [], `stale prebuilds: the sources hash to ${expected}; run "npm run prebuild" and commit prebuilds/`);
});

test('the source hash changes when any native source changes', () => {
  const copy = mkdtempSync(join(tmpdir(), 'memalot-hash-'));
  cpSync(join(packageRoot, 'native'), join(copy, 'native'), { recursive: true });
  cpSync(join(packageRoot, 'binding.gyp'), join(copy, 'binding.gyp'));
  assert.equal(sourceHash(copy), sourceHash());
  appendFileSync(join(copy, 'native', 'epoch_tracker.cc'), '\n// an edit\n');
  assert.notEqual(sourceHash(copy), sourceHash(), 'an edited source must make every prebuild stale');
});

test('the loaded addon is the one for this Node.js, with the current sources', () => {
  const file = locateAddon();
  assert.equal(addon().abi, Number(process.versions.modules));
  assert.equal(readBuildInfo(file)?.sourceHash, sourceHash(), `${file} is stale`);
  assert.match(addon().buildInfo, /^memalot-build-info:abi=\d+;source-hash=h[0-9a-f]{32};$/);
});
