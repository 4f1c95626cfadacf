// Unit tests of how types are named (module labels, typeName per kind) and filtered.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { NativeTypeRow } from '../lib/native/addon.js';
import { moduleLabel, TypeFilter, typeName } from '../lib/monitor/type-names.js';

const CWD = '/home/dev/project';

function row(kind: NativeTypeRow['kind'], name: string, script = ''): NativeTypeRow {
  return { kind, name, script, count: 1, shallowSize: 16, sampleIds: [] };
}

describe('moduleLabel', () => {
  it('makes a file: URL under the working directory a relative posix path', () => {
    assert.equal(moduleLabel('file:///home/dev/project/src/session.js', CWD), 'src/session.js');
    assert.equal(moduleLabel('file:///home/dev/project/index.mjs', CWD), 'index.mjs');
    assert.equal(moduleLabel('file:///home/dev/project/src/deep/er/mod.ts', CWD), 'src/deep/er/mod.ts');
  });

  it('decodes a file: URL', () => {
    assert.equal(moduleLabel('file:///home/dev/project/my%20dir/a%23b.js', CWD), 'my dir/a#b.js');
    const url = pathToFileURL(join(CWD, 'src', 'ünïcode.js')).href;
    assert.equal(moduleLabel(url, CWD), 'src/ünïcode.js');
  });

  it('makes an absolute path under the working directory relative', () => {
    assert.equal(moduleLabel('/home/dev/project/src/session.js', CWD), 'src/session.js');
    assert.equal(moduleLabel('/home/dev/project/lib/a/../b/c.js', CWD), 'lib/b/c.js');
    assert.equal(moduleLabel('/home/dev/project/src/a.js', `${CWD}/`), 'src/a.js');
  });

  it('uses process.cwd() by default', () => {
    assert.equal(moduleLabel(join(process.cwd(), 'src', 'leaky.js')), 'src/leaky.js');
    assert.equal(moduleLabel(pathToFileURL(join(process.cwd(), 'a', 'b.mjs')).href), 'a/b.mjs');
  });

  it('labels a file inside node_modules by what follows the last node_modules/', () => {
    assert.equal(moduleLabel('/home/dev/project/node_modules/express/lib/router.js', CWD), 'express/lib/router.js');
    assert.equal(moduleLabel('/home/dev/project/node_modules/@scope/pkg/dist/index.js', CWD), '@scope/pkg/dist/index.js');
    assert.equal(moduleLabel('/home/dev/project/node_modules/a/node_modules/b/index.js', CWD), 'b/index.js');
    assert.equal(moduleLabel('file:///home/dev/project/node_modules/zod/v4/core.js', CWD), 'zod/v4/core.js');
    // Outside the working directory as well, e.g. a global install.
    assert.equal(moduleLabel('/usr/lib/node_modules/npm/lib/npm.js', CWD), 'npm/lib/npm.js');
  });

  it('does not mistake a name merely containing node_modules for the folder', () => {
    assert.equal(moduleLabel('/home/dev/project/my_node_modules/x.js', CWD), 'my_node_modules/x.js');
    assert.equal(moduleLabel('/home/dev/project/src/node_modules.js', CWD), 'src/node_modules.js');
  });

  it('leaves node: scripts and other non-paths unchanged', () => {
    assert.equal(moduleLabel('node:events', CWD), 'node:events');
    assert.equal(moduleLabel('node:internal/streams/readable', CWD), 'node:internal/streams/readable');
    assert.equal(moduleLabel('evalmachine.<anonymous>', CWD), 'evalmachine.<anonymous>');
    assert.equal(moduleLabel('data:text/javascript,export default 1', CWD), 'data:text/javascript,export default 1');
    assert.equal(moduleLabel('src/relative.js', CWD), 'src/relative.js');
  });

  it('leaves a file: URL that is not a local path unchanged', () => {
    assert.equal(moduleLabel('file://otherhost/share/x.js', CWD), 'file://otherhost/share/x.js');
  });

  it('keeps paths outside the working directory absolute', () => {
    assert.equal(moduleLabel('/opt/tools/helper.js', CWD), '/opt/tools/helper.js');
    assert.equal(moduleLabel('file:///opt/tools/helper.js', CWD), '/opt/tools/helper.js');
    assert.equal(moduleLabel('/home/dev/other/x.js', CWD), '/home/dev/other/x.js');
    // A sibling whose name starts with the working directory's name is outside it.
    assert.equal(moduleLabel('/home/dev/project2/x.js', CWD), '/home/dev/project2/x.js');
    // The working directory itself is not a module inside it.
    assert.equal(moduleLabel(CWD, CWD), CWD);
  });

  it('makes a file or folder whose name starts with ".." inside the working directory relative', () => {
    assert.equal(moduleLabel('/home/dev/project/..hidden.js', CWD), '..hidden.js');
    assert.equal(moduleLabel('/home/dev/project/..cache/x.js', CWD), '..cache/x.js');
    assert.equal(moduleLabel('file:///home/dev/project/..hidden.js', CWD), '..hidden.js');
  });
});

