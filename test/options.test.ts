// Unit tests of the time-based options: defaults, accepted forms and, above all, that every bad
// input is a TypeError naming the option and what was expected.
import assert from 'node:assert/strict';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { resolveTimeBasedOptions, TIME_BASED_KEYS } from '../lib/monitor/options.js';

const PREFIX = 'memalot: startLeakMonitoring(): ';

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Asserts that `fn` throws a TypeError whose message contains every one of `parts`. */
function throwsTypeError(fn: () => unknown, ...parts: (string | RegExp)[]): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof TypeError, `expected a TypeError, got ${String(error)}`);
    assert.ok(error.message.startsWith(PREFIX), `unexpected message: ${error.message}`);
    for (const part of parts) {
      assert.match(error.message, typeof part === 'string' ? new RegExp(escape(part)) : part);
    }
    return true;
  });
}

/** Asserts the standard "option X must be Y; got Z" message. */
function rejects(options: Record<string, unknown>, option: string, expected: string, got: string): void {
  throwsTypeError(() => resolveTimeBasedOptions(options), `${PREFIX}option "${option}" must be ${expected}; got ${got}`);
}

// The environment variable that the default report directory depends on, restored after each test.
let savedReportDir: string | undefined;
beforeEach(() => {
  savedReportDir = process.env['MEMALOT_REPORT_DIR'];
});
afterEach(() => {
  if (savedReportDir === undefined) delete process.env['MEMALOT_REPORT_DIR'];
  else process.env['MEMALOT_REPORT_DIR'] = savedReportDir;
});

