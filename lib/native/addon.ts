// Loads the native addon: the committed prebuild for this Node.js ABI, or a build from source.
//
// V8's profiler API is C++ and not ABI-stable, so a binary built for one Node.js major would
// load under another and then crash on its first call. Every binary therefore carries a
// build-info string (ABI and source hash) that is read from its bytes before it is loaded.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { arch, platform } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from './package-root.js';

const require = createRequire(import.meta.url);

/** A boundary between two birth epochs; see native/epoch_tracker.h. */
export interface NativeBoundary {
  /** Every object alive at the boundary has an ID at most this. */
  readonly lastObjectId: number;
  readonly epoch: number;
  readonly liveObjects: number;
  readonly liveBytes: number;
}

export interface NativeTypeRow {
  readonly kind: 'object' | 'function' | 'string' | 'number' | 'bigint' | 'symbol' | 'regexp' | 'internal';
  readonly name: string;
  /** The constructor's script: a file path or URL, or '' for built-ins. */
  readonly script: string;
  readonly count: number;
  readonly shallowSize: number;
  /** Up to `samplesPerType` IDs of the type's objects, the oldest first. */
  readonly sampleIds: number[];
  /** The commonest shallow sizes of the type's objects (up to 4), to match allocation samples. */
  readonly objectSizes?: number[];
}

/** Live allocation samples of one stack and size; see native/allocation_sites.h. */
export interface NativeAllocationSite {
  /** The allocating function first; line and column (1-based, 0 unknown) are where it starts. */
  readonly frames: { readonly functionName: string; readonly script: string; readonly line: number; readonly column: number }[];
  readonly size: number;
  /** V8's scaled count: the objects these samples stand for. */
  readonly samples: number;
  /** How many samples there were. */
  readonly sampleCount: number;
}

export interface SummarizeOptions {
  readonly samplesPerType?: number;
  readonly retainedSizes?: boolean;
  /**
   * Count what only the frames of running functions hold (default true): the objects reached
   * from the stack roots without passing through an excluded object (native/frame_holds.h).
   * With false, only what is reachable once the stack unwinds counts.
   */
  readonly stackHeld?: boolean;
  /**
   * Excluded objects that the walk from the stack passes through all the same (still not
   * counted): the promise an async wrapper returned, whose reactions are its awaiting caller.
   */
  readonly walkedIds?: readonly number[];
  /**
   * Count survivors that are Node's own bookkeeping (held only by Node's modules; see
   * native/node_bookkeeping.h), which are left out by default.
   */
  readonly nodeInternals?: boolean;
}

/** Limits of a referrer search (null: none); see native/retainers.h. */
export interface ReferrerSearchOptions {
  readonly maxDepth?: number | null;
  readonly timeoutSeconds?: number | null;
  readonly referrerLimit?: number | null;
  readonly maxObjects?: number;
  /** How much of a string object's contents to give (one character more, to show a cut). */
  readonly stringMaxLength?: number;
  /** Scripts whose top-level variables are module variables; null: the user's own code. */
  readonly modulePrefixes?: readonly string[] | null;
  /** Paths under this directory are shown relative to it. */
  readonly cwd?: string;
  /**
   * The program's function whose frame holds what the stack holds, which closure variables of
   * a running function end at: "main.rows (closure variable) of main (running, at jobs.js:12)".
   * Without it (and without stackLabel): "... of a running function", and a path that ends
   * at the stack says "a running function's variable or temporary (stack)".
   */
  readonly runningCode?: string;
  /** The label of a path that ends at the stack ("a local of main (running, at jobs.js:12)"). */
  readonly stackLabel?: string;
}

export interface NativeReferrerNode {
  readonly id: string;
  name: string;
  readonly objectId: number | null;
  readonly referentIds: string[];
  /** An object node for a function: its source location can be added from the live function. */
  readonly closure?: true;
}

