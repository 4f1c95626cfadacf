// The public faces of function-based monitoring: leakMonitor() as a wrapper and as a method
// decorator (standard ECMAScript decorators, and TypeScript's experimentalDecorators), and
// createLeakMonitor() for a reusable monitor.
import { FunctionLeakMonitor } from './function-based.js';
import { decorateLegacy, isLegacyDecoratorCall } from './legacy-decorator.js';
import { FUNCTION_BASED_KEYS, type FunctionBasedOptions } from './options.js';
import { checkKnownKeys } from './validate.js';

type AnyFunction = (...args: never[]) => unknown;
type Method<This, Args extends unknown[], Return> = (this: This, ...args: Args) => Return;
/** What @leakMonitor({ ... }) returns: a method decorator of either convention. */
interface MethodDecorator {
  /** A standard ECMAScript decorator. */
  <This, Args extends unknown[], Return>(
    method: Method<This, Args, Return>,
    context: ClassMethodDecoratorContext<This, Method<This, Args, Return>>,
  ): Method<This, Args, Return>;
  /** A legacy decorator (`experimentalDecorators`): methods only, static or not. */
  <T extends AnyFunction>(target: object, propertyKey: string | symbol, descriptor: TypedPropertyDescriptor<T>): TypedPropertyDescriptor<T>;
}

/** A class is a function too, but calling it without `new` throws: it cannot be monitored. */
function refuseClass(value: AnyFunction): void {
  if (/^class\b/.test(Function.prototype.toString.call(value))) {
    throw new TypeError(`memalot: leakMonitor monitors functions and methods; ${value.name || 'an anonymous class'} is a class: decorate its methods instead`);
  }
}

function isDecoratorContext(value: unknown): value is DecoratorContext {
  return (
    typeof value === 'object' && value !== null && typeof (value as DecoratorContext).kind === 'string' &&
    typeof (value as { addInitializer?: unknown }).addInitializer === 'function'
  );
}

/** A wrapper that keeps fn's name, arity and `this`, and monitors every call through `monitor`. */
function wrap<F extends AnyFunction>(fn: F, monitor: FunctionLeakMonitor): F {
  const wrapped = function (this: unknown, ...args: unknown[]): unknown {
    return monitor.call(fn, this, args);
  };
  Object.defineProperty(wrapped, 'name', { value: fn.name, configurable: true });
  Object.defineProperty(wrapped, 'length', { value: fn.length, configurable: true });
  return wrapped as unknown as F;
}

function decorate(method: AnyFunction, context: DecoratorContext, options: FunctionBasedOptions | undefined): AnyFunction {
  const name = String(context.name);
  if (context.kind !== 'method') {
    throw new TypeError(`memalot: @leakMonitor decorates methods; "${name}" is a ${context.kind}, which it cannot monitor`);
  }
  if (typeof method !== 'function') throw new TypeError(`memalot: @leakMonitor: "${name}" is not a function`);
  const monitor = new FunctionLeakMonitor(options, name, `@leakMonitor on ${name}`);
  const methodContext = context as ClassMethodDecoratorContext;
  // One monitor per decorated method, shared by all instances. The class's name is known
  // only once the class exists: name the function Class.method (or Class.method for statics).
  methodContext.addInitializer(function (this: unknown) {
    const owner = methodContext.static ? (this as { name?: string }).name : (this as object).constructor?.name;
    if (owner) monitor.rename(`${owner}.${name}`);
  });
  return wrap(method, monitor);
}

/**
 * Monitors a function for leaks: wraps it (keeping its name, arity and `this`), or decorates a
 * method (standard decorators, or TypeScript's `experimentalDecorators`). Objects created during
 * a call and still alive after it (or after `maxObjectAgeCalls` calls) are reported. One monitor
 * serves every call of the function.
 *
 * ```ts
 * const processBatch = leakMonitor(async function processBatch(items) { ... }, { maxObjectAgeCalls: 2 });
 * class Importer {
 *   @leakMonitor importFile(path: string) { ... }
 *   @leakMonitor({ warmupCalls: 2 }) async importAll() { ... }
 * }
 * ```
 */
export function leakMonitor<F extends AnyFunction>(fn: F, options?: FunctionBasedOptions): F;
export function leakMonitor<This, Args extends unknown[], Return>(
  method: Method<This, Args, Return>,
  context: ClassMethodDecoratorContext<This, Method<This, Args, Return>>,
): Method<This, Args, Return>;
export function leakMonitor<T extends AnyFunction>(
  target: object,
  propertyKey: string | symbol,
  descriptor: TypedPropertyDescriptor<T>,
): TypedPropertyDescriptor<T>;
export function leakMonitor(options: FunctionBasedOptions): MethodDecorator;
export function leakMonitor(...args: unknown[]): unknown {
  const [first, second] = args;
  if (isLegacyDecoratorCall(args)) return decorateLegacy(args, undefined, wrap);
  if (typeof first === 'function') {
    if (isDecoratorContext(second)) return decorate(first as AnyFunction, second, undefined);
    const fn = first as AnyFunction;
    refuseClass(fn);
    const monitor = new FunctionLeakMonitor(second as FunctionBasedOptions | undefined, fn.name || 'anonymous', `leakMonitor(${fn.name || 'fn'})`);
    return wrap(fn, monitor);
  }
  if (first === undefined || (typeof first === 'object' && first !== null && !Array.isArray(first))) {
    const options = first as FunctionBasedOptions | undefined;
    return ((...decoratorArgs: unknown[]) => {
      if (isLegacyDecoratorCall(decoratorArgs)) return decorateLegacy(decoratorArgs, options, wrap);
      const [method, context] = decoratorArgs as [AnyFunction, unknown];
      if (!isDecoratorContext(context)) {
        if (typeof method === 'function') refuseClass(method);
        throw new TypeError('memalot: leakMonitor(options) returns a decorator: use it as @leakMonitor({ ... }) on a method, or call leakMonitor(fn, options)');
      }
      return decorate(method, context, options);
    }) as MethodDecorator;
  }
  throw new TypeError(`memalot: leakMonitor takes a function (and options), or options for a decorator; got ${first === null ? 'null' : typeof first}`);
}

/**
 * A reusable monitor, the counterpart of the Python tool's context manager: create it once, and
 * monitor each call with `monitor.run(() => work())` (sync or async) or
 * `using scope = monitor.enter()`.
 */
export function createLeakMonitor(options?: FunctionBasedOptions & { functionName?: string }): FunctionLeakMonitor {
  // Checked here, with functionName among the known names, so that a misspelt option's error
  // lists every option createLeakMonitor takes (the monitor's own check knows only the others).
  if (options !== null && typeof options === 'object') checkKnownKeys('createLeakMonitor()', options, [...FUNCTION_BASED_KEYS, 'functionName']);
  const { functionName, ...rest } = options ?? {};
  if (functionName !== undefined && typeof functionName !== 'string') {
    throw new TypeError('memalot: createLeakMonitor(): option "functionName" must be a string');
  }
  return new FunctionLeakMonitor(rest, functionName ?? 'monitored', 'createLeakMonitor()');
}
