// Referrer graphs of real objects, on this Node.js: each kind of reference a JavaScript developer
// writes (a property, an array element, a Map, Set or WeakMap entry, a closure variable, a module
// variable, a global, a timer's callback, an event listener, a promise reaction) is labelled as
// such, in a tree from the object through the objects that hold it to a root; V8's internal nodes
// never show; each limit of the search leaves a node that says so.
//
// In this process (most cases): structures are built by helper functions and held by this
// module's variables only; the snapshot is taken, then the objects are looked up by their IDs (a
// frame that is running when V8 takes the snapshot holds what is in its registers, which would
// add a referrer). In child processes: time-based monitoring saves the details of leaked objects,
// read back from the report files, with the functions' source locations added.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { addon, type NativeHeapGraph, type NativeReferrerGraph, type NativeReferrerNode, type ReferrerSearchOptions } from '../lib/native/addon.js';
import { packageRoot } from '../lib/native/package-root.js';
import { renderObjectDetails } from '../lib/report/render-details.js';
import { makeStyle } from '../lib/report/style.js';
import type { ObjectDetails } from '../lib/storage/schema.js';
import { runProgram, type ChildResult } from './helpers/child.js';
import { readSavedReports } from './helpers/reports.js';

const native = addon();
const thisFile = fileURLToPath(import.meta.url);
/** This module as labels name it: relative to the directory the searches are given. */
const thisModule = relative(packageRoot, thisFile);
const fixtures = join(packageRoot, 'test', 'fixtures');

// ---------------------------------------------------------------------------------------------
// Path assertions

/** A label or an object node's name: exact text, or a pattern where the text varies. */
type Name = string | RegExp;

function matches(name: string, expected: Name): boolean {
  return typeof expected === 'string' ? name === expected : expected.test(name);
}

function nodesReferringTo(graph: NativeReferrerGraph, id: string): NativeReferrerNode[] {
  return graph.nodes.filter((node) => node.referentIds.includes(id));
}

function targetOf(graph: NativeReferrerGraph): NativeReferrerNode {
  assert.equal(graph.targetIds.length, 1);
  const target = graph.nodes.find((node) => node.id === graph.targetIds[0]);
  assert.ok(target);
  return target;
}

/** The names of what refers to the target directly: the labels of its referrers. */
function labelsOfTarget(graph: NativeReferrerGraph): string[] {
  return nodesReferringTo(graph, targetOf(graph).id).map((node) => node.name);
}

function describeGraph(graph: NativeReferrerGraph): string {
  return renderTree(graph).join('\n');
}

/**
 * The path exists in the graph: from the target, a label node named path[0] refers to it, an
 * object node named path[1] refers to that label (the holder), a label path[2] to the holder,
 * and so on; the path ends with a label that is one of the graph's roots (or, with `endsAtRoot`
 * false, anywhere, such as at a limit's node). Label nodes carry the
 * ID of their holder (or of the context or root for a root label); object nodes their own.
 * Returns the nodes of the path found (backtracking over equally named branches).
 */
function assertPath(graph: NativeReferrerGraph, path: readonly Name[], endsAtRoot = true): NativeReferrerNode[] {
  if (endsAtRoot) assert.equal(path.length % 2, 1, 'a path to a root ends with a label');
  const roots = new Set(graph.rootIds);
  const walk = (from: NativeReferrerNode, step: number): NativeReferrerNode[] | null => {
    if (step === path.length) return [];
    for (const next of nodesReferringTo(graph, from.id)) {
      if (!matches(next.name, path[step]!)) continue;
      if (step === path.length - 1 && endsAtRoot && !roots.has(next.id)) continue;
      const rest = walk(next, step + 1);
      if (rest !== null) return [next, ...rest];
    }
    return null;
  };
  const found = walk(targetOf(graph), 0);
  assert.ok(found, `no path ${path.map(String).join(' <- ')} in\n${describeGraph(graph)}`);
  for (const [i, node] of found.entries()) {
    if (node.objectId === null && !endsAtRoot && i === found.length - 1) break;  // a limit's node
    assert.notEqual(node.objectId, null, `${node.name} has an object ID`);
    if (i % 2 === 1) {
      // A holder's object ID is the one its label shows.
      assert.equal(node.objectId, found[i - 1]!.objectId, `${node.name}: the holder of "${found[i - 1]!.name}"`);
    }
  }
  return found;
}

/** No node of V8's own bookkeeping shows: hidden classes, backing stores, contexts. */
function assertNoInternals(graph: NativeReferrerGraph): void {
  for (const node of graph.nodes) {
    assert.ok(!node.name.startsWith('system / '), `internal node "${node.name}" in\n${describeGraph(graph)}`);
    assert.ok(!/\(object (elements|properties)\)/.test(node.name), `backing store "${node.name}" in\n${describeGraph(graph)}`);
  }
}

