// Examines one birth epoch: which of the objects created in it are still alive, by type.
// The cheap question (did anything survive at all?) is answered from V8's epoch statistics;
// only when something did is a heap snapshot taken and walked, natively.
import { performance } from 'node:perf_hooks';
import { addon } from '../native/addon.js';
import type { TypeSummary } from '../storage/schema.js';
import { TypeFilter, typeName } from './type-names.js';

/** The objects whose IDs are in (afterId, upToId]: created between two boundaries. */
export interface EpochRange {
  readonly afterId: number;
  readonly upToId: number;
  readonly createdAfter: Date;
  readonly createdBefore: Date;
}

export interface EpochScanResult {
  /** Every type that passed the filters, most common first. */
  readonly typeSummaries: TypeSummary[];
  readonly survivingObjects: number;
  readonly survivingBytes: number;
  readonly snapshotTaken: boolean;
  readonly snapshotNodes: number | null;
  readonly durationMs: number;
}

export interface ScanOptions {
  readonly includedTypeNames: readonly string[];
  readonly excludedTypeNames: readonly string[];
  readonly computeSizeInLeakSummary: boolean;
}

export function scanEpoch(range: EpochRange, options: ScanOptions): EpochScanResult {
  const started = performance.now();
  const native = addon();
  const alive = native.countAlive(range.afterId, range.upToId);
  if (alive.objects === 0) {
    return {
      typeSummaries: [],
      survivingObjects: 0,
      survivingBytes: 0,
      snapshotTaken: false,
      snapshotNodes: null,
      durationMs: performance.now() - started,
    };
  }
  const graph = native.takeSnapshot();
  let rows;
  let snapshotNodes: number;
  try {
    snapshotNodes = graph.nodeCount;
    rows = graph.summarizeRange(range.afterId, range.upToId);
  } finally {
    graph.dispose();
  }
  const filter = new TypeFilter(options.includedTypeNames, options.excludedTypeNames);
  const byName = new Map<string, { count: number; bytes: number }>();
  for (const row of rows) {
    const name = typeName(row);
    if (name === undefined || !filter.accepts(name)) continue;
    const entry = byName.get(name) ?? { count: 0, bytes: 0 };
    entry.count += row.count;
    entry.bytes += row.shallowSize;
    byName.set(name, entry);
  }
  const typeSummaries = [...byName]
    .map(([objectType, { count, bytes }]): TypeSummary =>
      options.computeSizeInLeakSummary ? { objectType, count, shallowSizeBytes: bytes } : { objectType, count },
    )
    .sort((a, b) => b.count - a.count || a.objectType.localeCompare(b.objectType));
  return {
    typeSummaries,
    survivingObjects: alive.objects,
    survivingBytes: alive.bytes,
    snapshotTaken: true,
    snapshotNodes,
    durationMs: performance.now() - started,
  };
}