export interface NativeReferrerGraph {
  readonly nodes: NativeReferrerNode[];
  readonly targetIds: string[];
  readonly rootIds: string[];
  readonly targetKind: NativeTypeRow['kind'];
  /**
   * The contents of a string object (a concatenated one's read from its parts, a sliced one's
   * from the live string): its first stringMaxLength + 1 characters at most.
   */
  readonly stringValue?: string;
  /** The whole string's length, of which stringValue is the start. */
  readonly stringLength?: number;
}

/** One heap snapshot held natively; see native/heap_graph.h. */
export interface NativeHeapGraph {
  readonly nodeCount: number;
  /**
   * How the native index numbers the snapshot's nodes (native/graph_index.h): V8's own entry
   * numbers when every node agrees with them, else address runs, else a hash map. Tests can
   * force the last two with MEMALOT_TEST_NODE_INDEX=runs|hash.
   */
  readonly nodeNumbering: 'entry-numbers' | 'runs' | 'hash';
  /**
   * `holes`: flat [afterId, upToId, ...] ranges inside (afterId, upToId] to leave out;
   * `excludedIds`: single objects to leave out.
   */
  summarizeRange(
    afterId: number,
    upToId: number,
    holes?: readonly number[],
    excludedIds?: readonly number[],
    options?: SummarizeOptions,
  ): NativeTypeRow[];
  /**
   * After summarizeRange(..., { retainedSizes: true }): per row it returned, what the type's
   * objects retain together (each byte once), from the dominator tree (built on first use).
   */
  typeRetainedSizes(): number[];
  /** What keeps an object alive, back to the roots; null when it is not in the snapshot. */
  referrerGraph(objectId: number, options?: ReferrerSearchOptions): NativeReferrerGraph | null;
  /**
   * The retained size in bytes of each object: its own size plus that of everything only it
   * keeps alive (see native/dominators.h); 0 for an ID that is not in the snapshot. The
   * dominator tree is built on the first call (under a second per million nodes) and kept.
   */
  retainedSizes(objectIds: readonly number[]): number[];
  /**
   * The end of a report, in one call, after which the snapshot is disposed of: the live
   * objects with `objectIds` (as findObjects, undefined where not found), found by a helper
   * thread while this one computes the retained sizes of `retainedSizeIds` and, after
   * summarizeRange(..., { retainedSizes: true }), per row (as typeRetainedSizes), and frees
   * the snapshot.
   */
  complete(objectIds: readonly number[], retainedSizeIds: readonly number[]): NativeCompletion;
  dispose(): void;
}

export interface NativeCompletion {
  readonly objects: unknown[];
  readonly retainedSizes: number[];
  /** Empty unless summarizeRange was asked for retained sizes. */
  readonly typeRetainedSizes: number[];
  /**
   * The survivors grouped by the object that keeps them (native/leak_groups.h), largest
   * first; empty unless summarizeRange was asked for retained sizes.
   */
  readonly leakGroups: NativeLeakGroup[];
}

/** Survivors kept alive only through other survivors of the epoch, by the heads' row. */
export interface NativeLeakGroup {
  /** The summarizeRange row of the heads' type. */
  readonly row: number;
  /** Heads of that row. */
  readonly count: number;
  /** What the heads retain together, each byte once. */
  readonly retainedSize: number;
  /** The groups' other members, per row. */
  readonly contents: { readonly row: number; readonly count: number }[];
}

/** A summary without a snapshot: rows as summarizeRange's, without sizes or sample IDs. */
export interface NativeObjectCensus {
  readonly rows: { readonly kind: 'object' | 'function'; readonly name: string; readonly script: string; readonly count: number }[];
  readonly objects: number;
}