/** The graph as the report draws it (plain, without the box). */
function renderTree(graph: NativeReferrerGraph): string[] {
  const details: ObjectDetails = {
    objectTypeName: 'test',
    objectId: 1,
    objectStr: null,
    retainedSizeBytes: null,
    referrerGraph: {
      targetIds: graph.targetIds,
      rootIds: graph.rootIds,
      nodes: graph.nodes.map(({ id, name, objectId, referentIds }) => ({ id, name, objectId, referentIds })),
    },
    referrersChecked: true,
  };
  const lines = renderObjectDetails(details, makeStyle(false)).split('\n');
  const inside = lines.slice(1, -1).map((line) => line.replace(/^│ /, '').replace(/ *│$/, ''));
  return inside.slice(inside.indexOf('') + 1, inside.lastIndexOf(''));
}

/** The 1-based line of the compiled file (or source) where `text` is, the first time. */
function lineOf(source: string, text: string): number {
  const index = source.split('\n').findIndex((line) => line.includes(text));
  assert.ok(index >= 0, `"${text}" in the source`);
  return index + 1;
}

// ---------------------------------------------------------------------------------------------
// What this process holds, each kind of reference to objects of its own class

class User {
  readonly name = 'ada';
}
class Session {
  readonly user = new User();
}
class LineItem {
  readonly sku = 'sku-1';
}
class CachedSession {}
class NumberedSession {}
class FloatKeyedSession {}
class SessionKey {}
class ActiveToken {}
class Token {}
class TokenData {}
class RequestContext {}
class TrackerState {}
class Job {}
class Failure {}
class Registry {}
class TimerPayload {}
class UnheldTimerPayload {}
class ListenerPayload {}
class DrainPayload {}
class PromisePayload {}
class Shared {}
class Pair {
  constructor(
    readonly left: object,
    readonly right: object,
  ) {}
}
class Folder {
  readonly files: File[] = [];
}
class File {
  constructor(readonly folder: Folder) {}
}
class Link {
  constructor(readonly next: Link | null) {}
}
class Popular {}
class Fan {
  constructor(readonly popular: Popular) {}
}

let session: Session | undefined;
let lineItems: unknown[] = [];
let sessionsById = new Map<string, CachedSession>();
let sessionsByNumber = new Map<number, NumberedSession>();
let sessionsByFloat = new Map<number, FloatKeyedSession>();
let sessionKeys = new Map<SessionKey, number>();
let activeTokens = new Set<ActiveToken>();
let token: Token | undefined;
let tokenData = new WeakMap<Token, TokenData>();
let onRequest: (() => unknown) | undefined;
let tracker: (() => unknown) | undefined;
let runs: (() => unknown)[] = [];
let retry: (() => unknown) | undefined;
let timer: NodeJS.Timeout | undefined;
let shutdownEvents: EventEmitter | undefined;
let drainEvents: EventEmitter | undefined;
let pending: Promise<unknown> | undefined;
let pair: Pair | undefined;
let folder: Folder | undefined;
let chain: Link | undefined;
let fans: Fan[] = [];
let esmFixture: { exportedRegistry: object; currentSessionCache(): object } | undefined;
let cjsFixture: { currentCjsCache(): object } | undefined;
let packageFixture: { currentPackageCache(): object; packageRegistry: object } | undefined;
let packageDir = '';

/** The variable `ctx` of `handle`, held by the anonymous function it returns. */
function handle(ctx: RequestContext): () => unknown {
  return () => ctx; // the closure in this process
}

/** A closure whose scope also holds numbers (which have no edge in a snapshot). */
function track(limit: number): () => unknown {
  let hits = 0;
  const state = new TrackerState();
  return () => {
    hits += limit;
    return state;
  };
}

/** Block-scoped: each loop iteration's `job` lives in a context of its own. */
function schedule(jobs: readonly Job[]): (() => unknown)[] {
  const made: (() => unknown)[] = [];
  for (const job of jobs) made.push(() => job);
  return made;
}

/** A catch clause's variable, held by a function made in the clause. */
function retryLater(): () => unknown {
  try {
    throw new Failure();
  } catch (failure) {
    return () => failure;
  }
}

function armTimer(): NodeJS.Timeout {
  const payload = new TimerPayload();
  const made = setTimeout(() => payload, 1_000_000);
  made.unref();
  return made;
}

