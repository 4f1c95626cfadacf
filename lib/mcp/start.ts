// `memalot mcp`: the MCP server on stdin and stdout. stdout carries the protocol and nothing
// else, so everything that might print (memalot, a dependency, a stray console.log) is sent to
// stderr, where MCP clients keep a server's log.
import { Console } from 'node:console';
import { resolve } from 'node:path';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { defaultReportDirectory } from '../storage/report-reader.js';
import { LineCap, MAX_MESSAGE_BYTES } from './line-cap.js';
import { resultBudgetFromEnvironment } from './result-budget.js';
import { createMcpServer } from './server.js';

export interface StartMcpServerOptions {
  /** Where the tools read reports by default; else $MEMALOT_REPORT_DIR, else ~/.memalot/reports. */
  readonly reportDirectory?: string | undefined;
}

/** Every console method writes to stderr from now on. */
function consoleToStderr(): void {
  globalThis.console = new Console({ stdout: process.stderr, stderr: process.stderr });
}

/** One line for the log: what the transport could not read (zod would print its whole union). */
function describeProtocolError(error: Error): string {
  if (error instanceof SyntaxError) return `skipped a line that is not JSON (${error.message})`;
  if (error.name === 'ZodError') return 'skipped a JSON line that is not a JSON-RPC 2.0 message';
  return error.message;
}

/** Starts serving; resolves once the server listens. It stops when stdin ends (the client left). */
export async function startMcpServer(options: StartMcpServerOptions = {}): Promise<McpServer> {
  consoleToStderr();
  const reportDirectory = options.reportDirectory === undefined ? defaultReportDirectory() : resolve(options.reportDirectory);
  const server = createMcpServer({ reportDirectory, resultBudget: resultBudgetFromEnvironment() });
  // A line that is not JSON-RPC is logged and dropped; the transport reads on.
  server.server.onerror = (error) => console.error(`memalot mcp: ${describeProtocolError(error)}`);
  // The client went away mid-answer: nothing left to answer.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  process.stdin.once('end', () => void server.close());
  const messages = new LineCap(MAX_MESSAGE_BYTES, (bytes) =>
    console.error(`memalot mcp: refused a message of more than ${bytes} bytes (at most ${MAX_MESSAGE_BYTES} are served); serving on`),
  );
  process.stdin.pipe(messages);
  await server.connect(new StdioServerTransport(messages));
  console.error(`memalot mcp: serving the reports in ${reportDirectory}`);
  return server;
}
