// @leakMonitor under TypeScript's `experimentalDecorators` (NestJS and most decorator-heavy
// TypeScript; Babel's "legacy" decorators too). Such a decorator is called as
// (target, propertyKey, descriptor) for a method: target is the class's prototype, or the class
// itself for a static method. It is called differently for what it cannot monitor: a property
// as (target, key, undefined), a parameter as (target, key, index), a class as (constructor).
// Those are refused at decoration time with a clear error: a decorator that silently does
// nothing would let a user trust a "No leaks found" about a function that was never watched.
import { FunctionLeakMonitor } from './function-based.js';
import type { FunctionBasedOptions } from './options.js';

type AnyFunction = (...args: never[]) => unknown;

/** True when the arguments have the shape of a legacy member decorator's call. */
export function isLegacyDecoratorCall(args: readonly unknown[]): boolean {
  // Always three arguments (TypeScript passes an undefined descriptor for a property). A
  // property key is what tells the call from leakMonitor(fn, options), whose second argument is
  // an object or undefined; a constructor parameter's key is undefined, but its index a number.
  if (args.length !== 3) return false;
  const [target, key, third] = args;
  const isTarget = (typeof target === 'object' && target !== null) || typeof target === 'function';
  return isTarget && (typeof key === 'string' || typeof key === 'symbol' || (key === undefined && typeof third === 'number'));
}

function memberName(target: object | AnyFunction, key: unknown): { owner: string; member: string; isStatic: boolean } {
  const isStatic = typeof target === 'function';
  const owner = isStatic ? (target as AnyFunction).name : ((target as object).constructor?.name ?? '');
  const member = typeof key === 'symbol' ? `[${key.description ?? ''}]` : String(key);
  return { owner, member, isStatic };
}

/**
 * Decorates a legacy method: returns a descriptor whose value is the monitored method. Throws a
 * TypeError naming the member for a property, accessor or parameter.
 */
export function decorateLegacy(
  args: readonly unknown[],
  options: FunctionBasedOptions | undefined,
  wrap: (fn: AnyFunction, monitor: FunctionLeakMonitor) => AnyFunction,
): PropertyDescriptor {
  const [target, key, descriptor] = args as [object | AnyFunction, string | symbol | undefined, unknown];
  const { owner, member, isStatic } = memberName(target, key);
  const where = key === undefined ? `the constructor of ${owner || 'a class'}` : `${owner ? `${owner}.` : ''}${member}`;
  if (typeof descriptor === 'number') {
    throw new TypeError(`memalot: @leakMonitor decorates methods; it cannot monitor parameter ${descriptor} of ${where} (experimentalDecorators)`);
  }
  if (descriptor === undefined || descriptor === null || typeof descriptor !== 'object') {
    throw new TypeError(`memalot: @leakMonitor decorates methods; "${where}" is a property, which it cannot monitor (experimentalDecorators)`);
  }
  const d = descriptor as PropertyDescriptor & { initializer?: unknown };
  if (d.get !== undefined || d.set !== undefined) {
    throw new TypeError(`memalot: @leakMonitor decorates methods; "${where}" is an accessor, which it cannot monitor (experimentalDecorators)`);
  }
  if (typeof d.value !== 'function') {
    // Babel's legacy class properties come with an initializer instead of a value.
    const what = 'initializer' in d ? 'a property' : `not a function (${d.value === null ? 'null' : typeof d.value})`;
    throw new TypeError(`memalot: @leakMonitor decorates methods; "${where}" is ${what}, which it cannot monitor (experimentalDecorators)`);
  }
  const method = d.value as AnyFunction;
  // Unlike a standard decorator, a legacy one sees the class (or its prototype): the name is
  // known now. A method of an anonymous class keeps its own name.
  const name = owner ? `${owner}.${member}` : member;
  const monitor = new FunctionLeakMonitor(options, name, `@leakMonitor on ${isStatic ? 'static ' : ''}${name}`);
  return { ...d, value: wrap(method, monitor) };
}
