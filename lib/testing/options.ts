// The options of assertNoLeaks(): those of function-based monitoring, plus how many calls to
// make and which leaks a test accepts. Validated like the monitor's, each error naming the option.
import { FUNCTION_BASED_KEYS, type FunctionBasedOptions } from '../monitor/options.js';
import { checkKnownKeys, checkNumber, fail } from '../monitor/validate.js';

/** A type a test accepts as leaked: its exact name (as reports show it), or a pattern. */
export type AllowedLeak = string | RegExp;

export interface AssertNoLeaksOptions extends FunctionBasedOptions {
  /**
   * How many times `fn` is called, the `warmupCalls` first (default 1 warm-up). The objects of the
   * first call after the warm-ups must be gone once the last call has returned. Default 3.
   */
  calls?: number | undefined;
  /**
   * Leaks the test accepts: a string is a type's exact name (`'Map'`, `'src/cache.js:Entry'`), a
   * RegExp a pattern (`/cache\.js:/`). An accepted holder (the "Held by" type of a leak) accepts
   * what it carries. The message of a failure lists what was accepted. Default: none.
   */
  allow?: Iterable<AllowedLeak> | undefined;
}

export const WHERE = 'assertNoLeaks()';
export const DEFAULT_CALLS = 3;

export interface ResolvedTestOptions {
  readonly calls: number;
  readonly allow: readonly AllowedLeak[];
  /** What the monitor is given: the user's options, with maxObjectAgeCalls and a silent console unless asked. */
  readonly monitor: FunctionBasedOptions;
}

function allowList(value: unknown): AllowedLeak[] {
  const expected = "an iterable of type names and RegExps, such as ['Map', /cache\\.js:/]";
  if (typeof value === 'string' || value instanceof RegExp) fail(WHERE, 'allow', `${expected}, not a single one`, value);
  if (value === null || typeof value !== 'object' || typeof (value as Iterable<unknown>)[Symbol.iterator] !== 'function') fail(WHERE, 'allow', expected, value);
  const list: AllowedLeak[] = [];
  for (const item of value as Iterable<unknown>) {
    if (!(item instanceof RegExp) && (typeof item !== 'string' || item.length === 0)) fail(WHERE, 'allow', `${expected} (each a non-empty string or a RegExp)`, item);
    list.push(item);
  }
  return list;
}

function count(option: string, value: unknown, min: number, fallback: number): number {
  return value === undefined ? fallback : checkNumber(WHERE, option, value, { min, max: Number.MAX_SAFE_INTEGER, integer: true });
}

export function resolveTestOptions(options: unknown): ResolvedTestOptions {
  const given = options === undefined ? {} : options;
  if (given === null || typeof given !== 'object' || Array.isArray(given)) {
    throw new TypeError(`memalot: ${WHERE}: options must be an object, such as { calls: 5 }; got ${given === null ? 'null' : Array.isArray(given) ? 'an array' : typeof given}`);
  }
  checkKnownKeys(WHERE, given, [...FUNCTION_BASED_KEYS, 'calls', 'allow']);
  const { calls: callsGiven, allow, ...monitor } = given as AssertNoLeaksOptions;
  const calls = count('calls', callsGiven, 2, DEFAULT_CALLS);
  // The monitor validates these again; they are read here to know which calls are checked.
  const warmups = count('warmupCalls', monitor.warmupCalls, 0, 1);
  const sampling = count('callSampling', monitor.callSampling, 1, 1);
  // With sampling S the calls 0, S, 2S... are monitored; the first `warmups` of them are warm-ups.
  const monitored = Math.floor((calls - 1) / sampling) + 1;
  const checked = monitored - warmups;
  if (checked < 1) {
    fail(WHERE, 'calls', `more than the monitored warm-up calls (${warmups} warmupCalls${sampling > 1 ? `, one call in ${sampling} monitored` : ''}), so that a call is checked`, callsGiven ?? calls);
  }
  const age = count('maxObjectAgeCalls', monitor.maxObjectAgeCalls, 1, checked);
  if (age > checked) {
    fail(WHERE, 'calls', `enough for maxObjectAgeCalls (${age}) checked calls after ${warmups} warm-up${warmups === 1 ? '' : 's'}: at least ${(warmups + age - 1) * sampling + 1}`, callsGiven ?? calls);
  }
  return {
    calls,
    allow: allow === undefined ? [] : allowList(allow),
    monitor: {
      ...monitor,
      maxObjectAgeCalls: age,
      // The report is the assertion's message; the console stays quiet unless asked (teeConsole).
      outputFunc: monitor.outputFunc === undefined ? () => {} : monitor.outputFunc,
    },
  };
}

export function allows(allow: readonly AllowedLeak[], typeName: string): AllowedLeak | undefined {
  return allow.find((entry) => (typeof entry === 'string' ? entry === typeName : new RegExp(entry.source, entry.flags.replace(/[gy]/g, '')).test(typeName)));
}

export function describeAllowed(entry: AllowedLeak): string {
  return typeof entry === 'string' ? JSON.stringify(entry) : String(entry);
}