/**
 * A timer whose handle the program keeps nowhere: only Node's timer lists hold it (its own list:
 * no other timer has its duration). Unreferenced, it keeps no process running.
 */
function armUnheldTimer(): void {
  const payload = new UnheldTimerPayload();
  setTimeout(() => payload, 999_999).unref();
}

function listen(events: EventEmitter, event: string, payload: object): void {
  events.on(event, () => payload);
}

function react(promise: Promise<unknown>): void {
  const payload = new PromisePayload();
  void promise.then(() => payload);
}

/** A folder and its file, which refers back to it. */
function makeFolder(): Folder {
  const made = new Folder();
  made.files.push(new File(made));
  return made;
}

async function build(): Promise<void> {
  session = new Session();
  lineItems = ['a', 'b', 'c', new LineItem()];
  sessionsById = new Map([['sess-42', new CachedSession()]]);
  sessionsByNumber = new Map([[7, new NumberedSession()]]);
  sessionsByFloat = new Map([[2 ** 40 + 0.5, new FloatKeyedSession()]]);
  sessionKeys = new Map([[new SessionKey(), 1]]);
  activeTokens = new Set([new ActiveToken()]);
  token = new Token();
  tokenData = new WeakMap([[token, new TokenData()]]);
  onRequest = handle(new RequestContext());
  tracker = track(3);
  runs = schedule([new Job()]);
  retry = retryLater();
  (globalThis as Record<string, unknown>)['registry'] = new Registry();
  timer = armTimer();
  armUnheldTimer();
  shutdownEvents = new EventEmitter();
  listen(shutdownEvents, 'shutdown', new ListenerPayload());
  // Two listeners of one event: EventEmitter keeps them in an array.
  drainEvents = new EventEmitter();
  listen(drainEvents, 'drain', {});
  listen(drainEvents, 'drain', new DrainPayload());
  pending = new Promise(() => {});
  react(pending);
  const shared = new Shared();
  pair = new Pair(shared, shared);
  folder = makeFolder();
  chain = new Link(new Link(new Link(null)));
  const popular = new Popular();
  fans = Array.from({ length: 12 }, () => new Fan(popular));

  esmFixture = (await import(pathToFileURL(join(fixtures, 'referrers-esm.mjs')).href)) as typeof esmFixture;
  cjsFixture = createRequire(import.meta.url)(join(fixtures, 'referrers-cjs.cjs')) as typeof cjsFixture;
  // A package: a module under node_modules.
  packageDir = mkdtempSync(join(tmpdir(), 'memalot-referrers-'));
  const packageRoot = join(packageDir, 'node_modules', 'cachepkg');
  mkdirSync(packageRoot, { recursive: true });
  writeFileSync(
    join(packageRoot, 'index.mjs'),
    [
      'class PackageCache {}',
      'const packageCache = new PackageCache();',
      'export const packageRegistry = new PackageCache();',
      'export function currentPackageCache() {',
      '  return packageCache;',
      '}',
      '',
    ].join('\n'),
  );
  packageFixture = (await import(pathToFileURL(join(packageRoot, 'index.mjs')).href)) as typeof packageFixture;
}

// ---------------------------------------------------------------------------------------------
// In this process