describe('resolveTimeBasedOptions: defaults', () => {
  it('fills in every default from maxObjectLifetime alone', () => {
    process.env['MEMALOT_REPORT_DIR'] = '/tmp/memalot-options-test';
    const resolved = resolveTimeBasedOptions({ maxObjectLifetime: 60 });
    assert.deepEqual(resolved, {
      includedTypeNames: [],
      excludedTypeNames: [],
      maxTypesInLeakSummary: 500,
      computeSizeInLeakSummary: false,
      includeNodeInternals: false,
      maxObjectDetails: 30,
      checkReferrers: true,
      referrersMaxDepth: 50,
      referrersSearchTimeout: 300,
      singleObjectReferrerLimit: 100,
      maxReportPause: null,
      referrersModulePrefixes: null,
      saveReports: true,
      reportDirectory: '/tmp/memalot-options-test',
      strFunc: null,
      strMaxLength: 100,
      outputFunc: null,
      teeConsole: false,
      forceTerminal: null,
      color: true,
      fullReport: false,
      captureAllocationSites: false,
      allocationSampleInterval: 65536,
      sourceLinesFromNodeModules: false,
      maxObjectLifetime: 60,
      warmupPeriod: 60,
      summaryFromSnapshot: false,
    });
  });

  it('defaults warmupPeriod to maxObjectLifetime, whatever it is', () => {
    assert.equal(resolveTimeBasedOptions({ maxObjectLifetime: 2.5 }).warmupPeriod, 2.5);
    assert.equal(resolveTimeBasedOptions({ maxObjectLifetime: 3600 }).warmupPeriod, 3600);
    assert.equal(resolveTimeBasedOptions({ maxObjectLifetime: 10, warmupPeriod: undefined }).warmupPeriod, 10);
  });

  it('keeps an explicit warmupPeriod, down to its floor of 0.1 s', () => {
    assert.equal(resolveTimeBasedOptions({ maxObjectLifetime: 60, warmupPeriod: 5 }).warmupPeriod, 5);
    assert.equal(resolveTimeBasedOptions({ maxObjectLifetime: 60, warmupPeriod: 0.1 }).warmupPeriod, 0.1);
  });

  it('treats every option given as undefined as its default', () => {
    const allUndefined: Record<string, unknown> = Object.fromEntries(TIME_BASED_KEYS.map((key) => [key, undefined]));
    allUndefined['maxObjectLifetime'] = 60;
    assert.deepEqual(resolveTimeBasedOptions(allUndefined), resolveTimeBasedOptions({ maxObjectLifetime: 60 }));
  });

  it('keeps the values given', () => {
    const strFunc = (value: unknown, max: number) => String(value).slice(0, max);
    const outputFunc = (_text: string) => {};
    const resolved = resolveTimeBasedOptions({
      maxObjectLifetime: 30,
      warmupPeriod: 90,
      includedTypeNames: ['src/session', 'Map'],
      excludedTypeNames: ['string'],
      maxTypesInLeakSummary: 7,
      computeSizeInLeakSummary: true,
      maxObjectDetails: 0,
      checkReferrers: false,
      referrersMaxDepth: 3,
      referrersSearchTimeout: 0.5,
      singleObjectReferrerLimit: 9,
      referrersModulePrefixes: ['src/'],
      saveReports: false,
      strFunc,
      strMaxLength: 20,
      outputFunc,
      teeConsole: true,
      forceTerminal: true,
      color: false,
      fullReport: true,
      captureAllocationSites: true,
      allocationSampleInterval: 4096,
      sourceLinesFromNodeModules: true,
    });
    assert.deepEqual(resolved.includedTypeNames, ['src/session', 'Map']);
    assert.deepEqual(resolved.excludedTypeNames, ['string']);
    assert.equal(resolved.maxTypesInLeakSummary, 7);
    assert.equal(resolved.computeSizeInLeakSummary, true);
    assert.equal(resolved.maxObjectDetails, 0);
    assert.equal(resolved.checkReferrers, false);
    assert.equal(resolved.referrersMaxDepth, 3);
    assert.equal(resolved.referrersSearchTimeout, 0.5);
    assert.equal(resolved.singleObjectReferrerLimit, 9);
    assert.deepEqual(resolved.referrersModulePrefixes, ['src/']);
    assert.equal(resolved.saveReports, false);
    assert.equal(resolved.strFunc, strFunc);
    assert.equal(resolved.strMaxLength, 20);
    assert.equal(resolved.outputFunc, outputFunc);
    assert.equal(resolved.teeConsole, true);
    assert.equal(resolved.forceTerminal, true);
    assert.equal(resolved.color, false);
    assert.equal(resolved.fullReport, true);
    assert.equal(resolved.captureAllocationSites, true);
    assert.equal(resolved.allocationSampleInterval, 4096);
    assert.equal(resolved.sourceLinesFromNodeModules, true);
    assert.equal(resolved.maxObjectLifetime, 30);
    assert.equal(resolved.warmupPeriod, 90);
  });

  it('accepts the bounds of the numeric options', () => {
    assert.equal(resolveTimeBasedOptions({ maxObjectLifetime: 2_147_483 }).maxObjectLifetime, 2_147_483);
    assert.equal(resolveTimeBasedOptions({ maxObjectLifetime: 0.1 }).maxObjectLifetime, 0.1);
    assert.equal(resolveTimeBasedOptions({ maxObjectLifetime: 1, maxTypesInLeakSummary: 1 }).maxTypesInLeakSummary, 1);
    assert.equal(resolveTimeBasedOptions({ maxObjectLifetime: 1, maxTypesInLeakSummary: 1e6 }).maxTypesInLeakSummary, 1e6);
  });
});