export interface NativeAddon {
  readonly abi: number;
  readonly buildInfo: string;
  readonly v8Version: string;
  /** `trackAllocations`: V8's allocation tracker too (a stack per allocation; the benchmark's comparison only). */
  startTracking(trackAllocations?: boolean): NativeBoundary;
  markBoundary(): NativeBoundary;
  countAlive(afterId: number, upToId: number): { objects: number; bytes: number };
  /**
   * The JavaScript objects of (afterId, upToId], less the holes and excludedIds, by type, in
   * one walk of the heap and no snapshot (native/object_census.h): `objects` counted in all,
   * strings, numbers and V8's own objects never among them. Optional: an older build lacks it.
   */
  countObjectTypes?(afterId: number, upToId: number, holes: readonly number[], excludedIds: readonly number[]): NativeObjectCensus;
  stopTracking(): void;
  isTracking(): boolean;
  /**
   * Starts V8's sampling heap profiler (stopped by stopTracking); false when another client of
   * it (DevTools, --heap-prof) runs it. Boundaries marked from then on date its samples.
   */
  startAllocationSampling(intervalBytes: number, stackDepth: number): boolean;
  /** The live samples allocated in (afterId, upToId] less the holes, by stack and size. */
  allocationSites(afterId: number, upToId: number, holes: readonly number[], maxFrames: number): NativeAllocationSite[];
  /** The heap object IDs of these values; 0 where V8 has given none (yet). */
  objectIds(values: readonly unknown[]): number[];
  takeSnapshot(): NativeHeapGraph;
  /**
   * The live JavaScript objects with these IDs (undefined where none is alive, and for strings
   * and numbers), found in one walk of the heap; see native/object_lookup.h. About twice as
   * slow while a snapshot is alive: dispose of it first, or use the snapshot's complete().
   */
  findObjects(objectIds: readonly number[]): unknown[];
  /** A function's source position (1-based), or null for built-in and bound functions. */
  functionLocation(fn: unknown): { script: string; line: number; column: number } | null;
  /**
   * Creates temporaryPath (new, 0600, not through a link), writes text, fsyncs and renames it
   * to path, with no JavaScript between the steps (native/atomic_file.h). Optional: an older
   * build lacks it.
   */
  writeFileAtomic?(temporaryPath: string, path: string, text: string): void;
}

export interface BuildInfo {
  readonly abi: number;
  readonly sourceHash: string;
}

const BUILD_INFO = /memalot-build-info:abi=(\d+);source-hash=h([0-9a-f]+);/;

/** Reads the build info baked into a binary, without loading it. */
export function readBuildInfo(file: string): BuildInfo | undefined {
  const match = BUILD_INFO.exec(readFileSync(file).toString('latin1'));
  return match ? { abi: Number(match[1]), sourceHash: match[2]! } : undefined;
}

interface NodeGypBuild {
  path(dir: string): string;
}

function buildFromSourceHint(root: string): string {
  return (
    `Build it from source: run "npx node-gyp rebuild" in ${root} ` +
    '(it needs python3, make and a C++20 compiler), or reinstall with install scripts allowed.'
  );
}

/** The binary for this process's ABI: node-gyp-build's choice, unless that was built for another ABI. */
export function locateAddon(root: string = packageRoot): string {
  const abi = Number(process.versions.modules);
  const target = `${platform()}-${arch()}, Node.js ${process.version} (ABI ${abi})`;
  const nodeGypBuild = require('node-gyp-build') as NodeGypBuild;
  let file: string;
  try {
    file = nodeGypBuild.path(root);
  } catch {
    throw new Error(`memalot has no native addon for ${target} in ${join(root, 'prebuilds')}. ${buildFromSourceHint(root)}`);
  }
  const info = readBuildInfo(file);
  if (info?.abi === abi) return file;
  // node-gyp-build takes build/Release first, whatever Node.js it was built for: a build left
  // by another Node.js version must not hide the matching prebuild.
  const prebuild = join(root, 'prebuilds', `${platform()}-${arch()}`, `memalot.abi${abi}.node`);
  try {
    if (readBuildInfo(prebuild)?.abi === abi) return prebuild;
  } catch {
    // no such prebuild: report the mismatch below
  }
  const found = info ? `built for ABI ${info.abi}` : 'not a memalot build';
  throw new Error(`memalot's native addon ${file} is ${found}, but this is ${target}. ${buildFromSourceHint(root)}`);
}

let loaded: NativeAddon | undefined;

/** The addon, loaded once per thread (each worker thread loads its own instance). */
export function addon(): NativeAddon {
  loaded ??= require(locateAddon()) as NativeAddon;
  return loaded;
}
