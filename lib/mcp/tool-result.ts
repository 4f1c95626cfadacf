// What a tool returns: its structured content with a text form beside it, or an error whose
// message tells an assistant what to do next. A tool error is a result (isError), not a
// protocol error, so the assistant sees it and the server goes on answering.
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { ReportReadError, type ReportReadProblem } from '../storage/report-reader.js';

/** The step after each reading problem; the reader's own message says what is wrong. */
const NEXT_STEP: Record<ReportReadProblem, string> = {
  'malformed-id': 'Call list_leak_reports for the IDs of the saved reports.',
  'not-found': 'Call list_leak_reports with the same report_directory for the IDs saved there.',
  'no-directory':
    'Pass report_directory: the absolute path the monitored program saved its reports to (its reportDirectory option or MEMALOT_REPORT_DIR).',
  corrupt: 'This report cannot be read as it is; the other reports can (list_leak_reports).',
  'unsupported-version': 'Configure the server to run a memalot that reads it (npx -y memalot@latest mcp).',
};

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
    if (error instanceof ReportReadError) return toolError(`${error.message}. ${NEXT_STEP[error.problem]}`);
    console.error(`memalot mcp: ${tool} failed:`, error);
    const message = error instanceof Error ? error.message : String(error);
    return toolError(`${tool} failed unexpectedly (${message}); this is a bug in memalot, and the server goes on answering.`);
  }
}
