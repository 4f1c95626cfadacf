// What a tool returns: its structured content with a text form beside it, or an error whose
// message tells an assistant what to do next. A tool error is a result (isError), not a
// protocol error, so the assistant sees it and the server goes on answering.
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { LIST_ADVICE, ReportReadError, type ReportReadProblem } from '../storage/report-reader.js';

/** The step after each reading problem, in this server's terms; the reader's message says what is wrong. */
const NEXT_STEP: Record<ReportReadProblem, string> = {
  'malformed-id': '; call list_leak_reports for the IDs of the saved reports',
  'not-found': '; call list_leak_reports (with the same report_directory, if you gave one) for the IDs saved there',
  'no-directory': '. Pass it as report_directory, an absolute path (the monitored program\'s reportDirectory option or MEMALOT_REPORT_DIR)',
  corrupt: '. The other reports can still be read (list_leak_reports lists them)',
  'unsupported-version': '. Have the MCP client run the newest memalot: "args": ["-y", "memalot@latest", "mcp"]',
};

/** The reader's message, with its generic advice on listing replaced by this server's. */
function readErrorMessage(error: ReportReadError): string {
  const message = error.message.endsWith(LIST_ADVICE) ? error.message.slice(0, -LIST_ADVICE.length) : error.message;
  return `${message}${NEXT_STEP[error.problem]}.`;
}

export function textAndStructured(text: string, structured: Record<string, unknown>): CallToolResult {
  return { content: [{ type: 'text', text }], structuredContent: structured };
}

export function toolError(message: string): CallToolResult {
  return { content: [{ type: 'text', text: message }], isError: true };
}

/**
 * Runs a tool's work; what it throws becomes a tool error. A ReportReadError is expected (a
 * wrong ID, a missing directory, a damaged file); anything else is a bug in memalot, logged with
 * its stack on stderr (never stdout: that is the protocol's).
 */
export async function answer(tool: string, work: () => CallToolResult | Promise<CallToolResult>): Promise<CallToolResult> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ReportReadError) return toolError(readErrorMessage(error));
    console.error(`memalot mcp: ${tool} failed:`, error);
    const message = error instanceof Error ? error.message : String(error);
    return toolError(`${tool} failed unexpectedly (${message}); this is a bug in memalot, and the server goes on answering.`);
  }
}
