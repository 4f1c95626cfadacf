// The options of both ways of monitoring: their types, defaults and validation.
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkBoolean, checkFunction, checkKnownKeys, checkNumber, checkStrings, fail, OptionError } from './validate.js';

/** Writes one block of a report (a header, a table, a footer...). */
export type OutputFunc = (text: string) => void;
/** Turns a leaked object into the text shown for it, at most `maxLength` characters. */
export type StrFunc = (value: unknown, maxLength: number) => string;

/** Options shared by time-based and function-based monitoring. `undefined` means the default. */
export interface CommonOptions {
  /** Report only types whose name contains one of these (e.g. `['src/session', 'Map']`). Default: all. */
  includedTypeNames?: Iterable<string> | undefined;
  /** Never report types whose name contains one of these. Default: none. */
  excludedTypeNames?: Iterable<string> | undefined;
  /** At most this many rows in the summary table. Default 500. */
  maxTypesInLeakSummary?: number | undefined;
  /** Add each type's total shallow size to the summary. Default false. */
  computeSizeInLeakSummary?: boolean | undefined;
  /**
   * Count survivors that only Node's own modules hold (such as node:internal/timers'
   * `nextExpiry`): Node's bookkeeping, not the program's leak. Default false.
   */
  includeNodeInternals?: boolean | undefined;
  /** Object details (referrers, size, string form): at most this many objects per report. Default 30. */
  maxObjectDetails?: number | undefined;
  /** Search for what keeps each detailed object alive. Default true. */
  checkReferrers?: boolean | undefined;
  /** How deep the referrer search goes; null for no limit. Default 50. */
  referrersMaxDepth?: number | null | undefined;
  /** Seconds the referrer search may take per object; null for no limit. Default 300. */
  referrersSearchTimeout?: number | null | undefined;
  /** At most this many referrers per object; null for no limit. Default 100. */
  singleObjectReferrerLimit?: number | null | undefined;
  /**
   * Seconds one report may block the event loop before its object details are cut short (the
   * report says so); null for no cap. The snapshot and its summary are not cut. Default null.
   */
  maxReportPause?: number | null | undefined;
  /** Modules whose variables are named as module variables in referrer graphs. Default: your own code. */
  referrersModulePrefixes?: Iterable<string> | null | undefined;
  /** Save each report under `reportDirectory`. Default true. */
  saveReports?: boolean | undefined;
  /** Where reports are saved. Default `$MEMALOT_REPORT_DIR`, else `~/.memalot/reports`. */
  reportDirectory?: string | URL | null | undefined;
  /** Makes the string form of a detailed object. Default: a one-line `util.inspect`. */
  strFunc?: StrFunc | null | undefined;
  /** The string form of an object is cut to this many characters. Default 100. */
  strMaxLength?: number | undefined;
  /** Receives the report instead of the console. Default: the console (stdout). */
  outputFunc?: OutputFunc | null | undefined;
  /** With `outputFunc`, also print to the console. Default false. */
  teeConsole?: boolean | undefined;
  /** Treat the output as a terminal (colours) even when it is not one. Default: detected. */
  forceTerminal?: boolean | null | undefined;
  /** Colours, where the output is a terminal; `NO_COLOR` and `FORCE_COLOR` are honoured. Default true. */
  color?: boolean | undefined;
  /**
   * Print the whole report: every row of the tables and each detailed object's whole referrer
   * graph, instead of one trace per cluster within about 150 lines. Default false.
   */
  fullReport?: boolean | undefined;
  /**
   * Record where the leaked objects were allocated (V8's sampling heap profiler) and show the
   * top allocation sites per leak and per type. Default false (see docs/allocation-sites.md).
   */
  captureAllocationSites?: boolean | undefined;
  /** With captureAllocationSites: bytes allocated per sample, on average. Default 65536. */
  allocationSampleInterval?: number | undefined;
  /** Show source lines of files under node_modules beside allocation sites too. Default false. */
  sourceLinesFromNodeModules?: boolean | undefined;
}

