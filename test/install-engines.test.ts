// `npm install` on every supported Node.js prints no EBADENGINE warning: every package installed
// in node_modules (as the lockfile lists them and npm put them on disk, dependencies and
// devDependencies alike) declares an engines range that includes the Node.js running the tests,
// which CI runs on Node.js 20, 22, 24 and 26. (The MCP Inspector, which declares Node.js 22.19+,
// is installed by scripts/mcp-inspector.mjs where its test runs, not here.)
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { test } from 'node:test';
import { packageRoot } from '../lib/native/package-root.js';

const semver = createRequire(join(packageRoot, 'package.json'))('semver') as { satisfies(version: string, range: string): boolean };

interface LockedPackage {
  readonly version?: string;
  readonly engines?: { readonly node?: string } | readonly string[];
}

test('every installed package supports this Node.js (no EBADENGINE on npm install)', () => {
  const lock = JSON.parse(readFileSync(join(packageRoot, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockedPackage> };
  const unsupported: string[] = [];
  let checked = 0;
  for (const [path, info] of Object.entries(lock.packages)) {
    // '' is this package; a path npm did not install here (another platform's optional binary) is skipped.
    if (path === '' || !existsSync(join(packageRoot, path, 'package.json'))) continue;
    const range = Array.isArray(info.engines) ? undefined : (info.engines as { node?: string } | undefined)?.node;
    if (range === undefined) continue;
    checked++;
    if (!semver.satisfies(process.versions.node, range)) unsupported.push(`${path.replace(/^.*node_modules\//, '')}@${info.version} (node ${range})`);
  }
  assert.ok(checked > 50, `only ${checked} installed packages declare engines: is node_modules installed?`);
  assert.deepEqual(unsupported, [], `packages that do not support Node.js ${process.version}: ${unsupported.join('; ')}`);
});

