// The monitoring options that can be given from outside the program: as MEMALOT_* environment
// variables (read by `node --import memalot/register`) and as flags of `memalot run` (which
// passes them to the program as those variables). One table, so that a flag, its variable and
// its option can never drift apart; values are checked by the library's own validation.
//
// This module is loaded before a monitored program's first line: it must stay small (no
// commander, no zod).
import { resolveTimeBasedOptions, type TimeBasedOptions } from '../monitor/options.js';
import { editDistance } from '../monitor/validate.js';

/** How a setting's text becomes an option value. */
type Kind =
  | 'seconds' // a number of seconds
  | 'count' // a whole number
  | 'count-or-none' // a whole number, or "none" for no limit
  | 'seconds-or-none'
  | 'on' // a boolean
  | 'names' // a list of names: comma-separated, or a JSON array when a name holds a comma
  | 'path';

export interface MonitoringSetting {
  readonly option: keyof TimeBasedOptions;
  readonly variable: string;
  /** The `memalot run` flag, as commander declares it. */
  readonly flag: string;
  readonly kind: Kind;
  readonly description: string;
}

/** The default lifetime when none is given: the library requires one, a command line should not. */
export const DEFAULT_MAX_OBJECT_LIFETIME = 60;

export const MONITORING_SETTINGS: readonly MonitoringSetting[] = [
  {
    option: 'maxObjectLifetime', variable: 'MEMALOT_MAX_OBJECT_LIFETIME', flag: '--max-object-lifetime <seconds>', kind: 'seconds',
    description: `objects alive longer than this are possible leaks; also the time between reports (default ${DEFAULT_MAX_OBJECT_LIFETIME})`,
  },
  {
    option: 'warmupPeriod', variable: 'MEMALOT_WARMUP_PERIOD', flag: '--warmup-period <seconds>', kind: 'seconds',
    description: 'objects created during the warm-up are never reported (default: the lifetime)',
  },
  {
    option: 'includedTypeNames', variable: 'MEMALOT_INCLUDED_TYPE_NAMES', flag: '--include-type <name>', kind: 'names',
    description: 'report only types whose name contains this (repeatable)',
  },
  {
    option: 'excludedTypeNames', variable: 'MEMALOT_EXCLUDED_TYPE_NAMES', flag: '--exclude-type <name>', kind: 'names',
    description: 'never report types whose name contains this (repeatable)',
  },
  {
    option: 'maxTypesInLeakSummary', variable: 'MEMALOT_MAX_TYPES_IN_LEAK_SUMMARY', flag: '--max-types-in-leak-summary <n>', kind: 'count',
    description: 'rows in the summary table (default 500)',
  },
  {
    option: 'computeSizeInLeakSummary', variable: 'MEMALOT_COMPUTE_SIZE_IN_LEAK_SUMMARY', flag: '--compute-size-in-leak-summary', kind: 'on',
    description: "add each type's total shallow size to the summary",
  },
  {
    option: 'includeNodeInternals', variable: 'MEMALOT_INCLUDE_NODE_INTERNALS', flag: '--include-node-internals', kind: 'on',
    description: "count what only Node's own modules hold (their bookkeeping)",
  },
  {
    option: 'maxObjectDetails', variable: 'MEMALOT_MAX_OBJECT_DETAILS', flag: '--max-object-details <n>', kind: 'count',
    description: 'objects detailed per report (default 30)',
  },
  {
    option: 'summaryFromSnapshot', variable: 'MEMALOT_SUMMARY_FROM_SNAPSHOT', flag: '--summary-from-snapshot', kind: 'on',
    description: 'with --max-object-details 0: take a heap snapshot for the summary (names strings and numbers; slower)',
  },
  {
    option: 'checkReferrers', variable: 'MEMALOT_CHECK_REFERRERS', flag: '--no-check-referrers', kind: 'on',
    description: 'do not search what keeps each detailed object alive',
  },
  {
    option: 'referrersMaxDepth', variable: 'MEMALOT_REFERRERS_MAX_DEPTH', flag: '--referrers-max-depth <n>', kind: 'count-or-none',
    description: 'depth of the referrer search, or "none" (default 50)',
  },
  {
    option: 'referrersSearchTimeout', variable: 'MEMALOT_REFERRERS_SEARCH_TIMEOUT', flag: '--referrers-search-timeout <seconds>', kind: 'seconds-or-none',
    description: 'time limit of the referrer search per object, or "none" (default 300)',
  },
  {
    option: 'singleObjectReferrerLimit', variable: 'MEMALOT_SINGLE_OBJECT_REFERRER_LIMIT', flag: '--single-object-referrer-limit <n>', kind: 'count-or-none',
    description: 'referrers shown per object, or "none" (default 100)',
  },
  {
    option: 'maxReportPause', variable: 'MEMALOT_MAX_REPORT_PAUSE', flag: '--max-report-pause <seconds>', kind: 'seconds-or-none',
    description: 'seconds one report may block the event loop before its object details are cut short, or "none" (default none)',
  },
  {
    option: 'referrersModulePrefixes', variable: 'MEMALOT_REFERRERS_MODULE_PREFIXES', flag: '--referrers-module-prefix <prefix>', kind: 'names',
    description: 'modules whose variables are named as module variables (repeatable; default: your own code)',
  },
  {
    option: 'saveReports', variable: 'MEMALOT_SAVE_REPORTS', flag: '--no-save-reports', kind: 'on',
    description: 'print reports without saving them',
  },
  {
    option: 'reportDirectory', variable: 'MEMALOT_REPORT_DIR', flag: '-d, --report-directory <dir>', kind: 'path',
    description: 'where reports are saved (default: $MEMALOT_REPORT_DIR, else ~/.memalot/reports)',
  },
  {
    option: 'strMaxLength', variable: 'MEMALOT_STR_MAX_LENGTH', flag: '--str-max-length <n>', kind: 'count',
    description: "string forms of objects are cut to this length (default 100)",
  },
  {
    option: 'forceTerminal', variable: 'MEMALOT_FORCE_TERMINAL', flag: '--force-terminal', kind: 'on',
    description: 'style the reports for a terminal even when the output is not one',
  },
  {
    option: 'color', variable: 'MEMALOT_COLOR', flag: '--no-color', kind: 'on',
    description: 'no colours in the reports (NO_COLOR does the same)',
  },
  {
    option: 'fullReport', variable: 'MEMALOT_FULL_REPORT', flag: '--full-report', kind: 'on',
    description: "every table row and each detailed object's whole referrer graph, not one trace per cluster",
  },
  {
    option: 'captureAllocationSites', variable: 'MEMALOT_CAPTURE_ALLOCATION_SITES', flag: '--capture-allocation-sites', kind: 'on',
    description: 'record where the leaked objects were allocated (sampled) and show the top sites',
  },
  {
    option: 'allocationSampleInterval', variable: 'MEMALOT_ALLOCATION_SAMPLE_INTERVAL', flag: '--allocation-sample-interval <bytes>', kind: 'count',
    description: 'with --capture-allocation-sites: bytes allocated per sample, on average (default 65536)',
  },
  {
    option: 'sourceLinesFromNodeModules', variable: 'MEMALOT_SOURCE_LINES_FROM_NODE_MODULES', flag: '--source-lines-from-node-modules', kind: 'on',
    description: 'show source lines of files under node_modules beside allocation sites too',
  },
];

