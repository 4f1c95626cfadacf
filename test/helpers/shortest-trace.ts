// The labels of a referrer graph from its (first) target to the nearest root, fewest steps
// first: the path a reader would follow, as the graph holds it. Works on the native graph and
// on the saved one (both name nodes by ID and list each node's referents).
export interface TraceGraph {
  readonly nodes: readonly { readonly id: string; readonly name: string; readonly referentIds: readonly string[] }[];
  readonly rootIds: readonly string[];
  readonly targetIds: readonly string[];
}

/** Target first, root last; [] when no root is reached. */
export function shortestTrace(graph: TraceGraph): string[] {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const holders = new Map<string, string[]>();
  for (const node of graph.nodes) for (const referent of node.referentIds) holders.set(referent, [...(holders.get(referent) ?? []), node.id]);
  const roots = new Set(graph.rootIds);
  const previous = new Map<string, string | null>([[graph.targetIds[0]!, null]]);
  const queue = [graph.targetIds[0]!];
  while (queue.length > 0) {
    const id = queue.shift()!;
    if (roots.has(id)) {
      const path: string[] = [];
      for (let at: string | null = id; at !== null; at = previous.get(at) ?? null) path.unshift(byId.get(at)!.name);
      return path;
    }
    for (const holder of holders.get(id) ?? []) {
      if (previous.has(holder)) continue;
      previous.set(holder, id);
      queue.push(holder);
    }
  }
  return [];
}
