// Unit tests of the string form of detailed objects: the util.inspect form and what it runs (with
// real getters, Proxies and custom inspectors that record calls), strFunc, the cut, the error form.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inspect } from 'node:util';
import { objectString, stringNodeText } from '../lib/monitor/object-string.js';
import type { StrFunc } from '../lib/monitor/options.js';

const defaults = { strFunc: null, strMaxLength: 100 };

function str(value: unknown, strMaxLength = 100): string {
  return objectString(value, { strFunc: null, strMaxLength });
}

/** Records the names of the calls that the code under test should (or should not) make. */
function recorder(): { calls: string[]; record: (name: string) => void } {
  const calls: string[] = [];
  return { calls, record: (name) => calls.push(name) };
}

/** A Proxy handler whose every trap records its name, itself a Proxy so that any trap lookup is seen. */
function recordingHandler(record: (name: string) => void): ProxyHandler<object> {
  return new Proxy(
    {},
    {
      get(_target, trap) {
        record(`trap ${String(trap)}`);
        return undefined; // no trap: the operation goes to the target
      },
    },
  );
}

const ERROR_FORM = /^<Error when getting string representation: .*>$/;

describe('objectString: the util.inspect form', () => {
  it('shows primitives as util.inspect does', () => {
    assert.equal(str(42), '42');
    assert.equal(str(-0), '-0');
    assert.equal(str(12n), '12n');
    assert.equal(str(null), 'null');
    assert.equal(str(undefined), 'undefined');
    assert.equal(str(true), 'true');
    assert.equal(str(Symbol('s')), 'Symbol(s)');
  });

  it('quotes strings as util.inspect does', () => {
    assert.equal(str('abc'), "'abc'");
    assert.equal(str("it's"), `"it's"`);
    assert.equal(str('a\nb'), "'a\\nb'");
  });

  it('shows objects on one line, one level deep', () => {
    class Session {
      id = 'sess-42';
      data = { user: 'ann', roles: ['admin'] };
    }
    assert.equal(str(new Session()), "Session { id: 'sess-42', data: { user: 'ann', roles: [Array] } }");
    assert.equal(str(new Map([['k', { v: 1 }]])), "Map(1) { 'k' => { v: 1 } }");
    assert.equal(str([1, [2, [3, [4]]]]), '[ 1, [ 2, [Array] ] ]');
  });

  it('keeps an object with long strings and many entries on one line', () => {
    const text = str({ text: 'line\n'.repeat(50), list: Array.from({ length: 2000 }, (_, i) => i) }, 10_000);
    assert.ok(!text.includes('\n'), text);
    assert.match(text, /more items/);
  });

  it('makes an Error (whose stack has several lines) one line', () => {
    const text = str(new Error('boom'), 10_000);
    assert.ok(!text.includes('\n'), text);
    assert.match(text, /^Error: boom at /);
  });

  it('shows a revoked Proxy without touching it', () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    assert.equal(str(proxy), '<Revoked Proxy>');
    assert.equal(str({ proxy }), '{ proxy: <Revoked Proxy> }');
  });
});