/** A setting whose value cannot be used; the message says what it must be, without naming it. */
export class SettingError extends Error {
  constructor(
    readonly setting: MonitoringSetting,
    readonly value: string,
    readonly requirement: string,
  ) {
    super(`${setting.variable}=${JSON.stringify(value)}: ${requirement}`);
  }
}

const TRUE = new Set(['1', 'true', 'yes', 'on']);
const FALSE = new Set(['0', 'false', 'no', 'off']);
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

function parseNumber(setting: MonitoringSetting, text: string, what: string): number {
  const trimmed = text.trim();
  if (!NUMBER.test(trimmed)) throw new SettingError(setting, text, `must be ${what}`);
  return Number(trimmed);
}

/** Names as the variables hold them: "a,b", or '["a,1","b"]' when a name holds a comma. */
export function encodeNames(names: readonly string[]): string {
  return names.some((n) => n.includes(',') || n.startsWith('[')) ? JSON.stringify(names) : names.join(',');
}

function parseNames(setting: MonitoringSetting, text: string): string[] {
  if (text.trimStart().startsWith('[')) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    if (!Array.isArray(json) || !json.every((n) => typeof n === 'string' && n !== '')) {
      throw new SettingError(setting, text, 'must be names separated by commas, or a JSON array of non-empty strings');
    }
    return json as string[];
  }
  const names = text.split(',').map((n) => n.trim()).filter((n) => n !== '');
  if (names.length === 0) throw new SettingError(setting, text, 'must be names separated by commas, such as "Session,src/cache"');
  return names;
}

