// Examines one birth epoch: which of the objects created in it are still alive, by type.
// The cheap question (did anything survive at all?) is answered from V8's epoch statistics;
// only when something did is a heap snapshot taken and walked, natively.
import { performance } from 'node:perf_hooks';
import { addon, type NativeHeapGraph, type NativeLeakGroup, type NativeTypeRow } from '../native/addon.js';
import type { AllocationSite, Leak, TypeSummary } from '../storage/schema.js';
import { readMemory, type MemoryReading } from '../report/memory.js';
import { TypeFilter, typeName } from './type-names.js';
import { allocationSitesByType, leakAllocationSites, type TypeShape } from './allocation-sites.js';
import { describeError, warn } from './report-session.js';
import { headroomShortfall } from './headroom.js';

/** Heap object IDs (afterId, upToId]: the objects first seen between two boundaries. */
export interface IdRange {
  readonly afterId: number;
  readonly upToId: number;
}

/** The objects created between two boundaries, less the `holes` in which memalot was reporting. */
export interface EpochRange extends IdRange {
  readonly createdAfter: Date;
  readonly createdBefore: Date;
  readonly holes?: readonly IdRange[];
  /**
   * Single objects of the range that memalot holds itself, left out: each alive until the scan
   * is done, in the range, in no hole, and listed once (see excludedIdsOf in function-based.ts).
   */
  readonly excludedIds?: readonly number[];
  /**
   * Excluded objects that the walk from the stack passes through all the same: the promises an
   * async wrapper returned, whose reactions are the callers awaiting them (native/frame_holds.h).
   */
  readonly walkedIds?: readonly number[];
}

export { availableMemory, SNAPSHOT_BYTES_PER_OBJECT, snapshotWouldNotFit } from './headroom.js';

export interface EpochScanResult {
  /** Every type that passed the filters, most common first. */
  readonly typeSummaries: TypeSummary[];
  readonly survivingObjects: number;
  readonly survivingBytes: number;
  readonly snapshotTaken: boolean;
  readonly snapshotNodes: number | null;
  /** Survivors of named types that the include/exclude filters left out (none: absent). */
  readonly filteredOut?: { readonly objects: number; readonly types: number };
  /** Set when something survived but the snapshot was not taken, and why. */
  readonly snapshotSkipped?: string;
  /**
   * Set when the summary came from a walk of the JavaScript objects (objectCensus), not a
   * snapshot: the survivors that no row names (strings, numbers, V8's own objects).
   */
  readonly objectWalk?: { readonly unnamedObjects: number };
  readonly durationMs: number;
  /** The process's memory right before the scan began: before memalot's work for this report. */
  readonly memoryBefore?: MemoryReading;
  /**
   * The snapshot, still open, when object details are to be computed from it: the caller
   * must dispose of it (its native memory can be many times the heap).
   */
  readonly snapshot?: NativeHeapGraph;
  /** Per type in typeSummaries: the IDs of some of its objects (the oldest), for details. */
  readonly sampleIds?: ReadonlyMap<string, readonly number[]>;
  /**
   * Per type in typeSummaries, what its objects retain together, from the sizes per native row
   * that the snapshot's complete() gives (typeRetainedSizes).
   */
  readonly retainedByType?: (rowSizes: readonly number[]) => ReadonlyMap<string, number>;
  /** The leak groups that complete() gives (by native row), named as typeSummaries are. */
  readonly leaksOf?: (groups: readonly NativeLeakGroup[]) => Leak[];
}

export interface ScanOptions {
  readonly includedTypeNames: readonly string[];
  readonly excludedTypeNames: readonly string[];
  readonly computeSizeInLeakSummary: boolean;
  /** Count what only Node's own modules hold (native/node_bookkeeping.h). */
  readonly includeNodeInternals?: boolean;
  /** Objects to detail per report: their IDs are sampled, and the snapshot kept for them. */
  readonly maxObjectDetails: number;
  /** Recount survivors after one more boundary before taking a snapshot (function-based). */
  readonly confirmSurvivors?: boolean;
  /**
   * Summarise without a snapshot where one is not needed for details: the JavaScript objects
   * counted by type in one QueryObjects walk (native/object_census.h).
   */
  readonly objectCensus?: boolean;
  /** Where the survivors were allocated, from the sampling profiler (allocation-sites.ts). */
  readonly captureAllocationSites?: boolean;
  readonly sourceLinesFromNodeModules?: boolean;
}

/**
 * The range's objects still alive at the last boundary, less the holes and the excluded
 * objects. The caller guarantees that each excluded ID is alive, in the range and in no hole
 * (and listed once), so the subtraction is exact; it never goes below 0 all the same, since a
 * count that hid a survivor would skip the snapshot that finds it.
 */
