// The TypeScript types of wrapped functions are exactly those of the originals: checked by tsc
// when the tests compile (a wrong type fails the build), and the assertions run as a test.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLeakMonitor, leakMonitor, type FunctionLeakMonitor, type MonitoredCall } from '../lib/index.js';

type Equal<X, Y> = (<T>() => T extends X ? 1 : 2) extends <T>() => T extends Y ? 1 : 2 ? true : false;
function expectType<T extends true>(value: T): T {
  return value;
}

async function fetchUser(id: number, options?: { cache: boolean }): Promise<{ id: number; cached: boolean }> {
  return { id, cached: options?.cache ?? false };
}
function overloaded(x: string): string;
function overloaded(x: number): number;
function overloaded(x: string | number): string | number {
  return x;
}
function withThis(this: { base: number }, add: number): number {
  return this.base + add;
}

const wrappedFetch = leakMonitor(fetchUser, { saveReports: false, outputFunc: () => {} });
const wrappedOverloaded = leakMonitor(overloaded, { saveReports: false, outputFunc: () => {} });
const wrappedWithThis = leakMonitor(withThis, { saveReports: false, outputFunc: () => {} });
const monitor = createLeakMonitor({ saveReports: false, outputFunc: () => {} });

class Service {
  @leakMonitor({ saveReports: false, outputFunc: () => {} })
  handle(request: { path: string }): Promise<number> {
    return Promise.resolve(request.path.length);
  }
}

test('leakMonitor keeps the exact type of the function it wraps', async () => {
  expectType<Equal<typeof wrappedFetch, typeof fetchUser>>(true);
  expectType<Equal<typeof wrappedOverloaded, typeof overloaded>>(true);
  expectType<Equal<typeof wrappedWithThis, typeof withThis>>(true);
  expectType<Equal<Parameters<Service['handle']>, [{ path: string }]>>(true);
  expectType<Equal<ReturnType<Service['handle']>, Promise<number>>>(true);
  expectType<Equal<ReturnType<typeof monitor.run<Promise<string>>>, Promise<string>>>(true);
  expectType<Equal<ReturnType<FunctionLeakMonitor['enter']>, MonitoredCall>>(true);
  // @ts-expect-error: a wrapped function still refuses wrong arguments
  void (() => wrappedFetch('1'));
  assert.deepEqual(await wrappedFetch(7, { cache: true }), { id: 7, cached: true });
  assert.equal(wrappedOverloaded('x'), 'x');
  assert.equal(wrappedWithThis.call({ base: 40 }, 2), 42);
  assert.equal(await new Service().handle({ path: '/abc' }), 4);
  await monitor.stop();
});
