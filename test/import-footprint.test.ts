// What importing memalot loads into a program: nothing of the command line (commander), the MCP
// server (@modelcontextprotocol/sdk) or the report reader's schemas (zod), whether the program
// only imports it or also monitors with it. Measured in real child processes by
// scripts/import-footprint.mjs (a module hook that records every module as it loads); the CLI and
// the MCP server, which do load those packages, show that the hook sees them.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { packageRoot } from '../lib/native/package-root.js';

const FORBIDDEN = ['commander', 'zod', '@modelcontextprotocol/sdk'];

interface Footprint {
  readonly modules: readonly string[];
  /** The packages they belong to (`memalot` for this checkout's own files). */
  readonly packages: readonly string[];
}

function measure(specifier: string, use = ''): Promise<Footprint> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [join(packageRoot, 'scripts', 'import-footprint.mjs'), '--json', specifier, use],
      { cwd: packageRoot, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(JSON.parse(stdout) as Footprint)),
    );
  });
}

function assertNoneForbidden(footprint: Footprint, what: string): void {
  const packages = new Set(footprint.packages);
  const loaded = FORBIDDEN.filter((name) => packages.has(name));
  assert.deepEqual(loaded, [], `${what} loaded ${loaded.join(', ')}; all packages it loaded: ${[...packages].join(', ') || 'none'}`);
  // memalot itself was loaded (the measurement saw the import at all).
  assert.ok(footprint.modules.some((url) => url.endsWith('/dist/lib/monitor/options.js')), `${what}: the hook recorded no memalot module`);
}

describe('importing memalot loads nothing of the CLI, the MCP server or zod', () => {
  test("import 'memalot'", async () => assertNoneForbidden(await measure('memalot'), "import 'memalot'"));

  test("import 'memalot/testing'", async () => assertNoneForbidden(await measure('memalot/testing'), "import 'memalot/testing'"));

  test('a monitored call that leaks, reported with object details', async () => {
    const footprint = await measure('memalot', 'LEAKY_CALL');
    assertNoneForbidden(footprint, 'a monitored call');
    // The call ran: the addon was loaded, through node-gyp-build.
    assert.ok(new Set(footprint.packages).has('node-gyp-build'), 'the native addon was not loaded, so nothing was monitored');
  });

  test('assertNoLeaks on a clean function', async () => {
    const footprint = await measure('memalot/testing', 'CLEAN_CHECK');
    assertNoneForbidden(footprint, 'assertNoLeaks');
    assert.ok(new Set(footprint.packages).has('node-gyp-build'), 'the native addon was not loaded, so nothing was checked');
  });

  test('the measurement sees those packages where they do load: the CLI and the MCP server', async () => {
    const cli = new Set((await measure(pathToFileURL(join(packageRoot, 'dist', 'lib', 'cli', 'program.js')).href)).packages);
    assert.ok(cli.has('commander') && cli.has('zod'), `the CLI loaded ${[...cli].join(', ')}`);
    const mcp = new Set((await measure(pathToFileURL(join(packageRoot, 'dist', 'lib', 'mcp', 'server.js')).href)).packages);
    assert.ok(mcp.has('@modelcontextprotocol/sdk') && mcp.has('zod'), `the MCP server loaded ${[...mcp].join(', ')}`);
  });
});
