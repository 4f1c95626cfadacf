#!/usr/bin/env node
// Builds prebuilds/<platform>-<arch>/memalot.abi<N>.node for every supported Node.js major
// with prebuildify, against the headers of real Node.js releases (see node-versions.mjs), so
// that nothing is downloaded from anywhere but the npm registry.
// Usage: npm run prebuild [-- 22 24]   (default: every supported major)
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { ensureNode, SUPPORTED_MAJORS } from './node-versions.mjs';
import { packageRoot } from './source-hash.mjs';

const majors = process.argv.slice(2).length ? process.argv.slice(2).map(Number) : SUPPORTED_MAJORS;
const prebuildify = join(packageRoot, 'node_modules', 'prebuildify', 'bin.js');

for (const major of majors) {
  const node = ensureNode(major);
  console.log(`prebuild: Node.js ${node.version} (headers in ${node.dir})`);
  execFileSync(process.execPath, [prebuildify, '--target', node.version, '--no-napi', '--strip'], {
    cwd: packageRoot,
    stdio: 'inherit',
    // node-gyp takes the headers from nodedir and downloads nothing; npm's own nodedir
    // setting (which points at this machine's Node.js) must not leak in.
    env: { ...process.env, npm_config_nodedir: node.dir, npm_config_devdir: join(node.dir, '.gyp') },
  });
  // Smoke test: the prebuild loads in its own Node.js and reports the ABI it was built for.
  const abi = execFileSync(node.bin, ['-p', `require(${JSON.stringify(join(packageRoot, 'prebuilds', `${process.platform}-${process.arch}`))} + '/memalot.abi' + process.versions.modules + '.node').abi`], {
    encoding: 'utf8',
  }).trim();
  console.log(`prebuild: memalot.abi${abi}.node loads in Node.js ${node.version}`);
}
// prebuildify leaves its last build in build/: remove it, or node-gyp-build would load that
// build before the prebuild, whatever Node.js it was made for.
rmSync(join(packageRoot, 'build'), { recursive: true, force: true });