describe('resolveTimeBasedOptions: null where documented', () => {
  it('accepts null for the "no limit" options', () => {
    const resolved = resolveTimeBasedOptions({
      maxObjectLifetime: 60,
      referrersMaxDepth: null,
      referrersSearchTimeout: null,
      singleObjectReferrerLimit: null,
    });
    assert.equal(resolved.referrersMaxDepth, null);
    assert.equal(resolved.referrersSearchTimeout, null);
    assert.equal(resolved.singleObjectReferrerLimit, null);
  });

  it('accepts null for referrersModulePrefixes, strFunc, outputFunc and forceTerminal', () => {
    const resolved = resolveTimeBasedOptions({
      maxObjectLifetime: 60,
      referrersModulePrefixes: null,
      strFunc: null,
      outputFunc: null,
      forceTerminal: null,
    });
    assert.equal(resolved.referrersModulePrefixes, null);
    assert.equal(resolved.strFunc, null);
    assert.equal(resolved.outputFunc, null);
    assert.equal(resolved.forceTerminal, null);
  });

  it('accepts null for reportDirectory, meaning the default', () => {
    process.env['MEMALOT_REPORT_DIR'] = '/tmp/from-env';
    assert.equal(resolveTimeBasedOptions({ maxObjectLifetime: 60, reportDirectory: null }).reportDirectory, '/tmp/from-env');
  });

  it('rejects null where it is not documented', () => {
    rejects({ maxObjectLifetime: null }, 'maxObjectLifetime', 'a number at least 0.1 and at most 2147483', 'null');
    rejects({ maxObjectLifetime: 60, warmupPeriod: null }, 'warmupPeriod', 'a number at least 0.1 and at most 2147483', 'null');
    rejects({ maxObjectLifetime: 60, maxTypesInLeakSummary: null }, 'maxTypesInLeakSummary', 'an integer at least 1 and at most 1000000', 'null');
    rejects({ maxObjectLifetime: 60, checkReferrers: null }, 'checkReferrers', 'true or false', 'null');
    rejects({ maxObjectLifetime: 60, color: null }, 'color', 'true or false', 'null');
    throwsTypeError(() => resolveTimeBasedOptions({ maxObjectLifetime: 60, includedTypeNames: null }), 'option "includedTypeNames" must be an iterable of strings', '; got null');
  });
});

describe('resolveTimeBasedOptions: reportDirectory', () => {
  it('resolves a string path against the working directory', () => {
    assert.equal(resolveTimeBasedOptions({ maxObjectLifetime: 60, reportDirectory: '/var/tmp/reports' }).reportDirectory, '/var/tmp/reports');
    assert.equal(resolveTimeBasedOptions({ maxObjectLifetime: 60, reportDirectory: 'out/reports' }).reportDirectory, resolve('out/reports'));
    assert.equal(resolveTimeBasedOptions({ maxObjectLifetime: 60, reportDirectory: 'out/../r' }).reportDirectory, join(process.cwd(), 'r'));
  });

  it('turns a file: URL into a path', () => {
    const url = pathToFileURL('/tmp/memalot reports/x');
    assert.equal(url.href, 'file:///tmp/memalot%20reports/x');
    assert.equal(resolveTimeBasedOptions({ maxObjectLifetime: 60, reportDirectory: url }).reportDirectory, '/tmp/memalot reports/x');
    assert.equal(resolveTimeBasedOptions({ maxObjectLifetime: 60, reportDirectory: new URL('file:///srv/r') }).reportDirectory, '/srv/r');
  });

  it('defaults to $MEMALOT_REPORT_DIR, resolved', () => {
    process.env['MEMALOT_REPORT_DIR'] = '/tmp/memalot-env-dir';
    assert.equal(resolveTimeBasedOptions({ maxObjectLifetime: 60 }).reportDirectory, '/tmp/memalot-env-dir');
    process.env['MEMALOT_REPORT_DIR'] = 'relative/env-dir';
    assert.equal(resolveTimeBasedOptions({ maxObjectLifetime: 60 }).reportDirectory, resolve('relative/env-dir'));
  });

  it('prefers the option over $MEMALOT_REPORT_DIR', () => {
    process.env['MEMALOT_REPORT_DIR'] = '/tmp/memalot-env-dir';
    assert.equal(resolveTimeBasedOptions({ maxObjectLifetime: 60, reportDirectory: '/tmp/option-dir' }).reportDirectory, '/tmp/option-dir');
  });

  it('defaults to ~/.memalot/reports without $MEMALOT_REPORT_DIR (or with it empty)', () => {
    delete process.env['MEMALOT_REPORT_DIR'];
    const expected = join(homedir(), '.memalot', 'reports');
    assert.equal(resolveTimeBasedOptions({ maxObjectLifetime: 60 }).reportDirectory, expected);
    process.env['MEMALOT_REPORT_DIR'] = '';
    assert.equal(resolveTimeBasedOptions({ maxObjectLifetime: 60 }).reportDirectory, expected);
  });

  it('rejects an empty string, a non-file URL and other types', () => {
    rejects({ maxObjectLifetime: 60, reportDirectory: '' }, 'reportDirectory', 'a non-empty path (string or file: URL)', '""');
    rejects({ maxObjectLifetime: 60, reportDirectory: new URL('https://example.com/reports') }, 'reportDirectory', 'a path or a file: URL', '"https://example.com/reports"');
    rejects({ maxObjectLifetime: 60, reportDirectory: 42 }, 'reportDirectory', 'a non-empty path (string or file: URL)', '42');
    rejects({ maxObjectLifetime: 60, reportDirectory: ['/tmp'] }, 'reportDirectory', 'a non-empty path (string or file: URL)', 'an array');
  });
});