export interface TimeBasedOptions extends CommonOptions {
  /** Seconds: objects that live longer than this are reported. */
  maxObjectLifetime: number;
  /** Seconds after start during which created objects are never reported (at least 0.1). Default `maxObjectLifetime`. */
  warmupPeriod?: number | undefined;
  /**
   * With `maxObjectDetails: 0`, take a heap snapshot for the summary all the same. Without
   * one (the default), the summary counts the surviving JavaScript objects by type in one walk
   * of the heap, a fraction of a snapshot's pause, but cannot name strings, numbers or V8's own
   * objects (it counts them together), nor leave out what only Node's modules hold. Default false.
   */
  summaryFromSnapshot?: boolean | undefined;
}

export interface FunctionBasedOptions extends CommonOptions {
  /** Calls at the start that are not monitored (their objects may be caches warming up). Default 1. */
  warmupCalls?: number | undefined;
  /** Objects created during a call are reported if still alive after this many calls. Default 1. */
  maxObjectAgeCalls?: number | undefined;
  /** Monitor one call in this many (the others run untouched), for functions called very often. Default 1. */
  callSampling?: number | undefined;
}

export interface ResolvedCommonOptions {
  readonly includedTypeNames: readonly string[];
  readonly excludedTypeNames: readonly string[];
  readonly maxTypesInLeakSummary: number;
  readonly computeSizeInLeakSummary: boolean;
  readonly includeNodeInternals: boolean;
  readonly maxObjectDetails: number;
  readonly checkReferrers: boolean;
  readonly referrersMaxDepth: number | null;
  readonly referrersSearchTimeout: number | null;
  readonly singleObjectReferrerLimit: number | null;
  readonly maxReportPause: number | null;
  readonly referrersModulePrefixes: readonly string[] | null;
  readonly saveReports: boolean;
  readonly reportDirectory: string;
  readonly strFunc: StrFunc | null;
  readonly strMaxLength: number;
  readonly outputFunc: OutputFunc | null;
  readonly teeConsole: boolean;
  readonly forceTerminal: boolean | null;
  readonly color: boolean;
  readonly fullReport: boolean;
  readonly captureAllocationSites: boolean;
  readonly allocationSampleInterval: number;
  readonly sourceLinesFromNodeModules: boolean;
}

export interface ResolvedTimeBasedOptions extends ResolvedCommonOptions {
  readonly maxObjectLifetime: number;
  readonly warmupPeriod: number;
  readonly summaryFromSnapshot: boolean;
}

/** The shortest maxObjectLifetime, in seconds. */
export const MIN_LIFETIME = 0.1;

/**
 * The shortest warmupPeriod, in seconds: the floor of maxObjectLifetime too, so that the first
 * epoch is never shorter than the program needs to start (a warm-up of 0 counted the startup's
 * own objects, module caches and compiled code, as leaks).
 */
export const MIN_WARMUP = MIN_LIFETIME;

/** setTimeout's limit (2^31-1 ms), in seconds. */
const MAX_SECONDS = 2_147_483;

const COMMON_KEYS = [
  'includedTypeNames', 'excludedTypeNames', 'maxTypesInLeakSummary', 'computeSizeInLeakSummary', 'includeNodeInternals',
  'maxObjectDetails', 'checkReferrers', 'referrersMaxDepth', 'referrersSearchTimeout',
  'singleObjectReferrerLimit', 'maxReportPause', 'referrersModulePrefixes', 'saveReports', 'reportDirectory',
  'strFunc', 'strMaxLength', 'outputFunc', 'teeConsole', 'forceTerminal', 'color', 'fullReport',
  'captureAllocationSites', 'allocationSampleInterval', 'sourceLinesFromNodeModules',
] as const;

/** Bytes per allocation sample by default: see docs/allocation-sites.md for what it costs. */
export const DEFAULT_ALLOCATION_SAMPLE_INTERVAL = 65536;
export const TIME_BASED_KEYS = ['maxObjectLifetime', 'warmupPeriod', ...COMMON_KEYS, 'summaryFromSnapshot'] as const;
export const FUNCTION_BASED_KEYS = ['warmupCalls', 'maxObjectAgeCalls', 'callSampling', ...COMMON_KEYS] as const;

export interface ResolvedFunctionBasedOptions extends ResolvedCommonOptions {
  readonly warmupCalls: number;
  readonly maxObjectAgeCalls: number;
  readonly callSampling: number;
}

export function defaultReportDirectory(): string {
  const fromEnv = process.env['MEMALOT_REPORT_DIR'];
  return fromEnv ? resolve(fromEnv) : join(homedir(), '.memalot', 'reports');
}