describe('referrer labels of real objects in this process', () => {
  let snapshot: NativeHeapGraph;

  before(async () => {
    await build();
    snapshot = native.takeSnapshot();
  });

  after(() => {
    snapshot.dispose();
    clearTimeout(timer);
    delete (globalThis as Record<string, unknown>)['registry'];
    rmSync(packageDir, { recursive: true, force: true });
  });

  /** The graph of the object `pick` returns (called after the snapshot: no frame holds it). */
  function graphOf(pick: () => unknown, options: ReferrerSearchOptions = {}): NativeReferrerGraph {
    const [id] = native.objectIds([pick()]);
    assert.ok(id !== undefined && id > 0, 'the object has an ID');
    const graph = snapshot.referrerGraph(id, { cwd: packageRoot, ...options });
    assert.ok(graph, 'the object is in the snapshot');
    return graph;
  }

  /** The one instance of a class that no JavaScript can reach, found by its type in the snapshot. */
  function liveInstance(className: string): unknown {
    const row = snapshot.summarizeRange(0, 2 ** 32 - 1, [], [], { samplesPerType: 1 }).find((r) => r.name === className);
    assert.ok(row, `${className} in the snapshot`);
    return native.findObjects(row.sampleIds)[0];
  }

  const moduleVariable = (name: string) => `${name} (module variable in ${thisModule})`;

  test('a property: Session.user (property)', () => {
    const graph = graphOf(() => session!.user);
    assert.equal(targetOf(graph).name, 'User (object)');
    assert.deepEqual(labelsOfTarget(graph), ['Session.user (property)']);
    assertPath(graph, ['Session.user (property)', 'Session (object)', moduleVariable('session')]);
    assertNoInternals(graph);
  });

  test('an array element: Array index=3', () => {
    const graph = graphOf(() => lineItems[3]);
    assert.deepEqual(labelsOfTarget(graph), ['Array index=3']);
    assertPath(graph, ['Array index=3', 'Array (object)', moduleVariable('lineItems')]);
    assertNoInternals(graph);
  });

  test('a Map value: Map value for key "sess-42"', () => {
    const graph = graphOf(() => sessionsById.get('sess-42'));
    assert.deepEqual(labelsOfTarget(graph), ['Map value for key "sess-42"']);
    assertPath(graph, ['Map value for key "sess-42"', 'Map (object)', moduleVariable('sessionsById')]);
    assertNoInternals(graph);
  });

  test('a Map value under a number key: the number is not in the snapshot', () => {
    // Small integers are stored in the table itself, and a heap snapshot has no edge to them;
    // other numbers are heap numbers whose values the snapshot is taken without.
    assert.deepEqual(labelsOfTarget(graphOf(() => sessionsByNumber.get(7))), ['Map value for key <a small integer>']);
    assert.deepEqual(labelsOfTarget(graphOf(() => sessionsByFloat.get(2 ** 40 + 0.5))), ['Map value for key <a number>']);
  });

  test('a Map key: Map key (also when the value is a small integer)', () => {
    const graph = graphOf(() => [...sessionKeys.keys()][0]);
    assert.deepEqual(labelsOfTarget(graph), ['Map key']);
    assertPath(graph, ['Map key', 'Map (object)', moduleVariable('sessionKeys')]);
  });

  test('a Set member: Set member', () => {
    const graph = graphOf(() => [...activeTokens][0]);
    assert.deepEqual(labelsOfTarget(graph), ['Set member']);
    assertPath(graph, ['Set member', 'Set (object)', moduleVariable('activeTokens')]);
    assertNoInternals(graph);
  });

  test('a WeakMap value: held by the WeakMap and by its key', () => {
    const graph = graphOf(() => tokenData.get(token!));
    assert.deepEqual(labelsOfTarget(graph).sort(), ['WeakMap value for key Token', 'WeakMap value for key Token (held by its key)']);
    assertPath(graph, ['WeakMap value for key Token', 'WeakMap (object)', moduleVariable('tokenData')]);
    assertPath(graph, ['WeakMap value for key Token (held by its key)', 'Token (object)', moduleVariable('token')]);
    assertNoInternals(graph);
  });

  test('a closure variable: handle.ctx (closure variable), held by the function, at its line', () => {
    const graph = graphOf(() => onRequest!());
    assert.deepEqual(labelsOfTarget(graph), ['handle.ctx (closure variable)']);
    const [, holder] = assertPath(graph, ['handle.ctx (closure variable)', 'Function (anonymous) (closure)', moduleVariable('onRequest')]);
    assert.equal(holder!.closure, true, 'a function node, for the façade to add its location');
    // The location the façade adds ("at file.mjs:19"): the live function found by its ID.
    const [fn] = native.findObjects([holder!.objectId!]);
    assert.equal(fn, onRequest);
    const location = native.functionLocation(fn);
    assert.equal(location?.script, pathToFileURL(thisFile).href);
    assert.equal(location.line, lineOf(readFileSync(thisFile, 'utf8'), 'return () => ctx; // the closure in this process'));
    assertNoInternals(graph);
  });

  test('a closure variable of a scope that also holds numbers: named after its function, not a number variable', () => {
    const graph = graphOf(() => tracker!());
    assert.deepEqual(labelsOfTarget(graph), ['track.state (closure variable)']);
    assertPath(graph, ['track.state (closure variable)', 'Function (anonymous) (closure)', moduleVariable('tracker')]);
  });

  test('a block-scoped closure variable: a loop variable, a catch clause variable', () => {
    const loop = graphOf(() => runs[0]!());
    assert.deepEqual(labelsOfTarget(loop), ['schedule.job (closure variable)']);
    assertPath(loop, ['schedule.job (closure variable)', 'Function (anonymous) (closure)', 'Array index=0', 'Array (object)', moduleVariable('runs')]);
    const caught = graphOf(() => retry!());
    assert.deepEqual(labelsOfTarget(caught), ['retryLater.failure (closure variable)']);
    assertPath(caught, ['retryLater.failure (closure variable)', 'Function (anonymous) (closure)', moduleVariable('retry')]);
    assertNoInternals(loop);
    assertNoInternals(caught);
  });

  test('module variables of an ES module: exported and not exported', () => {
    const module = relative(packageRoot, join(fixtures, 'referrers-esm.mjs'));
    const hidden = graphOf(() => esmFixture!.currentSessionCache());
    assert.equal(targetOf(hidden).name, 'SessionCache (object)');
    assert.deepEqual(labelsOfTarget(hidden), [`sessionCache (module variable in ${module})`]);
    assertPath(hidden, [`sessionCache (module variable in ${module})`]);
    const exported = graphOf(() => esmFixture!.exportedRegistry);
    assert.ok(labelsOfTarget(exported).includes(`exportedRegistry (module variable in ${module})`), describeGraph(exported));
    assertPath(exported, [`exportedRegistry (module variable in ${module})`]);
    assertNoInternals(hidden);
    assertNoInternals(exported);
  });

  test('a module variable of a CommonJS module', () => {
    const module = relative(packageRoot, join(fixtures, 'referrers-cjs.cjs'));
    const graph = graphOf(() => cjsFixture!.currentCjsCache());
    assert.equal(targetOf(graph).name, 'CjsCache (object)');
    assert.deepEqual(labelsOfTarget(graph), [`cjsCache (module variable in ${module})`]);
    assertPath(graph, [`cjsCache (module variable in ${module})`]);
    assertNoInternals(graph);
  });

  test('modulePrefixes: only the modules they match (by path, or by package name) have module variables', () => {
    const cjs = relative(packageRoot, join(fixtures, 'referrers-cjs.cjs'));
    const esm = relative(packageRoot, join(fixtures, 'referrers-esm.mjs'));
    const byPath = { modulePrefixes: [join(fixtures, 'referrers-cjs')] };
    assert.deepEqual(labelsOfTarget(graphOf(() => cjsFixture!.currentCjsCache(), byPath)), [`cjsCache (module variable in ${cjs})`]);
    // Another module's variable still ends the path (a module lives as long as the program),
    // but is not called a module variable.
    const notMatched = graphOf(() => esmFixture!.currentSessionCache(), byPath);
    assert.deepEqual(labelsOfTarget(notMatched), [`sessionCache (variable of ${esm})`]);
    assertPath(notMatched, [`sessionCache (variable of ${esm})`]);

    // A package's module: not the user's own code by default; matched by its package name.
    const packaged = join(packageDir, 'node_modules', 'cachepkg', 'index.mjs');
    assert.deepEqual(labelsOfTarget(graphOf(() => packageFixture!.currentPackageCache())), [`packageCache (variable of ${packaged})`]);
    const named = graphOf(() => packageFixture!.currentPackageCache(), { modulePrefixes: ['cachepkg'] });
    assert.deepEqual(labelsOfTarget(named), [`packageCache (module variable in ${packaged})`]);
    assertPath(named, [`packageCache (module variable in ${packaged})`]);
    // The same for an exported binding.
    assertPath(graphOf(() => packageFixture!.packageRegistry), [`packageRegistry (variable of ${packaged})`]);
    assertPath(graphOf(() => packageFixture!.packageRegistry, { modulePrefixes: ['cachepkg'] }), [`packageRegistry (module variable in ${packaged})`]);
  });

  test('a global: globalThis.registry (global)', () => {
    const graph = graphOf(() => (globalThis as Record<string, unknown>)['registry']);
    assert.deepEqual(labelsOfTarget(graph), ['globalThis.registry (global)']);
    assertPath(graph, ['globalThis.registry (global)']);
    assertNoInternals(graph);
  });

  test("a timer's callback: Timeout callback (timer); Node.js's own module variables are not module variables", () => {
    const graph = graphOf(() => (timer as unknown as { _onTimeout(): unknown })._onTimeout());
    assertPath(graph, [
      'armTimer.payload (closure variable)',
      'Function (anonymous) (closure)',
      'Timeout callback (timer)',
      'Timeout (object)',
      moduleVariable('timer'),
    ]);
    const callback = graphOf(() => (timer as unknown as { _onTimeout: unknown })._onTimeout);
    assert.deepEqual(labelsOfTarget(callback), ['Timeout callback (timer)']);
    // A timer kept nowhere by the program: Node's timer lists hold it, in variables of
    // node:internal/timers, which are not the user's module variables.
    const unheld = graphOf(() => liveInstance('UnheldTimerPayload'), { maxDepth: null });
    assertPath(unheld, [
      'armUnheldTimer.payload (closure variable)',
      'Function (anonymous) (closure)',
      'Timeout callback (timer)',
      'Timeout (object)',
    ], false);
    const roots = unheld.nodes.filter((node) => unheld.rootIds.includes(node.id)).map((node) => node.name);
    assert.ok(roots.some((name) => / \(variable of (node:)?internal\/timers\)$/.test(name)), describeGraph(unheld));
    assert.ok(!unheld.nodes.some((node) => /module variable in (node:|internal\/)/.test(node.name)), describeGraph(unheld));
    assertNoInternals(graph);
  });

  test("an event listener: EventEmitter 'shutdown' listener, alone or among others", () => {
    const graph = graphOf(() => (shutdownEvents!.listeners('shutdown')[0] as () => unknown)());
    assertPath(graph, [
      'listen.payload (closure variable)',
      'Function (anonymous) (closure)',
      "EventEmitter 'shutdown' listener",
      'EventEmitter (object)',
      moduleVariable('shutdownEvents'),
    ]);
    const second = graphOf(() => (drainEvents!.listeners('drain')[1] as () => unknown)());
    assertPath(second, ['listen.payload (closure variable)', 'Function (anonymous) (closure)', "EventEmitter 'drain' listener", 'EventEmitter (object)', moduleVariable('drainEvents')]);
    assertNoInternals(graph);
    assertNoInternals(second);
  });

  test('a pending promise reaction: Promise reaction (then/catch/finally handler)', () => {
    // The payload is reachable from no JavaScript: found through the snapshot.
    const graph = graphOf(() => liveInstance('PromisePayload'));
    assertPath(graph, [
      'react.payload (closure variable)',
      'Function (anonymous) (closure)',
      'Promise reaction (then/catch/finally handler)',
      'Promise (object)',
      moduleVariable('pending'),
    ]);
    assertNoInternals(graph);
  });

  test('roots are the graph rootIds; the renderer marks them, and marks a node shown again or in a cycle', () => {
    const shared = graphOf(() => pair!.left);
    const paths = ['Pair.left (property)', 'Pair.right (property)'];
    assert.deepEqual(labelsOfTarget(shared).sort(), paths);
    for (const label of paths) assertPath(shared, [label, 'Pair (object)', moduleVariable('pair')]);
    const lines = renderTree(shared);
    assert.equal(lines.filter((line) => line.includes('Pair (object)')).length, 2, lines.join('\n'));
    assert.equal(lines.filter((line) => / \(see above\)$/.test(line)).length, 1, lines.join('\n'));
    assert.match(lines.join('\n'), new RegExp(`${moduleVariable('pair').replace(/[.()]/g, '\\$&')} \\(id=\\d+\\) \\(root\\)`));
    // Every root is a node that ends a path: it has no referrers of its own.
    for (const id of shared.rootIds) assert.deepEqual(nodesReferringTo(shared, id), []);

    // The folder's file refers back to it: going up from the file, the folder is met again.
    const cycle = graphOf(() => folder);
    assertPath(cycle, [moduleVariable('folder')]);
    const round = ['File.folder (property)', 'File (object)', 'Array index=0', 'Array (object)', 'Folder.files (property)', 'Folder (object)'];
    assert.equal(assertPath(cycle, round, false).at(-1)!.id, targetOf(cycle).id, 'the path comes back to the folder');
    assert.ok(
      renderTree(cycle).some((line) => / {4}└── Folder \(object\) \(id=\d+\) \(cycle member\)$/.test(line)),
      renderTree(cycle).join('\n'),
    );
  });

  test('limits: Maximum depth of N exceeded, Timeout of N seconds exceeded, Referrer limit of N exceeded with M referrers', () => {
    const deep = graphOf(() => chain!.next!.next, { maxDepth: 2 });
    assert.deepEqual(
      deep.nodes.filter((node) => node.objectId === null).map((node) => node.name),
      ['Maximum depth of 2 exceeded'],
    );
    // Two holders from the object, then the limit in place of the third.
    const link = ['Link.next (property)', 'Link (object)', 'Link.next (property)', 'Link (object)'];
    assertPath(deep, [...link, 'Maximum depth of 2 exceeded'], false);
    const whole = graphOf(() => chain!.next!.next, { maxDepth: null });
    assertPath(whole, [...link, moduleVariable('chain')]);
    assert.deepEqual(whole.nodes.filter((node) => node.objectId === null), []);

    const timedOut = graphOf(() => session!.user, { timeoutSeconds: 0 });
    assert.deepEqual(
      timedOut.nodes.map((node) => node.name),
      ['User (object)', 'Timeout of 0 seconds exceeded'],
    );
    assert.deepEqual(timedOut.nodes[1]!.referentIds, [timedOut.targetIds[0]]);

    const popular = graphOf(() => fans[0]!.popular, { referrerLimit: 5 });
    assert.equal(labelsOfTarget(popular).filter((name) => name === 'Fan.popular (property)').length, 5);
    assert.ok(labelsOfTarget(popular).includes('Referrer limit of 5 exceeded with 12 referrers'), describeGraph(popular));
    const all = graphOf(() => fans[0]!.popular, { referrerLimit: null });
    assert.equal(labelsOfTarget(all).length, 12);
  });
});

