#!/usr/bin/env node
// The official MCP Inspector, in CLI mode, against this checkout's `memalot mcp` (compile first:
// npm run compile). What `npx @modelcontextprotocol/inspector --cli npx -y memalot mcp ...` does
// with the published package:
//
//   node scripts/mcp-inspector.mjs --method tools/list
//   node scripts/mcp-inspector.mjs --report-directory DIR --method tools/call --tool-name list_leak_reports
//   node scripts/mcp-inspector.mjs --method tools/call --tool-name get_leak_trend --tool-arg report_id=k3x9-0qpa
//
// A leading --report-directory DIR goes to the server; everything else to the Inspector.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from './source-hash.mjs';

const args = process.argv.slice(2);
const serverArgs = args[0] === '--report-directory' && args[1] !== undefined ? args.splice(0, 2) : [];

const memalot = join(packageRoot, JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')).bin.memalot);
if (!existsSync(memalot)) {
  console.error(`mcp-inspector: ${memalot} is missing: run npm run compile first`);
  process.exit(1);
}
const inspectorRoot = join(packageRoot, 'node_modules', '@modelcontextprotocol', 'inspector');
const inspector = join(inspectorRoot, JSON.parse(readFileSync(join(inspectorRoot, 'package.json'), 'utf8')).bin['mcp-inspector']);

const result = spawnSync(process.execPath, [inspector, '--cli', process.execPath, memalot, 'mcp', ...serverArgs, ...args], { stdio: 'inherit' });
process.exit(result.status ?? 1);
