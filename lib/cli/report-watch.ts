// What `memalot run` knows of the report its program is saving: found on disk by the program's
// process ID (summary.json records it), since the program's output is its own and not read.
// While the first report is late, and stderr is a terminal, one line says why nothing shows.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { formatSeconds } from '../report/format.js';
import { REPORT_DIR_PREFIX } from '../storage/report-writer.js';
import { defaultReportDirectory, loadReport } from '../storage/report-reader.js';

export interface WatchSettings {
  /** Where the program saves; undefined for the default directory. */
  readonly reportDirectory: string | undefined;
  readonly saveReports: boolean;
  /** Seconds from the start to the first report (warm-up + lifetime). */
  readonly firstReportAfter: number;
  readonly childPid: () => number | undefined;
}

export interface WatchOutcome {
  readonly reportId?: string;
  readonly iterations: number;
  readonly directory: string;
}

/** A first report this late (seconds past due) is worth a word: the program's loop is busy. */
const LATE_AFTER = 5;
const POLL_MS = 1000;

/** The report that process `pid` started saving after `since` (ms), if any. */
function findReport(directory: string, pid: number, since: number): WatchOutcome {
  let names: string[];
  try {
    names = readdirSync(directory);
  } catch {
    return { iterations: 0, directory };
  }
  for (const name of names) {
    if (!name.startsWith(REPORT_DIR_PREFIX)) continue;
    try {
      // Only directories made since the program started can be its report.
      if (statSync(join(directory, name)).mtimeMs < since - 1000) continue;
      const report = loadReport(directory, name.slice(REPORT_DIR_PREFIX.length));
      if (report.summary.pid === pid && Date.parse(report.summary.startTime) >= since - 1000) {
        return { reportId: report.summary.reportId, iterations: report.iterationNumbers.length, directory };
      }
    } catch {
      // Another program's report, half-written or damaged: not this one.
    }
  }
  return { iterations: 0, directory };
}

export function watchForReport(settings: WatchSettings) {
  const started = Date.now();
  const directory = settings.reportDirectory ?? defaultReportDirectory();
  let announced = false;
  let seen = false;
  const poll =
    settings.saveReports && process.stderr.isTTY
      ? setInterval(() => {
          const pid = settings.childPid();
          if (seen || pid === undefined) return;
          seen = findReport(directory, pid, started).iterations > 0;
          const late = (Date.now() - started) / 1000 - settings.firstReportAfter;
          if (!seen && !announced && late > LATE_AFTER) {
            announced = true;
            process.stderr.write(
              `memalot: still waiting for the first report, due ${formatSeconds(Math.round(late))} ago ` +
                "(reports run on the program's event loop, so a busy program delays them)\n",
            );
          }
        }, POLL_MS)
      : undefined;
  poll?.unref();

  return {
    firstReportAfter: settings.firstReportAfter,
    /** Stops watching; what the program saved. */
    stop(): WatchOutcome {
      if (poll !== undefined) clearInterval(poll);
      const pid = settings.childPid();
      return settings.saveReports && pid !== undefined ? findReport(directory, pid, started) : { iterations: 0, directory };
    },
  };
}