describe('resolveTimeBasedOptions: unknown options', () => {
  it('suggests the nearest option for a typo', () => {
    throwsTypeError(
      () => resolveTimeBasedOptions({ maxObjectLifetme: 60 }),
      `${PREFIX}unknown option "maxObjectLifetme".`,
      'Did you mean "maxObjectLifetime"?',
      'Known options: maxObjectLifetime, warmupPeriod, includedTypeNames',
    );
    throwsTypeError(() => resolveTimeBasedOptions({ maxObjectLifetime: 60, warmupPeriods: 1 }), 'unknown option "warmupPeriods"', 'Did you mean "warmupPeriod"?');
    throwsTypeError(() => resolveTimeBasedOptions({ maxObjectLifetime: 60, colour: false }), 'unknown option "colour"', 'Did you mean "color"?');
    throwsTypeError(() => resolveTimeBasedOptions({ maxObjectLifetime: 60, excludeTypeNames: [] }), 'Did you mean "excludedTypeNames"?');
  });

  it('suggests the right spelling for a difference of case only', () => {
    throwsTypeError(() => resolveTimeBasedOptions({ MaxObjectLifetime: 60 }), 'unknown option "MaxObjectLifetime"', 'Did you mean "maxObjectLifetime"?');
  });

  it('gives no suggestion when nothing is close', () => {
    throwsTypeError(() => resolveTimeBasedOptions({ maxObjectLifetime: 60, zzzzzzzz: 1 }), 'unknown option "zzzzzzzz".', 'Known options:');
    assert.throws(() => resolveTimeBasedOptions({ maxObjectLifetime: 60, zzzzzzzz: 1 }), (error: unknown) => {
      assert.ok(error instanceof TypeError);
      assert.doesNotMatch(error.message, /Did you mean/);
      return true;
    });
  });

  it('rejects an unknown option even when its value is undefined', () => {
    throwsTypeError(() => resolveTimeBasedOptions({ maxObjectLifetime: 60, strMaxLen: undefined }), 'unknown option "strMaxLen"', 'Did you mean "strMaxLength"?');
  });

  it('rejects the typo before complaining about the missing required option', () => {
    throwsTypeError(() => resolveTimeBasedOptions({ maxObjectLifetme: 60 }), 'unknown option');
  });
});