function countSurvivors(range: EpochRange): { objects: number; bytes: number } {
  const native = addon();
  const alive = native.countAlive(range.afterId, range.upToId);
  for (const hole of range.holes ?? []) {
    const inHole = native.countAlive(hole.afterId, hole.upToId);
    alive.objects -= inHole.objects;
    alive.bytes -= inHole.bytes;
  }
  alive.objects = Math.max(0, alive.objects - (range.excludedIds?.length ?? 0));
  alive.bytes = Math.max(0, alive.bytes);
  return alive;
}

/** `liveObjects`: all live heap objects at the last boundary (what a snapshot must hold). */
export function scanEpoch(range: EpochRange, liveObjects: number, options: ScanOptions): EpochScanResult {
  const started = performance.now();
  // The program's memory, before this report's work (the snapshot above all) adds memalot's.
  const memoryBefore = readMemory();
  const native = addon();
  let alive = countSurvivors(range);
  if (alive.objects > 0 && options.confirmSurvivors === true) {
    // Right at a call's end, the stack of the code that ends it can still hold a few of the
    // call's objects (a number in a register, say). One more boundary, from deeper down,
    // costs a garbage collection; a snapshot costs ten or more.
    native.markBoundary();
    alive = countSurvivors(range);
  }
  const details = options.maxObjectDetails > 0;
  const holes = (range.holes ?? []).flatMap((h) => [h.afterId, h.upToId]);
  if (alive.objects > 0 && options.objectCensus === true && !details && options.captureAllocationSites !== true && native.countObjectTypes !== undefined) {
    // The period's JavaScript objects by type, in one walk; the rest of its survivors only counted.
    const counted = native.countObjectTypes(range.afterId, range.upToId, holes, range.excludedIds ?? []);
    const rows = counted.rows.map((row): NativeTypeRow => ({ ...row, shallowSize: 0, sampleIds: [] }));
    const { typeSummaries, filteredOut } = summarize(rows, { ...options, computeSizeInLeakSummary: false });
    return {
      typeSummaries,
      survivingObjects: alive.objects,
      survivingBytes: alive.bytes,
      snapshotTaken: false,
      snapshotNodes: null,
      ...(filteredOut.objects > 0 ? { filteredOut } : {}),
      objectWalk: { unnamedObjects: Math.max(0, alive.objects - counted.objects) },
      durationMs: performance.now() - started,
      memoryBefore,
    };
  }
  const tooBig = alive.objects === 0 ? undefined : headroomShortfall(liveObjects);
  if (alive.objects === 0 || tooBig !== undefined) {
    return {
      typeSummaries: [],
      survivingObjects: alive.objects,
      survivingBytes: alive.bytes,
      snapshotTaken: false,
      snapshotNodes: null,
      ...(tooBig === undefined ? {} : { snapshotSkipped: tooBig }),
      durationMs: performance.now() - started,
      memoryBefore,
    };
  }
  const graph = native.takeSnapshot();
  let keep = false;
  try {
    const snapshotNodes = graph.nodeCount;
    const rows = graph.summarizeRange(range.afterId, range.upToId, holes, range.excludedIds ?? [], {
      samplesPerType: options.maxObjectDetails,
      retainedSizes: details,
      walkedIds: range.walkedIds ?? [],
      nodeInternals: options.includeNodeInternals === true,
    });
    const { typeSummaries, sampleIds, rowNames, filteredOut, shapes } = summarize(rows, options);
    const sites = options.captureAllocationSites === true && typeSummaries.length > 0 ? sitesOf(range, shapes, options) : undefined;
    if (sites !== undefined) {
      typeSummaries.forEach((row, i) => {
        const found = sites.get(row.objectType);
        if (found !== undefined && found.length > 0) typeSummaries[i] = { ...row, allocationSites: found };
      });
    }
    keep = details && typeSummaries.length > 0;
    const retainedByType = (sizes: readonly number[]): Map<string, number> => {
      const byName = new Map<string, number>();
      rowNames.forEach((name, row) => {
        if (name !== undefined) byName.set(name, (byName.get(name) ?? 0) + (sizes[row] ?? 0));
      });
      return byName;
    };
    const leaksOf = (groups: readonly NativeLeakGroup[]): Leak[] =>
      namedLeaks(groups, rowNames).map((leak) => {
        const found = sites === undefined ? [] : leakAllocationSites(leak, sites);
        return found.length === 0 ? leak : { ...leak, allocationSites: found };
      });
    return {
      typeSummaries,
      survivingObjects: alive.objects,
      survivingBytes: alive.bytes,
      snapshotTaken: true,
      snapshotNodes,
      durationMs: performance.now() - started,
      memoryBefore,
      ...(filteredOut.objects > 0 ? { filteredOut } : {}),
      ...(keep ? { snapshot: graph, sampleIds, retainedByType, leaksOf } : {}),
    };
  } finally {
    if (!keep) graph.dispose();
  }
}

