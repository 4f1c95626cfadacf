// Object details for a report: for some leaked objects, what keeps them alive (the referrer
// graph, searched natively in the snapshot), what they retain, and their string form.
//
// The native searches are quick (milliseconds each, on an index of the graph built once per
// report). What costs is finding the live objects, for the string forms and the functions'
// source locations: one walk of the heap for all of them, made after the snapshot is freed
// (V8's walk takes twice as long while a snapshot is alive). So the graphs and sizes come
// first, then the snapshot goes, then the objects are found.
import { addon, type NativeHeapGraph, type NativeReferrerGraph } from '../native/addon.js';
import type { ObjectDetails } from '../storage/schema.js';
import { chooseObjectsForDetails } from './details-selection.js';
import { objectString, stringNodeText } from './object-string.js';
import type { ResolvedCommonOptions } from './options.js';
import { moduleLabel } from './type-names.js';
import type { TypeSummary } from '../storage/schema.js';

export type DetailsOptions = Pick<
  ResolvedCommonOptions,
  | 'maxObjectDetails'
  | 'checkReferrers'
  | 'referrersMaxDepth'
  | 'referrersSearchTimeout'
  | 'singleObjectReferrerLimit'
  | 'referrersModulePrefixes'
  | 'strFunc'
  | 'strMaxLength'
>;

/** Objects in one referrer graph at most: a bigger graph is cut, and says so. */
export const MAX_GRAPH_OBJECTS = 200;

/**
 * The details of up to `maxObjectDetails` objects of the summary's types, in the order chosen,
 * each handed to `onDetails` as soon as it is complete. Disposes of the snapshot once it has
 * what it needs from it.
 */
export function collectObjectDetails(
  snapshot: NativeHeapGraph,
  typeSummaries: readonly TypeSummary[],
  sampleIds: ReadonlyMap<string, readonly number[]>,
  options: DetailsOptions,
  onDetails: (details: ObjectDetails) => void,
): void {
  const chosen = chooseObjectsForDetails(
    typeSummaries.map((s) => ({ objectType: s.objectType, count: s.count, sampleIds: sampleIds.get(s.objectType) ?? [] })),
    options.maxObjectDetails,
  );
  if (chosen.length === 0) return;
  const native = addon();
  const cwd = process.cwd();
  const graphs: (NativeReferrerGraph | null)[] = chosen.map(({ objectId }) => {
    if (!options.checkReferrers) return null;
    return snapshot.referrerGraph(objectId, {
      maxDepth: options.referrersMaxDepth,
      timeoutSeconds: options.referrersSearchTimeout,
      referrerLimit: options.singleObjectReferrerLimit,
      maxObjects: MAX_GRAPH_OBJECTS,
      modulePrefixes: options.referrersModulePrefixes,
      cwd,
    });
  });
  const retained = snapshot.retainedSizes(chosen.map((c) => c.objectId));
  snapshot.dispose();

  // One walk of the heap for the detailed objects and the functions in their graphs.
  const closureIds = graphs.flatMap((g) => (g?.nodes ?? []).filter((n) => n.closure === true && n.objectId !== null).map((n) => n.objectId!));
  const wanted = [...chosen.map((c) => c.objectId), ...closureIds];
  let found: unknown[] = native.findObjects(wanted);
  const locations = new Map<number, string>();
  closureIds.forEach((id, i) => {
    const location = native.functionLocation(found[chosen.length + i]);
    if (location !== null) locations.set(id, `${moduleLabel(location.script, cwd)}:${location.line}`);
  });

  try {
    chosen.forEach(({ objectType, objectId }, i) => {
      const graph = graphs[i] ?? null;
      const inSnapshot = retained[i]! > 0 || graph !== null;
      onDetails({
        objectTypeName: objectType,
        objectId,
        objectStr: describe(graph, found[i], objectId, inSnapshot, options),
        retainedSizeBytes: inSnapshot ? retained[i]! : null,
        referrerGraph: graph === null ? null : storedGraph(graph, locations),
        referrersChecked: options.checkReferrers,
      });
    });
  } finally {
    // The program's objects must not outlive the report through memalot.
    found = [];
  }
}

function describe(
  graph: NativeReferrerGraph | null,
  value: unknown,
  objectId: number,
  inSnapshot: boolean,
  options: DetailsOptions,
): string | null {
  if (graph?.stringValue !== undefined) return stringNodeText(graph.stringValue, options.strMaxLength);
  if (value !== undefined) return objectString(value, { strFunc: options.strFunc, strMaxLength: options.strMaxLength });
  if (!inSnapshot) return `<object ${objectId} was no longer alive>`;
  // Heap numbers, symbols and the like are not JavaScript objects that can be looked up.
  return graph === null ? null : `<a ${graph.targetKind}: its value is not available>`;
}

/** The graph as saved: node names with functions' locations, and no native-only fields. */
function storedGraph(graph: NativeReferrerGraph, locations: ReadonlyMap<number, string>): NonNullable<ObjectDetails['referrerGraph']> {
  return {
    targetIds: graph.targetIds,
    rootIds: graph.rootIds,
    nodes: graph.nodes.map((node) => {
      const location = node.closure === true && node.objectId !== null ? locations.get(node.objectId) : undefined;
      return {
        id: node.id,
        name: location === undefined ? node.name : `${node.name} at ${location}`,
        objectId: node.objectId,
        referentIds: node.referentIds,
      };
    }),
  };
}