describe('resolveTimeBasedOptions: maxObjectLifetime and warmupPeriod', () => {
  it('requires maxObjectLifetime', () => {
    throwsTypeError(() => resolveTimeBasedOptions({}), `${PREFIX}option "maxObjectLifetime" is required`, 'seconds');
    throwsTypeError(() => resolveTimeBasedOptions({ maxObjectLifetime: undefined }), 'option "maxObjectLifetime" is required');
    throwsTypeError(() => resolveTimeBasedOptions({ warmupPeriod: 10 }), 'option "maxObjectLifetime" is required');
  });

  it('rejects a lifetime that is not a positive finite number', () => {
    const expected = 'a number at least 0.1 and at most 2147483';
    rejects({ maxObjectLifetime: 0 }, 'maxObjectLifetime', expected, '0');
    // Under the floor: a snapshot every nanosecond would starve the program.
    rejects({ maxObjectLifetime: 1e-9 }, 'maxObjectLifetime', expected, '1e-9');
    rejects({ maxObjectLifetime: 0.099 }, 'maxObjectLifetime', expected, '0.099');
    // A NUL would cut the path short at the file system: the reports would go elsewhere.
    throwsTypeError(() => resolveTimeBasedOptions({ maxObjectLifetime: 1, reportDirectory: '/tmp/reports\0/etc' }), 'option "reportDirectory" must be a path without NUL characters');
    rejects({ maxObjectLifetime: -1 }, 'maxObjectLifetime', expected, '-1');
    rejects({ maxObjectLifetime: Number.NaN }, 'maxObjectLifetime', expected, 'NaN');
    rejects({ maxObjectLifetime: Number.POSITIVE_INFINITY }, 'maxObjectLifetime', expected, 'Infinity');
    rejects({ maxObjectLifetime: Number.NEGATIVE_INFINITY }, 'maxObjectLifetime', expected, '-Infinity');
    rejects({ maxObjectLifetime: '60' }, 'maxObjectLifetime', expected, '"60"');
    rejects({ maxObjectLifetime: 60n }, 'maxObjectLifetime', expected, '60n');
    rejects({ maxObjectLifetime: 2_147_484 }, 'maxObjectLifetime', expected, '2147484');
    rejects({ maxObjectLifetime: true }, 'maxObjectLifetime', expected, 'true');
    rejects({ maxObjectLifetime: {} }, 'maxObjectLifetime', expected, 'an object');
  });

  it('rejects a warmupPeriod under 0.1 s, negative or non-numeric', () => {
    const expected = 'a number at least 0.1 and at most 2147483';
    rejects({ maxObjectLifetime: 60, warmupPeriod: 0 }, 'warmupPeriod', expected, '0');
    rejects({ maxObjectLifetime: 60, warmupPeriod: 0.099 }, 'warmupPeriod', expected, '0.099');
    rejects({ maxObjectLifetime: 60, warmupPeriod: 1e-9 }, 'warmupPeriod', expected, '1e-9');
    rejects({ maxObjectLifetime: 60, warmupPeriod: -0.5 }, 'warmupPeriod', expected, '-0.5');
    rejects({ maxObjectLifetime: 60, warmupPeriod: Number.NaN }, 'warmupPeriod', expected, 'NaN');
    rejects({ maxObjectLifetime: 60, warmupPeriod: Number.POSITIVE_INFINITY }, 'warmupPeriod', expected, 'Infinity');
    rejects({ maxObjectLifetime: 60, warmupPeriod: '5' }, 'warmupPeriod', expected, '"5"');
  });
});

