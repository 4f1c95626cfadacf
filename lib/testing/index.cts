// memalot/testing for require(), as Jest runs tests by default: the ES module, loaded through
// Node's own loader (see ../node-require.cts) on the first check, so that requiring this costs nothing.
import type * as Testing from './index.js' with { 'resolution-mode': 'import' };
import nodeRequire = require('../node-require.cjs');

let loaded: typeof Testing | undefined;

function load(): typeof Testing {
  loaded ??= nodeRequire(__filename)('./index.js') as typeof Testing;
  return loaded;
}

/** See assertNoLeaks in memalot/testing (the ES module): the same check, for require(). */
export const assertNoLeaks: typeof Testing.assertNoLeaks = async (fn, options) => load().assertNoLeaks(fn, options);

/** See toLeak in memalot/testing: expect.extend({ toLeak }), then `await expect(fn).not.toLeak()`. */
export async function toLeak(this: unknown, fn: () => unknown, options?: Testing.AssertNoLeaksOptions): Promise<Testing.LeakMatcherResult> {
  return load().toLeak.call(this, fn, options);
}

// Types only: TypeScript (module node16) lets a CommonJS file take types from an ES module this way.
export type { AssertNoLeaksOptions, AllowedLeak, LeakMatcherResult } from './index.js' with { 'resolution-mode': 'import' };