describe('objectString: user code that util.inspect does not run', () => {
  it('does not run getters, own or nested', () => {
    const { calls, record } = recorder();
    const value = {
      get own() {
        record('own getter');
        return 1;
      },
      nested: {
        get deep() {
          record('nested getter');
          return 2;
        },
      },
      list: [
        Object.defineProperty({}, 'x', {
          enumerable: true,
          get() {
            record('getter in an array');
            return 3;
          },
        }),
      ],
    };
    assert.equal(str(value), '{ own: [Getter], nested: { deep: [Getter] }, list: [ [Object] ] }');
    assert.deepEqual(calls, []);
  });

  it('does not run the traps of a Proxy, at the top or as a property value', () => {
    const { calls, record } = recorder();
    const proxy = new Proxy({ a: 1 }, recordingHandler(record));
    assert.match(str(proxy), /^Proxy \[ \{ a: 1 \}, /);
    assert.match(str({ inner: proxy, list: [proxy], map: new Map([[proxy, proxy]]) }), /inner: Proxy \[/);
    assert.deepEqual(calls, []);
  });

  it('does not run [util.inspect.custom], at the top or nested', () => {
    const { calls, record } = recorder();
    class Custom {
      [inspect.custom]() {
        record('custom inspect');
        return 'CUSTOM';
      }
    }
    const top = str(new Custom());
    const nested = str({ inner: new Custom() });
    assert.deepEqual(calls, []);
    assert.doesNotMatch(top, /CUSTOM/);
    assert.doesNotMatch(nested, /CUSTOM/);
  });

  it('does not call toString, valueOf, toJSON, toISOString or Symbol.iterator', () => {
    const { calls, record } = recorder();
    const value = {
      toString: () => (record('toString'), 'S'),
      valueOf: () => (record('valueOf'), 1),
      toJSON: () => (record('toJSON'), {}),
      [Symbol.iterator]: () => (record('iterator'), [][Symbol.iterator]()),
      [Symbol.toPrimitive]: () => (record('toPrimitive'), 1),
    };
    const date = Object.assign(new Date(0), { toISOString: () => (record('toISOString'), 'D') });
    const boxed = Object.assign(new Number(3), { valueOf: () => (record('boxed valueOf'), 4) });
    str(value);
    assert.match(str(date), /1970-01-01T00:00:00\.000Z/);
    assert.match(str(boxed), /\[Number: 3\]/);
    assert.deepEqual(calls, []);
  });

  it('does not read the prototype constructor through a getter', () => {
    const { calls, record } = recorder();
    class Hidden {}
    Object.defineProperty(Hidden.prototype, 'constructor', {
      get() {
        record('prototype constructor getter');
        return Hidden;
      },
    });
    str(new Hidden());
    assert.deepEqual(calls, []);
  });
});

// What util.inspect still runs with these options (documented in object-string.ts). If one of
// these starts failing on a new Node.js, util.inspect has become safer: update the comment.
describe('objectString: user code that util.inspect still runs', () => {
  it('reads a constructor name getter', () => {
    const { calls, record } = recorder();
    class Named {}
    Object.defineProperty(Named, 'name', {
      get() {
        record('name getter');
        return 'Renamed';
      },
    });
    assert.equal(str(new Named()), 'Renamed {}');
    assert.ok(calls.length > 0);
  });

  it('reads Symbol.toStringTag getters, inherited or own', () => {
    const { calls, record } = recorder();
    class Tagged {
      get [Symbol.toStringTag]() {
        record('inherited tag');
        return 'Tag';
      }
    }
    const own = {
      get [Symbol.toStringTag]() {
        record('own tag');
        return 'Own';
      },
    };
    assert.equal(str(new Tagged()), 'Tagged [Tag] {}');
    str(own);
    assert.ok(calls.includes('inherited tag') && calls.includes('own tag'), calls.join());
  });

  it('runs the traps of a Proxy in the prototype chain', () => {
    const { calls, record } = recorder();
    const value = Object.create(new Proxy({}, recordingHandler(record))) as Record<string, unknown>;
    value['z'] = 1;
    assert.equal(str(value), '{ z: 1 }');
    assert.ok(calls.length > 0);
  });

  it("reads an Error's message, name and stack getters", () => {
    const { calls, record } = recorder();
    class Failure extends Error {
      override get name() {
        record('name');
        return 'Failure';
      }
    }
    const error = new Failure('boom');
    Object.defineProperty(error, 'stack', {
      get() {
        record('stack');
        return 'Failure: boom';
      },
    });
    assert.match(str(error), /Failure: boom/);
    assert.ok(calls.includes('stack'), calls.join());
  });

  it('iterates a Set or Map subclass with its own iterator', () => {
    const { calls, record } = recorder();
    class TracedSet<T> extends Set<T> {
      override [Symbol.iterator]() {
        record('set iterator');
        return super[Symbol.iterator]();
      }
    }
    // Node.js 22 leaves out "[Set]".
    assert.match(str(new TracedSet([1, 2])), /^TracedSet\(2\) (\[Set\] )?\{ 1, 2 \}$/);
    assert.deepEqual(calls, ['set iterator']);
  });

  it('gives the error form when such code throws, and never throws itself', () => {
    class Throwing {}
    Object.defineProperty(Throwing, 'name', {
      get() {
        throw new Error('no name for you');
      },
    });
    const throwingTag = {
      get [Symbol.toStringTag]() {
        throw new RangeError('bad tag');
      },
    };
    const throwingPrototype = Object.create(
      new Proxy(
        {},
        {
          getPrototypeOf() {
            throw new Error('trap');
          },
          getOwnPropertyDescriptor() {
            throw new Error('trap');
          },
        },
      ),
    ) as object;
    assert.equal(str(new Throwing()), '<Error when getting string representation: no name for you>');
    // Node.js 24 and later catch this one themselves.
    assert.match(str(throwingTag), /^(<Error when getting string representation: bad tag>|\{ \[?Symbol\(Symbol\.toStringTag\)\]?: \[Getter\] \})$/);
    assert.equal(str(throwingPrototype), '<Error when getting string representation: trap>');
  });
});

describe('objectString: the cut to strMaxLength', () => {
  it('keeps a form of exactly strMaxLength characters whole', () => {
    assert.equal(str('abcd', 6), "'abcd'");
    assert.equal(str(123456, 6), '123456');
  });

  it('cuts a longer form and says how many characters were cut', () => {
    assert.equal(str('abcdefghij', 5), "'abcd … (7 more chars)");
    assert.equal(str(1234567, 3), '123 … (4 more chars)');
    assert.equal(str({ a: 1, b: 2 }, 8), '{ a: 1,  … (6 more chars)');
  });

  it('cuts the default strMaxLength of 100', () => {
    const text = objectString('x'.repeat(500), defaults);
    assert.equal(text, `'${'x'.repeat(99)} … (402 more chars)`);
  });

  it('does not split a surrogate pair', () => {
    // "'a😀b'": the cut at 3 would fall between the two halves of 😀.
    assert.equal(str('a😀b', 3), "'a … (4 more chars)");
    assert.equal(str('a😀b', 4), "'a😀 … (2 more chars)");
  });
});

describe('objectString: strFunc', () => {
  it('uses strFunc, which receives the value and strMaxLength', () => {
    const seen: unknown[][] = [];
    const strFunc: StrFunc = (value, maxLength) => {
      seen.push([value, maxLength]);
      return `custom ${maxLength}`;
    };
    const value = { a: 1 };
    assert.equal(objectString(value, { strFunc, strMaxLength: 50 }), 'custom 50');
    assert.equal(seen.length, 1);
    assert.equal(seen[0]?.[0], value);
  });

  it('cuts what strFunc returns', () => {
    const strFunc: StrFunc = () => 'y'.repeat(30);
    assert.equal(objectString({}, { strFunc, strMaxLength: 10 }), `${'y'.repeat(10)} … (20 more chars)`);
  });

  it('gives the error form when strFunc throws', () => {
    const strFunc: StrFunc = () => {
      throw new TypeError('cannot describe');
    };
    assert.equal(objectString({}, { strFunc, strMaxLength: 100 }), '<Error when getting string representation: cannot describe>');
  });

  it('gives the error form when strFunc returns something else than a string', () => {
    for (const [result, said] of [
      [42, 'number'],
      [undefined, 'undefined'],
      [null, 'null'],
      [{ toString: () => 'nope' }, 'object'],
    ] as const) {
      const strFunc = (() => result) as unknown as StrFunc;
      assert.equal(
        objectString({}, { strFunc, strMaxLength: 100 }),
        `<Error when getting string representation: strFunc returned ${said}, not a string>`,
      );
    }
  });

  it('survives whatever strFunc throws', () => {
    const throwing = (thrown: unknown): StrFunc => () => {
      throw thrown;
    };
    const run = (thrown: unknown) => objectString({}, { strFunc: throwing(thrown), strMaxLength: 100 });
    assert.equal(run('a plain string'), '<Error when getting string representation: a plain string>');
    assert.equal(run(undefined), '<Error when getting string representation: undefined>');
    assert.equal(run(null), '<Error when getting string representation: null>');
    assert.equal(run(Symbol('sym')), '<Error when getting string representation: Symbol(sym)>');
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error('no');
        },
        getPrototypeOf() {
          throw new Error('no');
        },
      },
    );
    assert.equal(run(hostile), '<Error when getting string representation: a thrown object without a message>');
    const messageGetterThrows = Object.defineProperty(new Error(), 'message', {
      get() {
        throw new Error('no');
      },
    });
    assert.equal(run(messageGetterThrows), '<Error when getting string representation: a thrown object without a message>');
  });

  it('makes the error message one line and cuts it', () => {
    const strFunc: StrFunc = () => {
      throw new Error(`first\n  second ${'z'.repeat(50)}`);
    };
    assert.equal(
      objectString({}, { strFunc, strMaxLength: 20 }),
      '<Error when getting string representation: first second zzzzzzz … (43 more chars)>',
    );
  });
});

