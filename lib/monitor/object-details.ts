// Object details for a report: for some leaked objects, what keeps them alive (the referrer
// graph, searched natively in the snapshot), what they retain, and their string form.
//
// The native searches are quick (milliseconds each, on an index of the graph built once per
// report). What costs is finding the live objects, for the string forms and the functions'
// source locations: one walk of the heap for all of them (QueryObjects). So the graphs come
// first, and then one native call (complete) walks the heap on a helper thread while the
// report's own thread computes the retained sizes and frees the snapshot.
import { addon, type NativeHeapGraph, type NativeLeakGroup, type NativeReferrerGraph, type NativeReferrerNode } from '../native/addon.js';
import type { ObjectDetails } from '../storage/schema.js';
import { chooseObjectsForDetails } from './details-selection.js';
import { objectString, stringNodeText } from './object-string.js';
import type { ResolvedCommonOptions } from './options.js';
import { SourceLines } from '../report/source-lines.js';
import { numberHolder, numberValue } from './number-values.js';
import { timerLabel, timerSteps } from './timer-labels.js';
import { runningCode, runningCodeLabels } from './running-code.js';
import { moduleLabel } from './type-names.js';
import type { TypeSummary } from '../storage/schema.js';

export type DetailsOptions = Pick<
  ResolvedCommonOptions,
  | 'maxObjectDetails'
  | 'checkReferrers'
  | 'referrersMaxDepth'
  | 'referrersSearchTimeout'
  | 'singleObjectReferrerLimit'
  | 'maxReportPause'
  | 'referrersModulePrefixes'
  | 'strFunc'
  | 'strMaxLength'
> &
  Partial<Pick<ResolvedCommonOptions, 'captureAllocationSites' | 'sourceLinesFromNodeModules'>>;

/** Characters of a closure's or timer callback's source line in a trace step. */
const SOURCE_IN_STEP = 60;

/** Objects in one referrer graph at most: a bigger graph is cut, and says so. */
export const MAX_GRAPH_OBJECTS = 200;

/** Object details computed, ready to be handed out once the summary is written. */
export interface PreparedDetails {
  /** Per row of the snapshot's summarizeRange: what its objects retain together. */
  readonly typeRetainedSizes: readonly number[];
  /** The survivors grouped by what keeps them, by native row (epoch-scan's leaksOf names them). */
  readonly leakGroups: readonly NativeLeakGroup[];
  /** Objects chosen for details but left out because the report reached maxReportPause. */
  readonly objectsLeftOut: number;
  /** Hands each object's details to `onDetails`, in the order chosen; then lets the objects go. */
  emit(onDetails: (details: ObjectDetails) => void): void;
}

/**
 * Computes the details of up to `maxObjectDetails` objects of the summary's types, and what
 * each type retains; disposes of the snapshot.
 */