describe('typeName', () => {
  it('hides V8 internal objects', () => {
    assert.equal(typeName(row('internal', 'system / Map')), undefined);
    assert.equal(typeName(row('internal', '(compiled code)', '/home/dev/project/a.js'), CWD), undefined);
  });

  it('names built-in objects by their plain name', () => {
    assert.equal(typeName(row('object', 'Map')), 'Map');
    assert.equal(typeName(row('object', 'Array'), CWD), 'Array');
    assert.equal(typeName(row('object', 'Object')), 'Object');
  });

  it('qualifies objects of user classes by their module', () => {
    assert.equal(typeName(row('object', 'Session', 'file:///home/dev/project/src/session.js'), CWD), 'src/session.js:Session');
    assert.equal(typeName(row('object', 'Session', '/home/dev/project/src/session.js'), CWD), 'src/session.js:Session');
    assert.equal(typeName(row('object', 'Router', '/home/dev/project/node_modules/express/lib/router.js'), CWD), 'express/lib/router.js:Router');
    assert.equal(typeName(row('object', 'Thing', '/elsewhere/thing.js'), CWD), '/elsewhere/thing.js:Thing');
    assert.equal(typeName(row('object', 'EventEmitter', 'node:events'), CWD), 'node:events:EventEmitter');
  });

  it('uses process.cwd() when no cwd is given', () => {
    assert.equal(typeName(row('object', 'Leaky', join(process.cwd(), 'src', 'leaky.js'))), 'src/leaky.js:Leaky');
  });

  it('names every function "Function"', () => {
    assert.equal(typeName(row('function', 'handleRequest', '/home/dev/project/src/server.js'), CWD), 'Function');
    assert.equal(typeName(row('function', '')), 'Function');
  });

  it('names regular expressions "RegExp"', () => {
    assert.equal(typeName(row('regexp', '/ab+c/gi')), 'RegExp');
  });

  it('names heap primitives by their typeof', () => {
    assert.equal(typeName(row('string', 'hello')), 'string');
    assert.equal(typeName(row('number', '3.14')), 'number');
    assert.equal(typeName(row('bigint', '123')), 'bigint');
    assert.equal(typeName(row('symbol', 'Symbol(x)')), 'symbol');
  });
});

describe('TypeFilter', () => {
  it('accepts everything without include or exclude lists', () => {
    const filter = new TypeFilter([], []);
    for (const name of ['Map', 'string', 'src/session.js:Session', '']) assert.equal(filter.accepts(name), true);
  });

  it('includes only names containing one of the included parts', () => {
    const filter = new TypeFilter(['src/session', 'Map'], []);
    assert.equal(filter.accepts('src/session.js:Session'), true);
    assert.equal(filter.accepts('Map'), true);
    assert.equal(filter.accepts('WeakMap'), true); // a substring, not a whole name
    assert.equal(filter.accepts('src/cache.js:Cache'), false);
    assert.equal(filter.accepts('string'), false);
  });

  it('excludes names containing one of the excluded parts', () => {
    const filter = new TypeFilter([], ['string', 'node_modules', 'express/']);
    assert.equal(filter.accepts('string'), false);
    assert.equal(filter.accepts('express/lib/router.js:Router'), false);
    assert.equal(filter.accepts('src/session.js:Session'), true);
    assert.equal(filter.accepts('number'), true);
  });

  it('lets exclusion win over inclusion', () => {
    const filter = new TypeFilter(['src/'], ['src/cache']);
    assert.equal(filter.accepts('src/session.js:Session'), true);
    assert.equal(filter.accepts('src/cache.js:Cache'), false);
    assert.equal(filter.accepts('Map'), false);
  });

  it('is case-sensitive', () => {
    assert.equal(new TypeFilter(['map'], []).accepts('Map'), false);
    assert.equal(new TypeFilter(['Map'], []).accepts('Map'), true);
    assert.equal(new TypeFilter([], ['session']).accepts('src/Session.js:Session'), true);
    assert.equal(new TypeFilter([], ['Session']).accepts('src/Session.js:Session'), false);
  });

  it('works with the names that typeName produces', () => {
    const filter = new TypeFilter(['src/session'], []);
    const name = typeName(row('object', 'Session', 'file:///home/dev/project/src/session.js'), CWD);
    assert.ok(name !== undefined);
    assert.equal(filter.accepts(name), true);
    const builtin = typeName(row('object', 'Map'), CWD);
    assert.ok(builtin !== undefined);
    assert.equal(filter.accepts(builtin), false);
  });
});
