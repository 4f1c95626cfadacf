// `memalot mcp` as an MCP client starts it: the package's own executable in a child process,
// spoken to over stdio by the SDK's Client (or by hand, for what a client would never send).
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { packageRoot } from '../../lib/native/package-root.js';

/** The `memalot` executable, as package.json's "bin" names it (what `npx memalot` runs). */
export function memalotBin(): string {
  const { bin } = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { bin?: string | Record<string, string> };
  const path = typeof bin === 'string' ? bin : bin?.['memalot'];
  if (path === undefined) throw new Error('package.json has no "bin" entry for memalot');
  return join(packageRoot, path);
}

/** The command line that starts the server: what a client's configuration holds. */
export function mcpServerCommand(args: readonly string[] = []): { command: string; args: string[] } {
  return { command: process.execPath, args: [memalotBin(), 'mcp', ...args] };
}

/** The environment of the server: this one, minus what would change its output. */
function serverEnvironment(extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined && key !== 'MEMALOT_REPORT_DIR') env[key] = value;
  return { ...env, ...extra };
}

export interface ConnectedServer {
  readonly client: Client;
  /** What the server wrote to stderr so far. */
  stderr(): string;
  close(): Promise<void>;
}

export async function connectToServer(args: readonly string[] = [], env: Record<string, string> = {}): Promise<ConnectedServer> {
  const transport = new StdioClientTransport({ ...mcpServerCommand(args), env: serverEnvironment(env), stderr: 'pipe' });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const client = new Client({ name: 'memalot-test', version: '1.0.0' });
  await client.connect(transport);
  return { client, stderr: () => stderr, close: () => client.close() };
}

/** The text of a tool result's single text block. */
export function textOf(result: CallToolResult): string {
  const [block, ...others] = result.content;
  if (block?.type !== 'text' || others.length > 0) throw new Error(`expected one text block, got ${JSON.stringify(result.content)}`);
  return block.text;
}

/** The server as a bare child process, for raw lines on its stdin. */
export function spawnServer(args: readonly string[] = [], env: Record<string, string> = {}): ChildProcessWithoutNullStreams {
  const { command, args: argv } = mcpServerCommand(args);
  return spawn(command, argv, { env: serverEnvironment(env), stdio: ['pipe', 'pipe', 'pipe'] });
}
