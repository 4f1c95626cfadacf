// A referrer graph as indented text: what holds the detailed object, each holder one step
// further in than what it holds, down to the roots. The graph's edges point towards the target, so the
// tree is walked against them; a node reached again (the graph is not a tree) is named, not
// repeated, which keeps the text as small as the graph.
import type { ObjectDetails } from '../../storage/schema.js';

type ReferrerGraph = NonNullable<ObjectDetails['referrerGraph']>;
type ReferrerNode = ReferrerGraph['nodes'][number];

function label(node: ReferrerNode, roots: ReadonlySet<string>): string {
  const id = node.objectId === null ? '' : ` @${node.objectId}`;
  return `${node.name}${id}${roots.has(node.id) ? ' [root]' : ''}`;
}

/**
 * Lines of the tree, indented by `indent` spaces. With a single target (the detailed object,
 * which the caller has already named) the tree starts at its referrers; with several, at each
 * target.
 */
export function referrerTreeLines(graph: ReferrerGraph, indent: number): string[] {
  const byId = new Map(graph.nodes.map((node) => [node.id, node]));
  const roots = new Set(graph.rootIds);
  // referrersOf.get(x): the nodes that refer to x, in the order the graph lists them (the order
  // to show them: shortest path to a root first).
  const referrersOf = new Map<string, ReferrerNode[]>();
  for (const node of graph.nodes) {
    for (const referent of node.referentIds) {
      const list = referrersOf.get(referent) ?? [];
      list.push(node);
      referrersOf.set(referent, list);
    }
  }
  const lines: string[] = [];
  const shown = new Set<string>();
  const [onlyTarget, ...otherTargets] = graph.targetIds;
  const single = onlyTarget !== undefined && otherTargets.length === 0;
  const top = single ? 1 : 0;
  if (single) shown.add(onlyTarget);
  const starts = single ? (referrersOf.get(onlyTarget) ?? []).map((node) => node.id) : graph.targetIds;
  // Depth-first with an explicit stack: referrer chains can be as deep as the search went.
  const stack = starts.map((id) => ({ id, depth: top })).reverse();
  while (stack.length > 0) {
    const { id, depth } = stack.pop()!;
    const node = byId.get(id);
    const pad = ' '.repeat(indent + 2 * (depth - top));
    const arrow = depth === 0 ? '' : '← ';
    if (node === undefined) {
      lines.push(`${pad}${arrow}(node ${id} is missing from the graph)`);
      continue;
    }
    if (shown.has(id)) {
      lines.push(`${pad}${arrow}${label(node, roots)} (shown above)`);
      continue;
    }
    shown.add(id);
    lines.push(`${pad}${arrow}${label(node, roots)}`);
    const referrers = referrersOf.get(id) ?? [];
    for (let i = referrers.length - 1; i >= 0; i--) stack.push({ id: referrers[i]!.id, depth: depth + 1 });
  }
  return lines;
}