function given<T>(value: T | undefined): value is T {
  return value !== undefined;
}

function orNull<T>(value: unknown, check: (v: unknown) => T): T | null {
  return value === null ? null : check(value);
}

function directory(where: string, value: unknown): string {
  if (value === undefined || value === null) return defaultReportDirectory();
  if (value instanceof URL) {
    if (value.protocol !== 'file:') fail(where, 'reportDirectory', 'a path or a file: URL', value.href);
    return fileURLToPath(value);
  }
  if (typeof value !== 'string' || value.length === 0) fail(where, 'reportDirectory', 'a non-empty path (string or file: URL)', value);
  // The file system would cut the path at a NUL: the reports would go somewhere else.
  if (value.includes('\0')) fail(where, 'reportDirectory', 'a path without NUL characters', value);
  return resolve(value);
}

export function resolveCommonOptions(where: string, o: CommonOptions): ResolvedCommonOptions {
  const resolved: ResolvedCommonOptions = {
    includedTypeNames: given(o.includedTypeNames) ? checkStrings(where, 'includedTypeNames', o.includedTypeNames) : [],
    excludedTypeNames: given(o.excludedTypeNames) ? checkStrings(where, 'excludedTypeNames', o.excludedTypeNames) : [],
    maxTypesInLeakSummary: given(o.maxTypesInLeakSummary)
      ? checkNumber(where, 'maxTypesInLeakSummary', o.maxTypesInLeakSummary, { min: 1, max: 1e6, integer: true })
      : 500,
    computeSizeInLeakSummary: given(o.computeSizeInLeakSummary) ? checkBoolean(where, 'computeSizeInLeakSummary', o.computeSizeInLeakSummary) : false,
    includeNodeInternals: given(o.includeNodeInternals) ? checkBoolean(where, 'includeNodeInternals', o.includeNodeInternals) : false,
    maxObjectDetails: given(o.maxObjectDetails)
      ? checkNumber(where, 'maxObjectDetails', o.maxObjectDetails, { min: 0, max: 1e6, integer: true })
      : 30,
    checkReferrers: given(o.checkReferrers) ? checkBoolean(where, 'checkReferrers', o.checkReferrers) : true,
    referrersMaxDepth: given(o.referrersMaxDepth)
      ? orNull(o.referrersMaxDepth, (v) => checkNumber(where, 'referrersMaxDepth', v, { min: 1, max: 1e6, integer: true }))
      : 50,
    referrersSearchTimeout: given(o.referrersSearchTimeout)
      ? orNull(o.referrersSearchTimeout, (v) => checkNumber(where, 'referrersSearchTimeout', v, { min: 0, max: MAX_SECONDS, exclusiveMin: true }))
      : 300,
    singleObjectReferrerLimit: given(o.singleObjectReferrerLimit)
      ? orNull(o.singleObjectReferrerLimit, (v) => checkNumber(where, 'singleObjectReferrerLimit', v, { min: 1, max: 1e9, integer: true }))
      : 100,
    maxReportPause: given(o.maxReportPause)
      ? orNull(o.maxReportPause, (v) => checkNumber(where, 'maxReportPause', v, { min: 0, max: MAX_SECONDS, exclusiveMin: true }))
      : null,
    referrersModulePrefixes: given(o.referrersModulePrefixes)
      ? orNull(o.referrersModulePrefixes, (v) => checkStrings(where, 'referrersModulePrefixes', v))
      : null,
    saveReports: given(o.saveReports) ? checkBoolean(where, 'saveReports', o.saveReports) : true,
    reportDirectory: directory(where, o.reportDirectory),
    strFunc: given(o.strFunc) ? orNull(o.strFunc, (v) => checkFunction<StrFunc>(where, 'strFunc', v)) : null,
    strMaxLength: given(o.strMaxLength) ? checkNumber(where, 'strMaxLength', o.strMaxLength, { min: 1, max: 1e9, integer: true }) : 100,
    outputFunc: given(o.outputFunc) ? orNull(o.outputFunc, (v) => checkFunction<OutputFunc>(where, 'outputFunc', v)) : null,
    teeConsole: given(o.teeConsole) ? checkBoolean(where, 'teeConsole', o.teeConsole) : false,
    forceTerminal: given(o.forceTerminal) ? orNull(o.forceTerminal, (v) => checkBoolean(where, 'forceTerminal', v)) : null,
    color: given(o.color) ? checkBoolean(where, 'color', o.color) : true,
    fullReport: given(o.fullReport) ? checkBoolean(where, 'fullReport', o.fullReport) : false,
    captureAllocationSites: given(o.captureAllocationSites) ? checkBoolean(where, 'captureAllocationSites', o.captureAllocationSites) : false,
    allocationSampleInterval: given(o.allocationSampleInterval)
      ? checkNumber(where, 'allocationSampleInterval', o.allocationSampleInterval, { min: 1, max: 2 ** 30, integer: true })
      : DEFAULT_ALLOCATION_SAMPLE_INTERVAL,
    sourceLinesFromNodeModules: given(o.sourceLinesFromNodeModules)
      ? checkBoolean(where, 'sourceLinesFromNodeModules', o.sourceLinesFromNodeModules)
      : false,
  };
  if (resolved.outputFunc !== null && !resolved.teeConsole && resolved.forceTerminal === true) {
    throw new OptionError(
      `memalot: ${where}: "forceTerminal: true" has no effect when "outputFunc" is set and "teeConsole" is false ` +
        '(nothing is printed to a terminal); remove forceTerminal or set teeConsole: true',
    );
  }
  return resolved;
}