describe('resolveTimeBasedOptions: other numbers', () => {
  it('rejects a non-integer or out-of-range maxTypesInLeakSummary', () => {
    const expected = 'an integer at least 1 and at most 1000000';
    rejects({ maxObjectLifetime: 60, maxTypesInLeakSummary: 1.5 }, 'maxTypesInLeakSummary', expected, '1.5');
    rejects({ maxObjectLifetime: 60, maxTypesInLeakSummary: 0 }, 'maxTypesInLeakSummary', expected, '0');
    rejects({ maxObjectLifetime: 60, maxTypesInLeakSummary: 1_000_001 }, 'maxTypesInLeakSummary', expected, '1000001');
    rejects({ maxObjectLifetime: 60, maxTypesInLeakSummary: '10' }, 'maxTypesInLeakSummary', expected, '"10"');
    rejects({ maxObjectLifetime: 60, maxTypesInLeakSummary: Number.NaN }, 'maxTypesInLeakSummary', expected, 'NaN');
  });

  it('rejects bad values of the other numeric options', () => {
    rejects({ maxObjectLifetime: 60, maxObjectDetails: -1 }, 'maxObjectDetails', 'an integer at least 0 and at most 1000000', '-1');
    rejects({ maxObjectLifetime: 60, maxObjectDetails: 2.5 }, 'maxObjectDetails', 'an integer at least 0 and at most 1000000', '2.5');
    rejects({ maxObjectLifetime: 60, referrersMaxDepth: 0 }, 'referrersMaxDepth', 'an integer at least 1 and at most 1000000', '0');
    rejects({ maxObjectLifetime: 60, referrersSearchTimeout: 0 }, 'referrersSearchTimeout', 'a number greater than 0 and at most 2147483', '0');
    rejects({ maxObjectLifetime: 60, singleObjectReferrerLimit: 0.5 }, 'singleObjectReferrerLimit', 'an integer at least 1 and at most 1000000000', '0.5');
    rejects({ maxObjectLifetime: 60, strMaxLength: 0 }, 'strMaxLength', 'an integer at least 1 and at most 1000000000', '0');
  });
});

describe('resolveTimeBasedOptions: type-name lists', () => {
  it('rejects a bare string, which would otherwise be split into characters', () => {
    for (const option of ['includedTypeNames', 'excludedTypeNames', 'referrersModulePrefixes']) {
      throwsTypeError(
        () => resolveTimeBasedOptions({ maxObjectLifetime: 60, [option]: 'Session' }),
        `${PREFIX}option "${option}" must be an iterable of strings`,
        'not a single string; got "Session"',
      );
    }
  });

  it('accepts a Set and a generator', () => {
    assert.deepEqual(resolveTimeBasedOptions({ maxObjectLifetime: 60, includedTypeNames: new Set(['Session', 'Map']) }).includedTypeNames, ['Session', 'Map']);
    function* names(): Generator<string> {
      yield 'src/a';
      yield 'src/b';
    }
    assert.deepEqual(resolveTimeBasedOptions({ maxObjectLifetime: 60, includedTypeNames: names() }).includedTypeNames, ['src/a', 'src/b']);
    assert.deepEqual(resolveTimeBasedOptions({ maxObjectLifetime: 60, excludedTypeNames: new Set(['string']) }).excludedTypeNames, ['string']);
  });

  it('returns a copy, not the array given', () => {
    const given = ['Session'];
    const resolved = resolveTimeBasedOptions({ maxObjectLifetime: 60, includedTypeNames: given });
    given.push('Map');
    assert.deepEqual(resolved.includedTypeNames, ['Session']);
  });

  it('rejects non-string and empty items', () => {
    const expected = 'each non-empty';
    throwsTypeError(() => resolveTimeBasedOptions({ maxObjectLifetime: 60, includedTypeNames: ['Session', 42] }), 'option "includedTypeNames"', expected, '; got 42');
    throwsTypeError(() => resolveTimeBasedOptions({ maxObjectLifetime: 60, excludedTypeNames: [null] }), 'option "excludedTypeNames"', expected, '; got null');
    throwsTypeError(() => resolveTimeBasedOptions({ maxObjectLifetime: 60, includedTypeNames: [''] }), 'option "includedTypeNames"', expected, '; got ""');
    throwsTypeError(() => resolveTimeBasedOptions({ maxObjectLifetime: 60, includedTypeNames: [['Session']] }), 'option "includedTypeNames"', '; got an array');
    throwsTypeError(() => resolveTimeBasedOptions({ maxObjectLifetime: 60, referrersModulePrefixes: [/src/] }), 'option "referrersModulePrefixes"', '; got an object');
  });

  it('rejects things that are not iterable', () => {
    throwsTypeError(() => resolveTimeBasedOptions({ maxObjectLifetime: 60, includedTypeNames: 5 }), 'option "includedTypeNames" must be an iterable of strings', '; got 5');
    throwsTypeError(() => resolveTimeBasedOptions({ maxObjectLifetime: 60, includedTypeNames: { 0: 'Session', length: 1 } }), 'option "includedTypeNames"', '; got an object');
  });
});

