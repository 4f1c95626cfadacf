// The "String representation" of a detailed object: the user's strFunc, or a one-line
// util.inspect form chosen so that, as far as util.inspect allows, none of the program's code
// runs while a leaked object is being described.
//
// What util.inspect does NOT run with INSPECT_OPTIONS (checked on Node.js 20, 22, 24 and 26 by
// test/object-string.test.ts): property getters (shown as [Getter]), [util.inspect.custom]
// methods, and the traps of a value that is itself a Proxy (shown as Proxy [target, handler]),
// nor those of a Proxy among its property values. toString, valueOf, toISOString, toJSON and
// Symbol.iterator of plain objects are never called either.
//
// What it can still run, because it reads these through ordinary property access:
// - the `name` of a constructor or a function, when it is a getter (class with `static get name`);
// - a `Symbol.toStringTag` getter, own or inherited (Node.js 24+ catches a throw from an own one);
// - the traps of a Proxy in the prototype chain of the value or of a property value
//   (getPrototypeOf, getOwnPropertyDescriptor of "constructor", get of Symbol.toStringTag);
// - an Error's `stack`, `message`, `name` and `cause` when they are getters;
// - in subclasses of built-ins: Map/Set `size` and `[Symbol.iterator]` overrides (the entries are
//   listed with for...of), a typed array's `length` getter, a RegExp's `source`/`flags` getters.
// All of this code runs inside objectString's try/catch: an exception becomes the error form.
// Nothing can stop such code from looping or having side effects; it is rare enough that the
// safer alternative (a hand-written formatter) would not be worth its own bugs.
//
// Also not bounded by these options: the number of an object's own properties (all are listed;
// the cut to strMaxLength comes after) and the length of an Error's stack.
import { inspect, type InspectOptions } from 'node:util';

import type { StrFunc } from './options.js';

export interface ObjectStringOptions {
  readonly strFunc: StrFunc | null;
  readonly strMaxLength: number;
}

/**
 * Strings longer than this are quoted from a prefix only: quoting all of a 100 MB string takes
 * seconds. The count of cut characters is then a lower bound (escapes beyond the prefix are not
 * counted) and the quote character is chosen from the prefix.
 */
const WHOLE_STRING_QUOTE_LIMIT = 1_000_000;

function inspectOptions(maxLength: number): InspectOptions {
  return {
    getters: false,
    showProxy: true,
    customInspect: false,
    showHidden: false,
    colors: false,
    depth: 1,
    breakLength: Infinity,
    compact: true,
    // Enough items and characters to fill the cut (each item takes at least two characters with
    // its separator), so that the output is bounded by maxLength rather than by the object.
    maxArrayLength: Math.min(Math.ceil(maxLength / 2) + 1, 1000),
    maxStringLength: maxLength,
  };
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/** `text` cut to `maxLength` characters plus " … (N more chars)"; a surrogate pair is never split. */
function cut(text: string, maxLength: number, moreBeyondText = 0): string {
  if (text.length <= maxLength && moreBeyondText === 0) return text;
  let end = Math.min(text.length, maxLength);
  if (end > 0 && end < text.length && isHighSurrogate(text.charCodeAt(end - 1))) end--;
  return `${text.slice(0, end)} … (${text.length - end + moreBeyondText} more chars)`;
}

/**
 * A JavaScript string (e.g. its content as a heap snapshot gives it) quoted and escaped as
 * util.inspect shows strings ('a\nb', "it's"), cut to `maxLength` characters; `moreBeyondText`
 * characters of the string follow `text` (when `text` is only its start).
 */
export function stringNodeText(text: string, maxLength: number, moreBeyondText = 0): string {
  const limit = Math.max(0, Math.floor(maxLength));
  const quote = (s: string) => inspect(s, { breakLength: Infinity, maxStringLength: Infinity });
  if (text.length <= WHOLE_STRING_QUOTE_LIMIT) return cut(quote(text), limit, moreBeyondText);
  // The quoted form of a prefix of limit + 1 characters is longer than `limit` (quotes included),
  // so the cut shows only characters that the whole string's quoted form also shows.
  let prefixLength = limit + 1;
  if (isHighSurrogate(text.charCodeAt(prefixLength - 1))) prefixLength++;
  return cut(quote(text.slice(0, prefixLength)), limit, text.length - prefixLength + moreBeyondText);
}

/** What a thrown value says, without trusting it: reading it may throw as well. */
function thrownMessage(thrown: unknown): string {
  if (typeof thrown !== 'object' && typeof thrown !== 'function') return String(thrown);
  if (thrown === null) return 'null';
  try {
    const message: unknown = (thrown as { message?: unknown }).message;
    if (typeof message === 'string') return message;
  } catch {
    // Fall through: the message itself threw.
  }
  return `a thrown ${typeof thrown} without a message`;
}

function errorForm(thrown: unknown, maxLength: number): string {
  let message: string;
  try {
    message = thrownMessage(thrown).replace(/\s*\n\s*/g, ' ');
  } catch {
    message = 'unknown error';
  }
  return `<Error when getting string representation: ${cut(message, maxLength)}>`;
}

function describeType(value: unknown): string {
  return value === null ? 'null' : typeof value;
}

/**
 * The string form of a leaked object: strFunc(value, strMaxLength) when given (it must return a
 * string), else a one-line util.inspect form; cut to strMaxLength characters plus
 * " … (N more chars)". Never throws: a failure gives "<Error when getting string representation: …>".
 */
export function objectString(value: unknown, options: ObjectStringOptions): string {
  const maxLength = Math.max(0, Math.floor(options.strMaxLength));
  try {
    if (options.strFunc !== null) {
      const custom: unknown = options.strFunc(value, maxLength);
      if (typeof custom !== 'string') return errorForm(new TypeError(`strFunc returned ${describeType(custom)}, not a string`), maxLength);
      return cut(custom, maxLength);
    }
    if (typeof value === 'string') return stringNodeText(value, maxLength);
    // An Error's stack is the only multi-line part left with breakLength: Infinity.
    return cut(inspect(value, inspectOptions(maxLength)).replace(/\s*\n\s*/g, ' '), maxLength);
  } catch (error) {
    return errorForm(error, maxLength);
  }
}
