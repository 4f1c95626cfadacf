// A referrer graph too large for a result, shortened to its most telling part: the nodes in the
// order the text shows them (depth first from the object, a node's referrers in the graph's
// order: shortest path to a root first), so the first path to a root is kept whole, then what
// else holds the object nearest to it. A limit node (objectId null, as the schema has for a
// search that stopped) holds the kept nodes that lost referrers, and says how many were left out.
import type { ObjectDetails } from '../storage/schema.js';

type ReferrerGraph = NonNullable<ObjectDetails['referrerGraph']>;

/** Node IDs in the order the referrer tree shows them, each once. */
function displayOrder(graph: ReferrerGraph): string[] {
  const referrersOf = new Map<string, string[]>();
  for (const node of graph.nodes) {
    for (const referent of node.referentIds) {
      const list = referrersOf.get(referent) ?? [];
      list.push(node.id);
      referrersOf.set(referent, list);
    }
  }
  const order: string[] = [];
  const seen = new Set<string>();
  const stack = [...graph.targetIds].reverse();
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    order.push(id);
    const referrers = referrersOf.get(id) ?? [];
    for (let i = referrers.length - 1; i >= 0; i--) stack.push(referrers[i]!);
  }
  return order;
}

export const SHORTENED_ID = 'memalot-mcp-shortened';

/** The graph with its first `keep` nodes (at least the targets); unchanged when it has no more. */
export function shortenReferrerGraph(graph: ReferrerGraph, keep: number): { graph: ReferrerGraph; nodesLeftOut: number } {
  const order = displayOrder(graph);
  const kept = new Set(order.slice(0, Math.max(keep, graph.targetIds.length)));
  const nodesLeftOut = graph.nodes.length - kept.size;
  if (nodesLeftOut <= 0) return { graph, nodesLeftOut: 0 };
  // The kept nodes that some left-out node referred to: their referrers are incomplete.
  const incomplete = new Set<string>();
  for (const node of graph.nodes) {
    if (kept.has(node.id)) continue;
    for (const referent of node.referentIds) if (kept.has(referent)) incomplete.add(referent);
  }
  const nodes = graph.nodes
    .filter((node) => kept.has(node.id))
    .map((node) => ({ ...node, referentIds: node.referentIds.filter((id) => kept.has(id)) }));
  nodes.push({
    id: SHORTENED_ID,
    name: `${nodesLeftOut} more referrers left out to fit the client's limit`,
    objectId: null,
    referentIds: order.filter((id) => incomplete.has(id)),
  });
  return {
    graph: { targetIds: graph.targetIds, rootIds: graph.rootIds.filter((id) => kept.has(id)), nodes },
    nodesLeftOut,
  };
}