/** The sites of the range's types; none (and a warning) when V8's profiler fails us. */
function sitesOf(range: EpochRange, shapes: ReadonlyMap<string, TypeShape>, options: ScanOptions): Map<string, AllocationSite[]> | undefined {
  try {
    return allocationSitesByType(range, shapes, { sourceLinesFromNodeModules: options.sourceLinesFromNodeModules === true });
  } catch (error) {
    warn(`could not read the allocation sites: ${describeError(error)}`);
    return undefined;
  }
}

/**
 * Leak groups by type name. Rows of one name (classes of one name in one module) are merged;
 * a group whose heads' type is filtered out is dropped (its bytes are that type's), and
 * members of filtered-out types are left out of the contents.
 */
export function namedLeaks(groups: readonly NativeLeakGroup[], rowNames: readonly (string | undefined)[]): Leak[] {
  const byName = new Map<string, { count: number; bytes: number; contents: Map<string, number> }>();
  for (const group of groups) {
    const name = rowNames[group.row];
    if (name === undefined) continue;
    const entry = byName.get(name) ?? { count: 0, bytes: 0, contents: new Map<string, number>() };
    entry.count += group.count;
    entry.bytes += group.retainedSize;
    for (const member of group.contents) {
      const memberName = rowNames[member.row];
      if (memberName !== undefined) entry.contents.set(memberName, (entry.contents.get(memberName) ?? 0) + member.count);
    }
    byName.set(name, entry);
  }
  return [...byName]
    .map(([objectType, { count, bytes, contents }]): Leak => ({
      objectType,
      count,
      retainedSizeBytes: bytes,
      contents: [...contents]
        .map(([type, n]) => ({ objectType: type, count: n }))
        .sort((a, b) => b.count - a.count || a.objectType.localeCompare(b.objectType)),
    }))
    .sort((a, b) => b.retainedSizeBytes - a.retainedSizeBytes || b.count - a.count || a.objectType.localeCompare(b.objectType));
}

/** Rows by user-facing type name, filtered, most common first. */
function summarize(
  rows: readonly NativeTypeRow[],
  options: ScanOptions,
): {
  typeSummaries: TypeSummary[];
  sampleIds: Map<string, number[]>;
  rowNames: (string | undefined)[];
  filteredOut: { objects: number; types: number };
  shapes: Map<string, TypeShape>;
} {
  const filter = new TypeFilter(options.includedTypeNames, options.excludedTypeNames);
  const byName = new Map<string, { count: number; bytes: number; ids: number[]; sizes: Set<number> }>();
  const rowNames: (string | undefined)[] = [];
  // What the filters leave out is counted, so that a summary they empty does not read as "nothing survived".
  const refused = new Set<string>();
  let refusedObjects = 0;
  for (const row of rows) {
    const name = typeName(row);
    const accepted = name !== undefined && filter.accepts(name);
    rowNames.push(accepted ? name : undefined);
    if (name !== undefined && !accepted) {
      refused.add(name);
      refusedObjects += row.count;
    }
    if (!accepted) continue;
    const entry = byName.get(name) ?? { count: 0, bytes: 0, ids: [], sizes: new Set<number>() };
    entry.count += row.count;
    entry.bytes += row.shallowSize;
    entry.ids.push(...row.sampleIds);
    for (const size of row.objectSizes ?? []) entry.sizes.add(size);
    byName.set(name, entry);
  }
  const sampleIds = new Map<string, number[]>();
  const typeSummaries = [...byName]
    .map(([objectType, { count, bytes, ids }]): TypeSummary => {
      // Several rows can share a name (classes of one name in one module): oldest first.
      sampleIds.set(objectType, ids.sort((a, b) => a - b).slice(0, options.maxObjectDetails));
      return options.computeSizeInLeakSummary ? { objectType, count, shallowSizeBytes: bytes } : { objectType, count };
    })
    .sort((a, b) => b.count - a.count || a.objectType.localeCompare(b.objectType));
  const shapes = new Map([...byName].map(([name, { count, sizes }]) => [name, { count, sizes: [...sizes] }]));
  return { typeSummaries, sampleIds, rowNames, filteredOut: { objects: refusedObjects, types: refused.size }, shapes };
}
