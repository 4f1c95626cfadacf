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
  /** The members' retained sizes added up (less those that other members hold); null when none is known. */
  readonly retainedSizeBytes: number | null;
}

/**
 * A root that the program's author did not write: Node's own modules (node:internal/timers...),
 * the stack, V8's internals. A path to one of these is shown only when no other root is reached.
 */
export function isUnnamedRoot(name: string): boolean {
  return /\bnode:|\(stack\)|\(internal\)|\(GC roots\)|\(Stack roots\)|\(Global handles\)|native code|V8 internal|V8's internal/.test(name);
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
    .replace(/×[\d,]+/g, '×#')
    .replace(/(repeat) [\d,]+ (more )?times/g, '$1 # times');
}

/**
 * The steps worth a line. The graph has a node for each object and one for each way it is
 * held ("Array index=43", then "Array (object)"): a plain object node right after the label
 * of the same object says nothing more, and is left out.
 */
export function shownSteps(steps: readonly ReferrerNode[]): ReferrerNode[] {
  return steps.filter((step, i) => {
    const before = steps[i - 1];
    return !(i > 1 && before !== undefined && step.objectId !== null && step.objectId === before.objectId && / \(object\)$/.test(step.name));
  });
}

/** A line of a trace: a step (a run of one step folded into it as "×N"), or a note on a repeat. */
export interface TraceLine {
  readonly name: string;
  /** The step's node; null for the line that says how often the steps above repeat. */
  readonly node: ReferrerNode | null;
}

/** The longest run of steps folded into one: a linked list's `next`, a timer list, a closure chain. */
const MAX_PERIOD = 3;
/** A pattern is folded when it comes this many times in a row. */
const MIN_REPEATS = 3;

/**
 * The trace's lines, with repeats folded (as the native search folds those it follows): a
 * step that comes three or more times in a row is one line, "Timeout._idleNext (property) ×52";
 * a pattern of 2 or 3 steps is shown once, then "(the 2 steps above repeat 117 more times)"
 * (the words of the native search's folds, chain_folding.h).
 */
export function traceLines(trace: Trace): TraceLine[] {
  const steps = shownSteps(trace.steps);
  const shapes = steps.map((step) => stepShape(step.name));
  const lines: TraceLine[] = [];
  let i = 0;
  while (i < steps.length) {
    let folded = false;
    // The first step (the object itself) is never part of a run.
    for (let period = 1; period <= MAX_PERIOD && i > 0; period++) {
      let repeats = 1;
      while (i + (repeats + 1) * period <= steps.length && shapes.slice(i + repeats * period, i + (repeats + 1) * period).every((shape, k) => shape === shapes[i + k])) repeats++;
      if (repeats < MIN_REPEATS) continue;
      if (period === 1) {
        lines.push({ name: `${steps[i]!.name} ×${repeats}`, node: steps[i]! });
      } else {
        for (let k = 0; k < period; k++) lines.push({ name: steps[i + k]!.name, node: steps[i + k]! });
        lines.push({ name: `(the ${period} steps above repeat ${repeats - 1} more times)`, node: null });
      }
      i += repeats * period;
      folded = true;
      break;
    }
    if (!folded) {
      lines.push({ name: steps[i]!.name, node: steps[i]! });
      i++;
    }
  }
  return lines;
}

function shapeKey(typeName: string, trace: Trace | null): string {
  if (trace === null) return `${typeName}\u0000(no trace)`;
  // A step repeated in a row counts once, however often: the lengths of runs (a timer list, a
  // linked list) differ from object to object, even below the count that is folded when shown.
  const shapes = traceLines(trace).map((line) => stepShape(line.name).replace(/ ×#$/, ''));
  const runs = shapes.filter((shape, i) => i === 0 || shape !== shapes[i - 1]);
  return [typeName, ...runs, trace.reachesRoot ? 'root' : 'open'].join('\u0000');
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
    // What they retain together: a member that another member holds (the other is in its
    // referrer graph: a linked list's later nodes, a closure chain) is in that one's retained
    // size already, and is not added again.
    const ids = new Set(members.map((m) => m.objectId));
    const heldByAnother = (m: ObjectDetails) => m.referrerGraph?.nodes.some((n) => n.objectId !== m.objectId && n.objectId !== null && ids.has(n.objectId)) === true;
    const sizes = members.flatMap((m) => (m.retainedSizeBytes === null || heldByAnother(m) ? [] : [m.retainedSizeBytes]));
    return {
      representative: members[best]!,
      trace: traces[best] ?? { steps: [], reachesRoot: false },
      members,
      retainedSizeBytes: sizes.length === 0 ? null : sizes.reduce((a, b) => a + b, 0),
    };
  });
}
