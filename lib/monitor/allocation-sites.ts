// Where leaked objects were allocated: V8's sampling heap profiler, its live samples dated to a
// report's epoch (native/allocation_sites.h) and matched to the epoch's types by size, since a
// sample names no object. A site is a stack (the allocating function and a few callers) with the
// objects its samples stand for.
import { addon, type NativeAllocationSite } from '../native/addon.js';
import type { AllocationSite, Leak } from '../storage/schema.js';
import { SourceLines } from '../report/source-lines.js';
import type { IdRange } from './epoch-scan.js';
import type { ResolvedCommonOptions } from './options.js';
import { moduleLabel } from './type-names.js';

/** Frames V8 keeps per sample (its walk stops there), and frames a site shows. */
const STACK_DEPTH = 8;
export const FRAMES_PER_SITE = 4;
/** Sites saved per type and per leak, commonest first. */
export const SITES_PER_TYPE = 5;

/**
 * Starts sampling when the options ask for it; a message saying why sites will be missing when
 * another client (DevTools, --heap-prof) has V8's sampling profiler, else undefined.
 */
export function startAllocationSampling(options: Pick<ResolvedCommonOptions, 'captureAllocationSites' | 'allocationSampleInterval'>): string | undefined {
  if (!options.captureAllocationSites) return undefined;
  if (addon().startAllocationSampling(options.allocationSampleInterval, STACK_DEPTH)) return undefined;
  return "another client of V8's sampling heap profiler (DevTools, --heap-prof) is running it, so allocation sites are not captured";
}

/** What a type's objects look like, for matching samples: their count and commonest sizes. */
export interface TypeShape {
  readonly count: number;
  readonly sizes: readonly number[];
}

/**
 * Per type name, its allocation sites among the live samples of the range: a sample of size S
 * is ascribed to every type with objects of size S (a sample names no object). Estimates are
 * capped at the type's count.
 */
export function allocationSitesByType(
  range: IdRange & { readonly holes?: readonly IdRange[] },
  shapes: ReadonlyMap<string, TypeShape>,
  options: Pick<ResolvedCommonOptions, 'sourceLinesFromNodeModules'>,
): Map<string, AllocationSite[]> {
  const holes = (range.holes ?? []).flatMap((h) => [h.afterId, h.upToId]);
  const native = addon().allocationSites(range.afterId, range.upToId, holes, FRAMES_PER_SITE);
  const typesOfSize = new Map<number, string[]>();
  for (const [name, shape] of shapes) {
    for (const size of shape.sizes) typesOfSize.set(size, [...(typesOfSize.get(size) ?? []), name]);
  }
  // Per type, per stack: the samples of every size of that type.
  const tallies = new Map<string, Map<string, { site: NativeAllocationSite; samples: number; objects: number; bytes: number }>>();
  for (const site of native) {
    for (const name of typesOfSize.get(site.size) ?? []) {
      const byStack = tallies.get(name) ?? new Map();
      tallies.set(name, byStack);
      const key = stackKey(site);
      const tally = byStack.get(key) ?? { site, samples: 0, objects: 0, bytes: 0 };
      tally.samples += site.sampleCount;
      tally.objects += site.samples;
      tally.bytes += site.samples * site.size;
      byStack.set(key, tally);
    }
  }
  const sources = new SourceLines(options.sourceLinesFromNodeModules);
  const result = new Map<string, AllocationSite[]>();
  for (const [name, byStack] of tallies) {
    const count = shapes.get(name)?.count ?? 0;
    // Sizes are shared by types, so a site whose source allocates this very type (`new Type`)
    // comes first; then the commonest.
    const typeOnly = constructorName(name);
    const found = [...byStack.values()].map((tally) => ({
      ...tally,
      source: tally.site.frames[0] === undefined ? undefined : sources.lineOf(tally.site.frames[0], typeOnly),
    }));
    const top = found
      .sort((a, b) => Number(b.source?.allocates === true) - Number(a.source?.allocates === true) || b.objects - a.objects)
      .slice(0, SITES_PER_TYPE);
    result.set(
      name,
      top.map(({ site, samples, objects, bytes, source }) => {
        const estimatedObjects = Math.min(count, Math.round(objects));
        const scale = objects === 0 ? 0 : estimatedObjects / objects;
        return {
          frames: site.frames.map((f) => ({ functionName: f.functionName, file: f.script === '' ? '' : moduleLabel(f.script), line: Math.max(0, f.line), column: Math.max(0, f.column) })),
          ...(source === undefined ? {} : { source: { line: source.line, text: source.text } }),
          samples,
          estimatedObjects,
          estimatedBytes: Math.round(bytes * scale),
        };
      }),
    );
  }
  return result;
}

function stackKey(site: NativeAllocationSite): string {
  return site.frames.map((f) => `${f.functionName}\0${f.script}\0${f.line}\0${f.column}`).join('\n');
}

/** "src/jobs.js:AuditEntry" -> "AuditEntry"; undefined for types no constructor makes. */
function constructorName(typeName: string): string | undefined {
  const name = typeName.slice(typeName.lastIndexOf(':') + 1);
  return /^[A-Za-z_$][\w$]*$/.test(name) && !['string', 'number', 'bigint', 'symbol', 'Function'].includes(name) ? name : undefined;
}

/** A leak's sites: its holders' type's and those of what they carry, merged, commonest first. */
export function leakAllocationSites(leak: Leak, byType: ReadonlyMap<string, readonly AllocationSite[]>): AllocationSite[] {
  const merged = new Map<string, AllocationSite>();
  for (const type of [leak.objectType, ...leak.contents.map((c) => c.objectType)]) {
    for (const site of byType.get(type) ?? []) {
      const key = site.frames.map((f) => `${f.functionName}\0${f.file}\0${f.line}\0${f.column}`).join('\n');
      const seen = merged.get(key);
      merged.set(
        key,
        seen === undefined
          ? site
          : { ...seen, samples: seen.samples + site.samples, estimatedObjects: seen.estimatedObjects + site.estimatedObjects, estimatedBytes: seen.estimatedBytes + site.estimatedBytes },
      );
    }
  }
  return [...merged.values()].sort((a, b) => b.estimatedObjects - a.estimatedObjects).slice(0, SITES_PER_TYPE);
}