function checkOptionsObject(where: string, options: unknown, example: string): asserts options is object {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new OptionError(`memalot: ${where}: expected an options object such as ${example}; got ${options === null ? 'null' : Array.isArray(options) ? 'an array' : typeof options}`);
  }
}

export function resolveTimeBasedOptions(options: unknown): ResolvedTimeBasedOptions {
  const where = 'startLeakMonitoring()';
  checkOptionsObject(where, options, '{ maxObjectLifetime: 60 }');
  checkKnownKeys(where, options, TIME_BASED_KEYS);
  const o = options as TimeBasedOptions;
  if (o.maxObjectLifetime === undefined) {
    throw new OptionError(`memalot: ${where}: option "maxObjectLifetime" is required: the number of seconds after which a live object counts as a possible leak`);
  }
  // At least MIN_LIFETIME: each iteration takes a snapshot, and 1e-9 s between them left the
  // program itself almost no time to run (9 of 200 of its timer ticks did).
  const maxObjectLifetime = checkNumber(where, 'maxObjectLifetime', o.maxObjectLifetime, { min: MIN_LIFETIME, max: MAX_SECONDS });
  const warmupPeriod = o.warmupPeriod === undefined
    ? maxObjectLifetime
    : checkNumber(where, 'warmupPeriod', o.warmupPeriod, { min: MIN_WARMUP, max: MAX_SECONDS });
  const summaryFromSnapshot = o.summaryFromSnapshot === undefined ? false : checkBoolean(where, 'summaryFromSnapshot', o.summaryFromSnapshot);
  return { ...resolveCommonOptions(where, o), maxObjectLifetime, warmupPeriod, summaryFromSnapshot };
}

export function resolveFunctionBasedOptions(where: string, options: unknown): ResolvedFunctionBasedOptions {
  const given = options === undefined ? {} : options;
  checkOptionsObject(where, given, '{ maxObjectAgeCalls: 1 }');
  checkKnownKeys(where, given, FUNCTION_BASED_KEYS);
  const o = given as FunctionBasedOptions;
  const count = (option: keyof FunctionBasedOptions, value: unknown, min: number, fallback: number) =>
    value === undefined ? fallback : checkNumber(where, option, value, { min, max: Number.MAX_SAFE_INTEGER, integer: true });
  return {
    ...resolveCommonOptions(where, o),
    warmupCalls: count('warmupCalls', o.warmupCalls, 0, 1),
    maxObjectAgeCalls: count('maxObjectAgeCalls', o.maxObjectAgeCalls, 1, 1),
    callSampling: count('callSampling', o.callSampling, 1, 1),
  };
}

/** The options as saved in a report's summary: functions by name, everything else as given. */
export function describeOptions(options: ResolvedCommonOptions & Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) {
    out[key] = typeof value === 'function' ? `[function ${value.name || 'anonymous'}]` : value;
  }
  return out;
}