export function prepareObjectDetails(
  snapshot: NativeHeapGraph,
  typeSummaries: readonly TypeSummary[],
  sampleIds: ReadonlyMap<string, readonly number[]>,
  options: DetailsOptions,
  /** performance.now() by which the details must be done (maxReportPause from the report's start). */
  deadline = Number.POSITIVE_INFINITY,
): PreparedDetails {
  const allChosen = chooseObjectsForDetails(
    typeSummaries.map((s) => ({ objectType: s.objectType, count: s.count, sampleIds: sampleIds.get(s.objectType) ?? [] })),
    options.maxObjectDetails,
  );
  const native = addon();
  const cwd = process.cwd();
  // Named now, while the frames that hold what the stack holds are still running.
  const running = runningCodeLabels(runningCode(cwd));
  // Each search within what is left of the report's pause; once it is spent, the objects not yet
  // searched are left out (the first one is always detailed: the report is for it).
  const graphs: (NativeReferrerGraph | null)[] = [];
  for (const { objectId } of allChosen) {
    const left = (deadline - performance.now()) / 1000;
    if (graphs.length > 0 && left <= 0) break;
    if (!options.checkReferrers) {
      graphs.push(null);
      continue;
    }
    const timeout = Number.isFinite(left) ? Math.max(0.001, Math.min(left, options.referrersSearchTimeout ?? Infinity)) : options.referrersSearchTimeout;
    graphs.push(referrerGraph(objectId, timeout));
  }
  const chosen = allChosen.slice(0, graphs.length);
  function referrerGraph(objectId: number, timeoutSeconds: number | null): NativeReferrerGraph | null {
    return snapshot.referrerGraph(objectId, {
      maxDepth: options.referrersMaxDepth,
      timeoutSeconds,
      referrerLimit: options.singleObjectReferrerLimit,
      maxObjects: MAX_GRAPH_OBJECTS,
      stringMaxLength: options.strMaxLength,
      modulePrefixes: options.referrersModulePrefixes,
      cwd,
      ...running,
    });
  }

  // One walk of the heap for the detailed objects, the functions in their graphs, and the
  // Maps (with their values) whose key the snapshot could not show.
  const closureIds = graphs.flatMap((g) => (g?.nodes ?? []).filter((n) => n.closure === true && n.objectId !== null).map((n) => n.objectId!));
  const unknownKeys = graphs.flatMap((g) => (g === null ? [] : unknownMapKeys(g)));
  const timers = graphs.flatMap((g) => (g === null ? [] : timerSteps(g)));
  const numbers = graphs.map((g) => (g === null ? undefined : numberHolder(g)));
  const wanted = [
    ...new Set([
      ...chosen.map((c) => c.objectId),
      ...closureIds,
      ...unknownKeys.flatMap((k) => [k.mapId, k.valueId]),
      ...timers.map((t) => t.timeoutId),
      ...numbers.flatMap((n) => (n === undefined ? [] : [n.holderId])),
    ]),
  ];
  const completion = snapshot.complete(wanted, chosen.map((c) => c.objectId));
  const retained = completion.retainedSizes;
  const objects = new Map<number, unknown>();
  completion.objects.forEach((object, i) => {
    if (object !== undefined) objects.set(wanted[i]!, object);
  });
  const locations = new Map<number, string>();
  // With allocation sites, closures and timers show their code too (files read once per report).
  const sources = options.captureAllocationSites === true ? new SourceLines(options.sourceLinesFromNodeModules === true) : undefined;
  for (const id of closureIds) {
    const location = native.functionLocation(objects.get(id));
    if (location === null) continue;
    const code = sources?.lineOf(location)?.text;
    const shown = code === undefined || code.length <= SOURCE_IN_STEP ? code : `${code.slice(0, SOURCE_IN_STEP - 1)}…`;
    locations.set(id, `${moduleLabel(location.script, cwd)}:${location.line}${shown === undefined ? '' : ` (${shown})`}`);
  }
  const renamed = new Map<NativeReferrerNode, string>();
  for (const key of unknownKeys) {
    const text = keyOf(objects.get(key.mapId), objects.get(key.valueId));
    if (text !== undefined) renamed.set(key.node, key.node.name.replace(UNKNOWN_KEY, text));
  }
  for (const timer of timers) {
    const location = timer.callbackId === null ? undefined : locations.get(timer.callbackId);
    const label = timerLabel(objects.get(timer.timeoutId), location);
    if (label !== undefined) renamed.set(timer.node, label);
  }

  return {
    typeRetainedSizes: completion.typeRetainedSizes,
    leakGroups: completion.leakGroups,
    objectsLeftOut: allChosen.length - chosen.length,
    emit(onDetails) {
      try {
        chosen.forEach(({ objectType, objectId }, i) => {
          const graph = graphs[i] ?? null;
          const inSnapshot = retained[i]! > 0 || graph !== null;
          const number = numbers[i];
          const value = number === undefined ? undefined : numberValue(objects.get(number.holderId), number.key);
          onDetails({
            objectTypeName: objectType,
            objectId,
            objectStr: value ?? describe(graph, objects.get(objectId), objectId, inSnapshot, options),
            retainedSizeBytes: inSnapshot ? retained[i]! : null,
            referrerGraph: graph === null ? null : storedGraph(graph, locations, renamed),
            referrersChecked: options.checkReferrers,
          });
        });
      } finally {
        // The program's objects must not outlive the report through memalot.
        objects.clear();
      }
    },
  };
}