describe('resolveTimeBasedOptions: booleans and functions', () => {
  it('rejects non-boolean values of boolean options', () => {
    for (const option of ['computeSizeInLeakSummary', 'includeNodeInternals', 'checkReferrers', 'saveReports', 'teeConsole', 'color', 'fullReport', 'captureAllocationSites', 'sourceLinesFromNodeModules']) {
      rejects({ maxObjectLifetime: 60, [option]: 'yes' }, option, 'true or false', '"yes"');
      rejects({ maxObjectLifetime: 60, [option]: 1 }, option, 'true or false', '1');
    }
    rejects({ maxObjectLifetime: 60, forceTerminal: 'true' }, 'forceTerminal', 'true or false', '"true"');
    rejects({ maxObjectLifetime: 60, forceTerminal: 0 }, 'forceTerminal', 'true or false', '0');
  });

  it('rejects an outputFunc or strFunc that is not a function', () => {
    rejects({ maxObjectLifetime: 60, outputFunc: 'console.log' }, 'outputFunc', 'a function', '"console.log"');
    rejects({ maxObjectLifetime: 60, outputFunc: {} }, 'outputFunc', 'a function', 'an object');
    rejects({ maxObjectLifetime: 60, outputFunc: true }, 'outputFunc', 'a function', 'true');
    rejects({ maxObjectLifetime: 60, strFunc: 'String' }, 'strFunc', 'a function', '"String"');
  });

  it('rejects outputFunc with teeConsole false and forceTerminal true', () => {
    const outputFunc = (_text: string) => {};
    const parts = ['"forceTerminal: true" has no effect', '"outputFunc"', '"teeConsole" is false'];
    throwsTypeError(() => resolveTimeBasedOptions({ maxObjectLifetime: 60, outputFunc, teeConsole: false, forceTerminal: true }), PREFIX, ...parts);
    // teeConsole defaults to false, so leaving it out is the same combination.
    throwsTypeError(() => resolveTimeBasedOptions({ maxObjectLifetime: 60, outputFunc, forceTerminal: true }), ...parts);
  });

  it('accepts the neighbouring valid combinations', () => {
    const outputFunc = (_text: string) => {};
    assert.equal(resolveTimeBasedOptions({ maxObjectLifetime: 60, outputFunc, teeConsole: true, forceTerminal: true }).forceTerminal, true);
    assert.equal(resolveTimeBasedOptions({ maxObjectLifetime: 60, outputFunc, teeConsole: false, forceTerminal: false }).forceTerminal, false);
    assert.equal(resolveTimeBasedOptions({ maxObjectLifetime: 60, outputFunc, teeConsole: false }).forceTerminal, null);
    assert.equal(resolveTimeBasedOptions({ maxObjectLifetime: 60, teeConsole: false, forceTerminal: true }).forceTerminal, true);
    assert.equal(resolveTimeBasedOptions({ maxObjectLifetime: 60, outputFunc: null, forceTerminal: true }).outputFunc, null);
  });
});

describe('resolveTimeBasedOptions: the options object itself', () => {
  it('rejects null, arrays, numbers and other non-objects', () => {
    const expected = `${PREFIX}expected an options object such as { maxObjectLifetime: 60 }; got `;
    throwsTypeError(() => resolveTimeBasedOptions(null), `${expected}null`);
    throwsTypeError(() => resolveTimeBasedOptions([{ maxObjectLifetime: 60 }]), `${expected}an array`);
    throwsTypeError(() => resolveTimeBasedOptions(60), `${expected}number`);
    throwsTypeError(() => resolveTimeBasedOptions(undefined), `${expected}undefined`);
    throwsTypeError(() => resolveTimeBasedOptions('maxObjectLifetime=60'), `${expected}string`);
    throwsTypeError(() => resolveTimeBasedOptions(() => 60), `${expected}function`);
  });
});