// ---------------------------------------------------------------------------------------------
// In monitored child processes

/** Ends the program once the monitor has written `iterations` iterations, or after 60 s. */
function stopAfter(iterations: number): string {
  return `
const deadline = Date.now() + 120_000;
const poll = setInterval(async () => {
  if (monitor.iterations < ${iterations} && Date.now() < deadline) return;
  clearInterval(poll);
  clearInterval(tick);
  await monitor.stop();
  process.exit(0);
}, 50);
`;
}

/** Every object detail the child's report saved, of a type whose name ends with `:${className}`. */
function detailsOf(run: ChildResult, className: string): ObjectDetails[] {
  const reports = readSavedReports(run.reportDirectory);
  assert.equal(reports.length, 1, `one report\n${run.stdout}\n${run.stderr}`);
  const all = reports[0]!.iterations.flatMap((iteration) => iteration.objectDetails);
  const found = all.filter((details) => details.objectTypeName.endsWith(`:${className}`));
  assert.ok(found.length > 0, `details for ${className} among ${[...new Set(all.map((d) => d.objectTypeName))].join(', ')}`);
  return found;
}

/** A saved graph, as the native one (the paths are checked the same way). */
function savedGraph(details: ObjectDetails): NativeReferrerGraph {
  assert.ok(details.referrerGraph, `${details.objectTypeName} has a referrer graph`);
  return { ...details.referrerGraph, targetKind: 'object' };
}

