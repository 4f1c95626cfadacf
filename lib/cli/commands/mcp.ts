// `memalot mcp`: the MCP server on stdio, for assistants to read the saved reports. An MCP
// client starts it (`npx -y memalot mcp`) and talks to it over stdin and stdout; it runs until
// the client closes stdin.
import { Command } from 'commander';
import { reportDirectoryOption, type ReportDirectoryOption } from './shared-options.js';

export function mcpCommand(): Command {
  return new Command('mcp')
    .description('serve the saved reports to AI assistants: an MCP server on stdio (stdout carries the protocol, logs go to stderr)')
    .addOption(reportDirectoryOption())
    .addHelpText(
      'after',
      '\nAn MCP client configuration:\n  { "mcpServers": { "memalot": { "command": "npx", "args": ["-y", "memalot", "mcp"] } } }\n' +
        '\nTools: list_leak_reports, get_leak_report, get_leak_trend (all read-only).',
    )
    .action(async (options: ReportDirectoryOption) => {
      // Loaded here, so that the other commands do not load the MCP SDK.
      const { startMcpServer } = await import('../../mcp/start.js');
      await startMcpServer({ reportDirectory: options.reportDirectory });
    });
}
