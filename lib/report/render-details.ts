// Renders the "object details" of a leaked object as a box: its retained size, the tree of
// referrers that keeps it alive (drawn from the object towards the roots, as the Python tool
// draws it) and its string form.
import type { ObjectDetails } from '../storage/schema.js';
import { formatBytes } from './format.js';
import { panel } from './render.js';
import type { Style } from './style.js';

type ReferrerGraph = NonNullable<ObjectDetails['referrerGraph']>;
type ReferrerNode = ReferrerGraph['nodes'][number];

/** Tree lines drawn per object; the rest is only in the saved report (graphs can be huge). */
export const MAX_TREE_LINES = 200;

export function renderDetailsIntro(style: Style): string {
  return style.dim('Memalot is generating object details. This may take some time...');
}

/**
 * Control characters escaped (a name or a string from the program could hold newlines or
 * terminal escape codes, which would break the box or restyle the terminal).
 */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    return `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
  });
}

/** One line of the tree before styling: the glyphs in front, the node, and why it is not expanded. */
export interface TreeLine {
  readonly lead: string;
  /** 0 for the target, 1 for its referrers, and so on. */
  readonly depth: number;
  readonly node: ReferrerNode;
  /** "cycle member": an ancestor of itself on this path; "see above": expanded earlier. */
  readonly repeat: 'cycle member' | 'see above' | null;
}

/** For each node ID, the nodes that refer to it, in the order of `nodes` (shortest path to a root first). */
export function referrersByReferent(nodes: readonly ReferrerNode[]): Map<string, ReferrerNode[]> {
  const referrers = new Map<string, ReferrerNode[]>();
  for (const node of nodes) {
    for (const referentId of new Set(node.referentIds)) {
      const list = referrers.get(referentId);
      if (list === undefined) referrers.set(referentId, [node]);
      else list.push(node);
    }
  }
  return referrers;
}

interface Frame {
  readonly id: string;
  readonly referrers: readonly ReferrerNode[];
  next: number;
  /** What the lines of this node's referrers start with. */
  readonly indent: string;
  readonly depth: number;
}

/**
 * The tree from `target` towards the roots, depth first. A node is expanded once per tree
 * (`expanded` is shared by the trees of all targets); later occurrences are drawn unexpanded.
 * Iterative, as a path can be thousands of nodes long when the search depth is unlimited.
 */
export function* treeFrom(target: ReferrerNode, referrersOf: ReadonlyMap<string, readonly ReferrerNode[]>, expanded: Set<string>): Generator<TreeLine> {
  const onPath = new Set<string>();
  const stack: Frame[] = [];
  const visit = (node: ReferrerNode, lead: string, indent: string, depth: number): TreeLine => {
    const repeat = onPath.has(node.id) ? 'cycle member' : expanded.has(node.id) ? 'see above' : null;
    if (repeat === null) {
      expanded.add(node.id);
      onPath.add(node.id);
      stack.push({ id: node.id, referrers: referrersOf.get(node.id) ?? [], next: 0, indent, depth });
    }
    return { lead, depth, node, repeat };
  };
  yield visit(target, '╙── ', '    ', 0);
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!;
    const referrer = frame.referrers[frame.next++];
    if (referrer === undefined) {
      stack.pop();
      onPath.delete(frame.id);
      continue;
    }
    const last = frame.next === frame.referrers.length;
    yield visit(referrer, frame.indent + (last ? '└── ' : '├── '), frame.indent + (last ? '    ' : '│   '), frame.depth + 1);
  }
}

function styledLine(line: TreeLine, rootIds: ReadonlySet<string>, style: Style): string {
  const { node } = line;
  // Limit nodes ("Maximum depth of 50 exceeded") stand for no object: they have no ID.
  const name = node.objectId === null ? style.dim(printable(node.name)) : printable(node.name);
  const id = node.objectId === null ? '' : style.dim(` (id=${node.objectId})`);
  const root = rootIds.has(node.id) ? style.bad(' (root)') : '';
  const repeat = line.repeat === null ? '' : style.dim(` (${line.repeat})`);
  return `${line.lead}${name}${id}${root}${repeat}`;
}

function referrerTree(graph: ReferrerGraph, style: Style): string[] {
  const byId = new Map(graph.nodes.map((node) => [node.id, node]));
  const referrersOf = referrersByReferent(graph.nodes);
  const targets = graph.targetIds.flatMap((id) => byId.get(id) ?? []);
  if (!targets.some((target) => (referrersOf.get(target.id)?.length ?? 0) > 0)) return [style.dim('No referrers found')];
  const rootIds = new Set(graph.rootIds);
  const expanded = new Set<string>();
  const lines: string[] = [];
  let notShown = 0;
  for (const target of targets) {
    for (const line of treeFrom(target, referrersOf, expanded)) {
      if (lines.length < MAX_TREE_LINES) lines.push(styledLine(line, rootIds, style));
      else notShown++;
    }
  }
  if (notShown > 0) lines.push(style.dim(`… ${notShown} more node${notShown === 1 ? '' : 's'} not shown (see the saved report)`));
  return lines;
}

function referrerLines(details: ObjectDetails, style: Style): string[] {
  if (!details.referrersChecked) return [style.dim('Referrers were not checked (checkReferrers is false)')];
  if (details.referrerGraph === null) return [style.dim('The object was no longer alive when its referrers were searched')];
  return referrerTree(details.referrerGraph, style);
}

function stringLines(objectStr: string | null, style: Style): string[] {
  if (objectStr === null) return [style.dim('<not available>')];
  // A strFunc may return several lines: keep them as lines, tabs as spaces.
  return objectStr.split(/\r?\n/).map((line) => printable(line.replace(/\t/g, '    ')));
}

/** The details of one object, as a rounded box titled "Details for <type> (id=<id>)". */
export function renderObjectDetails(details: ObjectDetails, style: Style, width = Number.POSITIVE_INFINITY): string {
  const size = details.retainedSizeBytes === null ? 'unknown' : `~${formatBytes(details.retainedSizeBytes)}`;
  return panel(
    `Details for ${printable(details.objectTypeName)} (id=${details.objectId})`,
    [
      `${style.bold('Retained size:')} ${size}`,
      '',
      ...referrerLines(details, style),
      '',
      style.bold('String representation:'),
      ...stringLines(details.objectStr, style),
    ],
    style,
    width,
  );
}