describe('stringNodeText', () => {
  const samples = ['', 'plain', "it's", `it's "quoted"`, `all ' " \` kinds`, 'tab\tnew\nline', '\u0000\u001b[31m', 'ünïcødé 😀', '\ud800 lone'];

  it('quotes and escapes as util.inspect does', () => {
    for (const text of samples) assert.equal(stringNodeText(text, 1000), inspect(text), JSON.stringify(text));
  });

  it('quotes a long string with newlines on one line', () => {
    const text = 'line\n'.repeat(100);
    assert.equal(stringNodeText(text, 10_000), `'${'line\\n'.repeat(100)}'`);
  });

  it('cuts the quoted form, counting the characters cut', () => {
    assert.equal(stringNodeText('abcdefghij', 5), "'abcd … (7 more chars)");
    assert.equal(stringNodeText('a\nb', 3), "'a\\ … (3 more chars)");
    assert.equal(stringNodeText('abc', 5), "'abc'");
    assert.equal(stringNodeText('abc', 0), " … (5 more chars)");
  });

  it('quotes a huge string from a prefix only, with the same result for plain text', () => {
    const huge = 'a'.repeat(3_000_000);
    assert.equal(stringNodeText(huge, 10), `'${'a'.repeat(9)} … (${3_000_002 - 10} more chars)`);
    assert.equal(str(huge, 10), stringNodeText(huge, 10));
  });

  it('does not split a surrogate pair at the end of a huge string prefix', () => {
    const huge = `${'a'.repeat(8)}😀${'b'.repeat(2_000_000)}`;
    assert.ok(stringNodeText(huge, 10).startsWith(`'${'a'.repeat(8)} … `));
    assert.ok(stringNodeText(huge, 11).startsWith(`'${'a'.repeat(8)}😀 … `));
  });
});