/** The placeholders the native labeller writes for a key that is not a heap object. */
const UNKNOWN_KEY = /<a small integer>|<a number>/;

interface UnknownMapKey {
  readonly node: NativeReferrerNode;
  readonly mapId: number;
  readonly valueId: number;
}

/**
 * Labels "Map value for key <a small integer>": a small integer (or true, null...) is not a
 * heap object, so the snapshot has no node for it. The live Map tells it.
 */
function unknownMapKeys(graph: NativeReferrerGraph): UnknownMapKey[] {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  return graph.nodes.flatMap((node): UnknownMapKey[] => {
    if (node.objectId === null || !/ value for key /.test(node.name) || !UNKNOWN_KEY.test(node.name)) return [];
    const value = byId.get(node.referentIds[0] ?? '');
    return value?.objectId == null ? [] : [{ node, mapId: node.objectId, valueId: value.objectId }];
  });
}

/** The key under which `map` holds `value`, as the program would write it; undefined if not found. */
function keyOf(map: unknown, value: unknown): string | undefined {
  if (!(map instanceof Map) || value === undefined) return undefined;
  // Map.prototype.entries itself, not the object's own (a subclass's) iterator: no code of the
  // program runs. Large Maps are searched up to a bound.
  let seen = 0;
  for (const [key, held] of Map.prototype.entries.call(map) as IterableIterator<[unknown, unknown]>) {
    if (held === value) return typeof key === 'bigint' ? `${key}n` : typeof key === 'symbol' ? key.toString() : String(key);
    if (++seen > 1_000_000) break;
  }
  return undefined;
}

function describe(
  graph: NativeReferrerGraph | null,
  value: unknown,
  objectId: number,
  inSnapshot: boolean,
  options: DetailsOptions,
): string | null {
  if (graph?.stringValue !== undefined) {
    // strFunc sees strings too (their first strMaxLength + 1 characters), so that it can
    // redact tokens kept as strings.
    if (options.strFunc !== null) return objectString(graph.stringValue, { strFunc: options.strFunc, strMaxLength: options.strMaxLength });
    const beyond = Math.max(0, (graph.stringLength ?? graph.stringValue.length) - graph.stringValue.length);
    return stringNodeText(graph.stringValue, options.strMaxLength, beyond);
  }
  if (value !== undefined) return objectString(value, { strFunc: options.strFunc, strMaxLength: options.strMaxLength });
  if (!inSnapshot) return `<object ${objectId} was no longer alive>`;
  // Heap numbers, symbols and the like are not JavaScript objects that can be looked up.
  return graph === null ? null : `<a ${graph.targetKind}: its value is not available>`;
}

/** The graph as saved: node names with functions' locations, and no native-only fields. */
function storedGraph(
  graph: NativeReferrerGraph,
  locations: ReadonlyMap<number, string>,
  renamed: ReadonlyMap<NativeReferrerNode, string>,
): NonNullable<ObjectDetails['referrerGraph']> {
  return {
    targetIds: graph.targetIds,
    rootIds: graph.rootIds,
    nodes: graph.nodes.map((node) => {
      const location = node.closure === true && node.objectId !== null ? locations.get(node.objectId) : undefined;
      return {
        id: node.id,
        name: location === undefined ? (renamed.get(node) ?? node.name) : `${node.name} at ${location}`,
        objectId: node.objectId,
        referentIds: node.referentIds,
      };
    }),
  };
}