const esmProgram = `
import { startLeakMonitoring } from 'memalot';
import { EventEmitter } from 'node:events';
class Session { constructor(id) { this.id = id; } }
class RequestContext { constructor(n) { this.n = n; } }
class Registry {}
class TimerPayload {}
class UnheldTimerPayload {}
class ListenerPayload {}
class PromisePayload {}
const sessions = new Map();
const handlers = [];
const timers = [];
const shutdownEvents = new EventEmitter();
shutdownEvents.setMaxListeners(0);
const pending = new Promise(() => {});
function handle(ctx) {
  return () => ctx;
}
function armTimer() {
  const payload = new TimerPayload();
  const made = setTimeout(() => payload, 1_000_000);
  made.unref();
  return made;
}
function listen() {
  const payload = new ListenerPayload();
  shutdownEvents.on('shutdown', () => payload);
}
function react() {
  const payload = new PromisePayload();
  pending.then(() => payload);
}
const monitor = startLeakMonitoring({ maxObjectLifetime: 1, warmupPeriod: 1, maxObjectDetails: 10 });
let n = 0;
const tick = setInterval(() => {
  n++;
  sessions.set('sess-' + n, new Session(n));
  handlers.push(handle(new RequestContext(n)));
  globalThis['registry' + n] = new Registry();
  timers.push(armTimer());
  listen();
  react();
}, 200);
${stopAfter(3)}
`;

