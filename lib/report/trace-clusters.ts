// Clusters of detailed objects by the shape of their trace: the one path from the object to a
// root that the report shows for it. Objects whose traces take the same steps (indices, map
// keys and fold counts aside) are kept alive the same way, so the console shows one of them,
// "and N more with this path", with what they retain together. (memlab clusters its leak
// traces too; it compares traces by similarity. Here the steps must match exactly once
// normalized: the report is made in the running program, from graphs of a few hundred nodes.)
import type { ObjectDetails } from '../storage/schema.js';

type ReferrerGraph = NonNullable<ObjectDetails['referrerGraph']>;
export type ReferrerNode = ReferrerGraph['nodes'][number];

export interface Trace {
  /** From the object to the root (or to where the search stopped), the object first. */
  readonly steps: readonly ReferrerNode[];
  /** The last step is a root. */
  readonly reachesRoot: boolean;
}

export interface TraceCluster {
  /** The member whose trace is shown: the shortest. */
  readonly representative: ObjectDetails;
  readonly trace: Trace;
  /** Every member, the representative included, in the report's order. */
  readonly members: readonly ObjectDetails[];
  /** The members' retained sizes added up; null when none is known. */
  readonly retainedSizeBytes: number | null;
}

/**
 * A root that the program's author did not write: Node's own modules (node:internal/timers...),
 * the stack, V8's internals. A path to one of these is shown only when no other root is reached.
 */
export function isUnnamedRoot(name: string): boolean {
  return /\bnode:|\(stack\)|\(internal\)|\(GC roots\)|system \/|V8's internal/.test(name);
}

/**
 * The trace of a graph: the shortest path from the target to a root that the user can name,
 * else the shortest to any root, else the path along each node's first referrer (the graph
 * lists a node's referrers shortest path to a root first) to where the search stopped.
 */
export function traceOf(graph: ReferrerGraph): Trace | null {
  const byId = new Map(graph.nodes.map((node) => [node.id, node]));
  const target = byId.get(graph.targetIds[0] ?? '');
  if (target === undefined) return null;
  const referrersOf = new Map<string, ReferrerNode[]>();
  for (const node of graph.nodes) {
    for (const referent of new Set(node.referentIds)) {
      const list = referrersOf.get(referent);
      if (list === undefined) referrersOf.set(referent, [node]);
      else list.push(node);
    }
  }
  const roots = new Set(graph.rootIds);
  // Breadth first from the target, against the edges: the first root met is a shortest path.
  const cameFrom = new Map<string, string | null>([[target.id, null]]);
  const queue = [target.id];
  let named: string | undefined;
  let any: string | undefined;
  for (let i = 0; i < queue.length && named === undefined; i++) {
    const id = queue[i]!;
    if (roots.has(id)) {
      if (!isUnnamedRoot(byId.get(id)!.name)) named = id;
      else any ??= id;
    }
    for (const referrer of referrersOf.get(id) ?? []) {
      if (cameFrom.has(referrer.id)) continue;
      cameFrom.set(referrer.id, id);
      queue.push(referrer.id);
    }
  }
  const end = named ?? any;
  if (end !== undefined) {
    const steps: ReferrerNode[] = [];
    for (let id: string | null = end; id !== null; id = cameFrom.get(id) ?? null) steps.push(byId.get(id)!);
    return { steps: steps.reverse(), reachesRoot: true };
  }
  const steps = [target];
  const seen = new Set([target.id]);
  for (let next = referrersOf.get(target.id)?.[0]; next !== undefined && !seen.has(next.id); next = referrersOf.get(next.id)?.[0]) {
    seen.add(next.id);
    steps.push(next);
  }
  return { steps, reachesRoot: false };
}

/** A step as it counts for the shape: indices, map keys and counts of repeats left out. */
export function stepShape(name: string): string {
  return name
    .replace(/index=\d+/g, 'index=#')
    .replace(/\[\d+\]/g, '[#]')
    .replace(/ for key (?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|\S+)/g, ' for key #')
    .replace(/×\d+/g, '×#')
    .replace(/(repeat) \d+ times/g, '$1 # times');
}

function shapeKey(typeName: string, trace: Trace | null): string {
  if (trace === null) return `${typeName}\u0000(no trace)`;
  return [typeName, ...trace.steps.map((step) => stepShape(step.name)), trace.reachesRoot ? 'root' : 'open'].join('\u0000');
}

/**
 * The clusters of `details`, in the order of their first member (the report chose the details
 * most telling first). Objects without a referrer graph form clusters by type.
 */
export function clusterTraces(details: readonly ObjectDetails[]): TraceCluster[] {
  const clusters = new Map<string, { members: ObjectDetails[]; traces: (Trace | null)[] }>();
  for (const detail of details) {
    const trace = detail.referrerGraph === null ? null : traceOf(detail.referrerGraph);
    const key = `${detail.referrersChecked}\u0000${detail.referrerGraph === null}\u0000${shapeKey(detail.objectTypeName, trace)}`;
    const cluster = clusters.get(key) ?? { members: [], traces: [] };
    cluster.members.push(detail);
    cluster.traces.push(trace);
    clusters.set(key, cluster);
  }
  return [...clusters.values()].map(({ members, traces }) => {
    let best = 0;
    traces.forEach((trace, i) => {
      if ((trace?.steps.length ?? 0) < (traces[best]?.steps.length ?? 0)) best = i;
    });
    const sizes = members.flatMap((m) => (m.retainedSizeBytes === null ? [] : [m.retainedSizeBytes]));
    return {
      representative: members[best]!,
      trace: traces[best] ?? { steps: [], reachesRoot: false },
      members,
      retainedSizeBytes: sizes.length === 0 ? null : sizes.reduce((a, b) => a + b, 0),
    };
  });
}
