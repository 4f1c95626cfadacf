// A matcher for runners with an `expect` (Vitest, Jest): expect.extend({ toLeak }), then
// `await expect(fn).not.toLeak(options)`. It is assertNoLeaks() read the other way round.
import { assertNoLeaks, isLeakFailure } from './assert-no-leaks.js';
import type { AssertNoLeaksOptions } from './options.js';

export interface LeakMatcherResult {
  pass: boolean;
  message: () => string;
}

/** `pass` is true when fn leaks; the message is the check's (the report in short). */
export async function toLeak(this: unknown, fn: () => unknown, options?: AssertNoLeaksOptions): Promise<LeakMatcherResult> {
  try {
    await assertNoLeaks(fn, options);
  } catch (error) {
    // Only a leak is a result; a bad option or fn's own error fails the test as it is.
    if (isLeakFailure(error)) return { pass: true, message: () => error.message };
    throw error;
  }
  return { pass: false, message: () => `expected ${fn.name || 'the function'} to leak, but no object created during its calls outlived them` };
}
