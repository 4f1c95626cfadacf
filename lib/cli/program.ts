// The `memalot` command: its subcommands, its help, and how it fails.
import { Command, CommanderError } from 'commander';
import { memalotVersion } from '../monitor/version.js';
import { listCommand } from './commands/list.js';
import { mcpCommand } from './commands/mcp.js';
import { printCommand } from './commands/print.js';
import { runCommand } from './commands/run.js';
import { printable } from '../report/render-details.js';
import { describeFailure, EXIT_USAGE } from './errors.js';

/**
 * The subcommands, in the order help lists them. To add one, write lib/cli/commands/<name>.ts
 * exporting a function that returns its Command, and add that function here.
 */
const COMMANDS: readonly (() => Command)[] = [listCommand, printCommand, runCommand, mcpCommand];

/** What every command shares: usage errors as one line (status 2), never process.exit mid-flight. */
function configure(command: Command): Command {
  const name = command.name() === 'memalot' ? 'memalot' : `memalot ${command.name()}`;
  return command
    .exitOverride()
    .showSuggestionAfterError(true)
    .configureOutput({
      // commander's "error: unknown option '--x'\n(Did you mean --y?)" as one line, with the way out.
      outputError: (text, write) => {
        const line = text.replace(/^error: /, '').replace(/\s*\n\s*/g, ' ').trim().replace(/\.$/, '');
        write(`memalot: ${line} (see ${name} --help)\n`);
      },
    });
}

export function buildProgram(): Command {
  const program = configure(new Command('memalot'))
    .description('Finds memory leaks in Node.js programs: run a program monitored, list and print the reports it saved.')
    .version(memalotVersion, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'print help')
    // Options after `run SCRIPT` belong to the script, not to memalot.
    .enablePositionalOptions()
    .addHelpText('after', '\nRun "memalot <command> --help" for the options of a command.');
  for (const make of COMMANDS) program.addCommand(configure(make()).helpOption('-h, --help', 'print help'));
  return program;
}

/** Runs the command line `args` (without node and the script); resolves to the exit status. */
export async function main(args: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync([...args], { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version asked for are a success; help shown because no command was given
      // (commander's status 1 then) is bad usage, as is every other complaint of commander's.
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return 0;
      if (error.code === 'commander.help' && error.exitCode === 0) return 0;
      return EXIT_USAGE;
    }
    const { line, exitCode } = describeFailure(error);
    // A message can quote a report's contents (an ID, a path, a file's first characters).
    process.stderr.write(`memalot: ${printable(line)}\n`);
    return exitCode;
  }
}
