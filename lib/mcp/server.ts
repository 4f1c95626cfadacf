// The memalot MCP server: three read-only tools over the reports saved on this machine.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { memalotVersion } from '../monitor/version.js';
import { registerGetLeakReport } from './tools/get-leak-report.js';
import { registerGetLeakTrend } from './tools/get-leak-trend.js';
import { registerListLeakReports } from './tools/list-leak-reports.js';

export interface McpServerSettings {
  /** Where the tools read reports when a call names no report_directory; absolute. */
  readonly reportDirectory: string;
  /** Characters a tool result may take (structured content and text together). */
  readonly resultBudget: number;
}

/** Told to the client at initialization; clients may pass it on to the model. */
const INSTRUCTIONS =
  'memalot finds memory leaks in Node.js programs and saves a report per monitored run. ' +
  'Call list_leak_reports for the report IDs, get_leak_trend to see which types leak again and again (a growing leak) ' +
  'and which leaked once, and get_leak_report for the leaked types and what keeps their objects alive (referrer graphs).';

export function createMcpServer(settings: McpServerSettings): McpServer {
  const server = new McpServer({ name: 'memalot', title: 'memalot', version: memalotVersion }, { instructions: INSTRUCTIONS });
  registerListLeakReports(server, settings.reportDirectory, settings.resultBudget);
  registerGetLeakReport(server, settings.reportDirectory, settings.resultBudget);
  registerGetLeakTrend(server, settings.reportDirectory, settings.resultBudget);
  return server;
}
