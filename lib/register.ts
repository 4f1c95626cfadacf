// `node --import memalot/register app.js`: time-based leak monitoring from the program's first
// line, configured by MEMALOT_* environment variables, with no change to the program.
// `memalot run` starts programs this way.
//
// A variable that cannot be used ends the process with status 2 and one line on stderr that
// names it, before the program's first line runs: someone who asked for monitoring would
// otherwise lose the whole run to a typo, with only a warning to show for it.
import { isMainThread } from 'node:worker_threads';
import { misspeltVariables, monitoringOptionsFrom, SettingError } from './cli/monitoring-settings.js';
import { startLeakMonitoring } from './monitor/time-based.js';

/** Exit status for a configuration that cannot be used, as for a command line's bad usage. */
const BAD_CONFIGURATION = 2;

function complain(message: string): void {
  process.stderr.write(`memalot: ${message}\n`);
}

function register(): void {
  for (const { variable, suggestion } of misspeltVariables(process.env)) {
    complain(`${variable} is not a memalot setting, so it is ignored. Did you mean ${suggestion}?`);
  }
  let options;
  try {
    options = monitoringOptionsFrom(process.env);
  } catch (error) {
    if (!(error instanceof SettingError)) throw error;
    complain(
      `${error.setting.variable}=${JSON.stringify(error.value)} cannot be used: it ${error.requirement}; ` +
        'fix or unset the variable (the program was not started)',
    );
    process.exit(BAD_CONFIGURATION);
  }
  try {
    startLeakMonitoring(options);
  } catch (error) {
    // Only a monitor already running in this thread gets here (a second --import of this
    // module): the program runs, monitored by that one.
    complain(`monitoring could not start: ${error instanceof Error ? error.message.replace(/^memalot: /, '') : String(error)}`);
  }
}

// Worker threads run the --import modules too; each would make a report of its own. The
// program asked for one: its main thread's.
if (isMainThread) register();
