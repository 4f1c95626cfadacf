// `memalot run [options] [--] SCRIPT [ARGS...]`: runs a Node.js program with time-based leak
// monitoring from its first line, with no change to its code. The program is started as
// `node --import <memalot/register> SCRIPT ARGS...` with the options as MEMALOT_* variables; it
// shares this terminal (stdin, stdout, stderr), gets the signals sent to this process, and its
// exit status becomes this command's.
import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { constants } from 'node:os';
import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { formatSeconds } from '../../report/format.js';
import { defaultReportDirectory } from '../../storage/report-reader.js';
import { collect } from '../arguments.js';
import { CliError, EXIT_USAGE } from '../errors.js';
import { encodeNames, MONITORING_SETTINGS, monitoringOptionsFrom, SettingError, type MonitoringSetting } from '../monitoring-settings.js';
import { watchForReport } from '../report-watch.js';

/** The entry point that starts monitoring before the program: this package's own, by path. */
const REGISTER_URL = new URL('../../register.js', import.meta.url);

/** Signals that stop a program: passed on, so that the program (not memalot) decides what to do. */
const FORWARDED_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'];

/** commander's name for a flag's value: "--max-object-lifetime <seconds>" -> "maxObjectLifetime". */
function attributeOf(setting: MonitoringSetting): string {
  const long = flagName(setting).replace(/^--(no-)?/, '');
  return long.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

function optionFor(setting: MonitoringSetting): Option {
  const option = new Option(setting.flag, `${setting.description} [${setting.variable}]`);
  if (setting.kind === 'names') option.argParser(collect);
  return option;
}

/**
 * The MEMALOT_* variables that the flags on the command line ask for. A flag not given leaves
 * the environment's variable as it is (commander gives --no-x flags a default of true: that is
 * not the person's choice, so only values from the command line count).
 */
function variablesFromFlags(command: Command): Record<string, string> {
  const flags = command.opts();
  const variables: Record<string, string> = {};
  for (const setting of MONITORING_SETTINGS) {
    const attribute = attributeOf(setting);
    const value = flags[attribute];
    if (value === undefined || command.getOptionValueSource(attribute) !== 'cli') continue;
    if (setting.kind === 'names') variables[setting.variable] = encodeNames(value as string[]);
    else if (setting.kind === 'path') variables[setting.variable] = resolve(value as string);
    else variables[setting.variable] = String(value);
  }
  return variables;
}

/** The long flag: "--report-directory" of "-d, --report-directory <dir>". */
function flagName(setting: MonitoringSetting): string {
  return /--[a-z-]+/.exec(setting.flag)![0];
}

/** A value that cannot be used is named as the person gave it: a flag, or a variable of the environment. */
function checkOptions(env: NodeJS.ProcessEnv, fromFlags: Record<string, string>) {
  try {
    return monitoringOptionsFrom(env);
  } catch (error) {
    if (!(error instanceof SettingError)) throw error;
    const { setting, value, requirement } = error;
    const culprit = setting.variable in fromFlags ? `${flagName(setting)} ${JSON.stringify(value)}` : `${setting.variable}=${JSON.stringify(value)} (in the environment)`;
    throw new CliError(`${culprit} cannot be used: it ${requirement}`, EXIT_USAGE);
  }
}

function checkScript(script: string): void {
  const path = resolve(script);
  if (!existsSync(path)) throw new CliError(`cannot run ${script}: there is no such file (from ${process.cwd()})`);
  if (statSync(path).isDirectory()) throw new CliError(`cannot run ${script}: it is a directory; give the program's file`);
}

async function run(script: string, args: string[], command: Command): Promise<number> {
  const fromFlags = variablesFromFlags(command);
  const env = { ...process.env, ...fromFlags };
  const options = checkOptions(env, fromFlags);
  checkScript(script);

  const started = Date.now();
  const child = spawn(process.execPath, ['--import', REGISTER_URL.href, script, ...args], { stdio: 'inherit', env });
  const forward = (signal: NodeJS.Signals) => {
    // The terminal sends Ctrl-C to the program too; passing it on as well is what npm and
    // other launchers do: a program that counts interrupts sees two.
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  for (const signal of FORWARDED_SIGNALS) process.on(signal, forward);

  const watch = watchForReport({
    reportDirectory: options.reportDirectory === undefined ? undefined : resolve(String(options.reportDirectory)),
    saveReports: options.saveReports !== false,
    firstReportAfter: (options.warmupPeriod ?? options.maxObjectLifetime) + options.maxObjectLifetime,
    childPid: () => child.pid,
  });

  const { code, signal } = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolvePromise, reject) => {
    child.on('error', (error) => reject(new CliError(`cannot start ${process.execPath}: ${error.message}`)));
    child.on('exit', (exitCode, exitSignal) => resolvePromise({ code: exitCode, signal: exitSignal }));
  });
  const outcome = watch.stop();
  for (const s of FORWARDED_SIGNALS) process.off(s, forward);

  const ranFor = (Date.now() - started) / 1000;
  if (outcome.iterations === 0 && options.saveReports !== false && ranFor < watch.firstReportAfter) {
    const due = formatSeconds(watch.firstReportAfter);
    process.stderr.write(
      `memalot: ${script} ended before its first report (due ${due} after it started), so nothing was saved; ` +
        'a shorter --max-object-lifetime or --warmup-period reports sooner\n',
    );
  } else if (outcome.iterations === 0 && options.saveReports !== false) {
    // It ran long enough: the reports were printed but could not be saved (memalot said why).
    process.stderr.write(`memalot: no report of ${script} was saved in ${outcome.directory}\n`);
  } else if (outcome.reportId !== undefined && process.stderr.isTTY) {
    const where = outcome.directory === defaultReportDirectory() ? '' : ` --report-directory ${JSON.stringify(outcome.directory)}`;
    const iterations = `${outcome.iterations} iteration${outcome.iterations === 1 ? '' : 's'}`;
    process.stderr.write(`memalot: report ${outcome.reportId} (${iterations}); see it again with: memalot print ${outcome.reportId}${where}\n`);
  }
  if (signal !== null) {
    // Ended by a signal: end the same way, so that whoever started memalot sees what happened.
    process.kill(process.pid, signal);
    return 128 + (constants.signals[signal] ?? 0);
  }
  return code ?? 1;
}

export function runCommand(): Command {
  const command = new Command('run')
    .description('run a Node.js program with time-based leak monitoring from its first line (no change to its code)')
    .argument('<SCRIPT>', 'the program, e.g. app.js')
    .argument('[ARGS...]', "the program's own arguments")
    // Everything after SCRIPT is the program's, even what looks like an option.
    .passThroughOptions()
    .addHelpText(
      'after',
      '\nEach option can also be given as the environment variable in brackets.\n' +
        'Equivalent without this command: MEMALOT_MAX_OBJECT_LIFETIME=10 node --import memalot/register app.js\n\n' +
        'Examples:\n  memalot run --max-object-lifetime 10 app.js --port 8080\n  memalot run --include-type Session --include-type src/cache -- server.mjs',
    );
  for (const setting of MONITORING_SETTINGS) command.addOption(optionFor(setting));
  return command.action(async (script: string, args: string[]) => {
    process.exitCode = await run(script, args, command);
  });
}