const cjsProgram = `
'use strict';
const { mkdirSync, writeFileSync } = require('node:fs');
// A package under node_modules with a module variable of its own.
mkdirSync('node_modules/cachepkg', { recursive: true });
writeFileSync('node_modules/cachepkg/package.json', '{ "name": "cachepkg", "main": "index.js" }');
writeFileSync('node_modules/cachepkg/index.js', "'use strict';\\nconst packageCache = [];\\nexports.remember = (entry) => { packageCache.push(entry); };\\n");
const { remember } = require('cachepkg');
const { startLeakMonitoring } = require('memalot');
class PackageEntry {}
class LocalEntry {}
const localEntries = [];
const monitor = startLeakMonitoring({ maxObjectLifetime: 1, warmupPeriod: 1, maxObjectDetails: 4, referrersModulePrefixes: ['cachepkg'] });
const tick = setInterval(() => {
  remember(new PackageEntry());
  localEntries.push(new LocalEntry());
}, 200);
${stopAfter(3)}
`;

const uncheckedProgram = `
import { startLeakMonitoring } from 'memalot';
class Session { constructor(id) { this.id = id; } }
const sessions = [];
const monitor = startLeakMonitoring({
  maxObjectLifetime: 1,
  warmupPeriod: 1,
  maxObjectDetails: 2,
  checkReferrers: false,
  strFunc: (value) => (value instanceof Session ? 'session #' + value.id : 'other'),
});
let n = 0;
const tick = setInterval(() => sessions.push(new Session(++n)), 200);
${stopAfter(3)}
`;

