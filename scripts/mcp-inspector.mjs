#!/usr/bin/env node
// The official MCP Inspector, in CLI mode, against this checkout's `memalot mcp` (compile first:
// npm run compile). What `npx @modelcontextprotocol/inspector --cli npx -y memalot mcp ...` does
// with the published package:
//
//   node scripts/mcp-inspector.mjs --method tools/list
//   node scripts/mcp-inspector.mjs --report-directory DIR --method tools/call --tool-name list_leak_reports
//   node scripts/mcp-inspector.mjs --method tools/call --tool-name get_leak_trend --tool-arg report_id=k3x9-0qpa
//   node scripts/mcp-inspector.mjs --install     (installs it if needed, prints its executable's path)
//
// A leading --report-directory DIR goes to the server; everything else to the Inspector.
//
// The Inspector is not a devDependency: every version of it declares Node.js 22.19 or later,
// so `npm install` of this project on Node.js 20 warned (EBADENGINE) for it and its commander
// and undici. It is installed here on first use instead, into a cache outside the repository
// ($MEMALOT_INSPECTOR_CACHE, else ~/.cache/memalot/inspector), at the version pinned below.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from './source-hash.mjs';

/** The version the tests were written against: its CLI has --strict. */
export const INSPECTOR_VERSION = '2.12.0';
const PACKAGE = '@modelcontextprotocol/inspector';

function cacheRoot() {
  return process.env.MEMALOT_INSPECTOR_CACHE || join(homedir(), '.cache', 'memalot', 'inspector');
}

function binOf(root) {
  const packageDir = join(root, 'node_modules', ...PACKAGE.split('/'));
  return join(packageDir, JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')).bin['mcp-inspector']);
}

/** The Inspector's executable, installed into the cache first if it is not there. */
function installedInspector() {
  const root = join(cacheRoot(), INSPECTOR_VERSION);
  // A finished install is renamed into place as a whole, so its presence means it is complete.
  if (existsSync(root)) return binOf(root);
  mkdirSync(cacheRoot(), { recursive: true });
  const staging = mkdtempSync(join(cacheRoot(), `.${INSPECTOR_VERSION}-`));
  try {
    // Its own package.json, so that npm installs here and not into an enclosing project.
    writeFileSync(join(staging, 'package.json'), '{ "private": true }\n');
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const result = spawnSync(
      npm,
      ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--engine-strict=false', '--loglevel=error', `${PACKAGE}@${INSPECTOR_VERSION}`],
      { cwd: staging, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' },
    );
    if (result.status !== 0) {
      throw new Error(`mcp-inspector: npm install ${PACKAGE}@${INSPECTOR_VERSION} failed in ${staging}: ${result.error?.message ?? result.stderr}`);
    }
    try {
      renameSync(staging, root);
    } catch (error) {
      // Another process installed it meanwhile: use theirs.
      if (!existsSync(root)) throw error;
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return binOf(root);
}

const args = process.argv.slice(2);
let inspector;
try {
  inspector = installedInspector();
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
if (args[0] === '--install') {
  console.log(inspector);
  process.exit(0);
}

const serverArgs = args[0] === '--report-directory' && args[1] !== undefined ? args.splice(0, 2) : [];
const memalot = join(packageRoot, JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')).bin.memalot);
if (!existsSync(memalot)) {
  console.error(`mcp-inspector: ${memalot} is missing: run npm run compile first`);
  process.exit(1);
}
const result = spawnSync(process.execPath, [inspector, '--cli', process.execPath, memalot, 'mcp', ...serverArgs, ...args], { stdio: 'inherit' });
process.exit(result.status ?? 1);
