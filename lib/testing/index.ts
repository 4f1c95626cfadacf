// memalot/testing: leak assertions for test suites (node:test, Vitest, Jest...).
export { assertNoLeaks } from './assert-no-leaks.js';
export { toLeak, type LeakMatcherResult } from './matcher.js';
export type { AssertNoLeaksOptions, AllowedLeak } from './options.js';