describe('referrer labels in reports of monitored programs', { concurrency: 3 }, () => {
  // All three programs run at once.
  const esm = runProgram(esmProgram);
  const cjs = runProgram(cjsProgram, { fileName: 'program.cjs' });
  const unchecked = runProgram(uncheckedProgram);

  test('an ES module program: each kind of reference, with functions located in the program', async () => {
    const run = await esm;
    assert.equal(run.code, 0, run.stderr);
    const closureLine = lineOf(esmProgram, 'return () => ctx;');
    const session = detailsOf(run, 'Session').map(savedGraph);
    assert.ok(session.some((g) => labelsOfTarget(g).some((l) => /^Map value for key "sess-\d+"$/.test(l))));
    const sessionGraph = session[0]!;
    assertPath(sessionGraph, [/^Map value for key "sess-\d+"$/, 'Map (object)', 'sessions (module variable in program.mjs)']);

    const context = savedGraph(detailsOf(run, 'RequestContext')[0]!);
    assertPath(context, [
      'handle.ctx (closure variable)',
      `Function (anonymous) (closure) at program.mjs:${closureLine}`,
      /^Array index=\d+$/,
      'Array (object)',
      'handlers (module variable in program.mjs)',
    ]);
    assertPath(savedGraph(detailsOf(run, 'Registry')[0]!), [/^globalThis\.registry\d+ \(global\)$/]);
    assertPath(savedGraph(detailsOf(run, 'TimerPayload')[0]!), [
      'armTimer.payload (closure variable)',
      /^Function \(anonymous\) \(closure\) at program\.mjs:\d+$/,
      // In a report, the timer as the program wrote it (from the live Timeout).
      /^setTimeout callback at program\.mjs:\d+, after 1000 s$/,
      'Timeout (object)',
      /^Array index=\d+$/,
      'Array (object)',
      'timers (module variable in program.mjs)',
    ]);
    assertPath(savedGraph(detailsOf(run, 'ListenerPayload')[0]!), [
      'listen.payload (closure variable)',
      /^Function \(anonymous\) \(closure\) at program\.mjs:\d+$/,
      "EventEmitter 'shutdown' listener",
      'EventEmitter (object)',
      'shutdownEvents (module variable in program.mjs)',
    ]);
    assertPath(savedGraph(detailsOf(run, 'PromisePayload')[0]!), [
      'react.payload (closure variable)',
      /^Function \(anonymous\) \(closure\) at program\.mjs:\d+$/,
      'Promise reaction (then/catch/finally handler)',
      'Promise (object)',
      'pending (module variable in program.mjs)',
    ]);
    for (const className of ['Session', 'RequestContext', 'Registry', 'TimerPayload', 'ListenerPayload', 'PromisePayload']) {
      for (const details of detailsOf(run, className)) assertNoInternals(savedGraph(details));
    }
    // The console report draws the same tree.
    assert.match(run.stdout, /╭─ program\.mjs:RequestContext \(id=\d+\)/);
    assert.match(run.stdout, /│ ← handle\.ctx \(closure variable\) +│/);
    assert.match(run.stdout, /│ ← handlers \(module variable in program\.mjs\) \(root\) +│/);
  });

  test('a CommonJS program with referrersModulePrefixes: the package they match has module variables, the program then not', async () => {
    const run = await cjs;
    assert.equal(run.code, 0, run.stderr);
    const entry = savedGraph(detailsOf(run, 'PackageEntry')[0]!);
    assertPath(entry, [/^Array index=\d+$/, 'Array (object)', 'packageCache (module variable in node_modules/cachepkg/index.js)']);
    const local = savedGraph(detailsOf(run, 'LocalEntry')[0]!);
    assertPath(local, [/^Array index=\d+$/, 'Array (object)', 'localEntries (variable of program.cjs)']);
    assert.ok(!local.nodes.some((node) => node.name.includes('(module variable in')), describeGraph(local));
  });

  test('checkReferrers: false saves no graph; strFunc gives the string form', async () => {
    const run = await unchecked;
    assert.equal(run.code, 0, run.stderr);
    const details = detailsOf(run, 'Session');
    for (const d of details) {
      assert.equal(d.referrersChecked, false);
      assert.equal(d.referrerGraph, null);
      assert.match(d.objectStr ?? '', /^session #\d+$/);
    }
    assert.match(run.stdout, /Referrers were not checked \(checkReferrers is false\)/);
  });
});