function parseValue(setting: MonitoringSetting, text: string): unknown {
  switch (setting.kind) {
    case 'seconds':
      return parseNumber(setting, text, 'a number of seconds, such as 60 or 0.5');
    case 'count':
      return parseNumber(setting, text, 'a whole number, such as 30');
    case 'seconds-or-none':
      return text.trim().toLowerCase() === 'none' ? null : parseNumber(setting, text, 'a number of seconds, or "none" for no limit');
    case 'count-or-none':
      return text.trim().toLowerCase() === 'none' ? null : parseNumber(setting, text, 'a whole number, or "none" for no limit');
    case 'on': {
      const word = text.trim().toLowerCase();
      if (TRUE.has(word)) return true;
      if (FALSE.has(word)) return false;
      throw new SettingError(setting, text, 'must be true or false (or 1 or 0)');
    }
    case 'names':
      return parseNames(setting, text);
    case 'path':
      if (text.trim() === '') throw new SettingError(setting, text, 'must be a directory');
      return text;
  }
}

/** The library's validation names the option ("option "warmupPeriod" must be ...; got -1"). */
const OPTION_ERROR = /option "(\w+)" (must be .*?)(?:; got .*)?$/;

/**
 * The time-based options that the MEMALOT_* variables of `env` ask for, checked by the
 * library's validation; a variable that cannot be used is a SettingError naming it.
 */
export function monitoringOptionsFrom(env: NodeJS.ProcessEnv): TimeBasedOptions {
  const options: Record<string, unknown> = { maxObjectLifetime: DEFAULT_MAX_OBJECT_LIFETIME };
  for (const setting of MONITORING_SETTINGS) {
    const text = env[setting.variable];
    if (text === undefined || (text === '' && setting.kind === 'path')) continue;
    options[setting.option] = parseValue(setting, text);
  }
  try {
    resolveTimeBasedOptions(options);
  } catch (error) {
    const match = error instanceof Error ? OPTION_ERROR.exec(error.message) : null;
    const setting = MONITORING_SETTINGS.find((s) => s.option === match?.[1]);
    if (match === null || setting === undefined) throw error;
    const given = env[setting.variable] ?? String(options[setting.option]);
    throw new SettingError(setting, given, match[2]!.replace(/\.$/, ''));
  }
  return options as unknown as TimeBasedOptions;
}

/**
 * MEMALOT_* variables that look like a misspelt setting, each with the setting it resembles.
 * Variables far from every setting are someone else's (MEMALOT_NODE_CACHE...) and left alone.
 */
export function misspeltVariables(env: NodeJS.ProcessEnv): { variable: string; suggestion: string }[] {
  const known = MONITORING_SETTINGS.map((s) => s.variable);
  return Object.keys(env)
    .filter((name) => name.startsWith('MEMALOT_') && !known.includes(name))
    .flatMap((variable) => {
      const nearest = [...known].sort((x, y) => editDistance(variable, x) - editDistance(variable, y))[0];
      return nearest !== undefined && editDistance(variable, nearest) <= 3 ? [{ variable, suggestion: nearest }] : [];
    });
}
