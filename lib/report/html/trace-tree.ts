// A detailed object's referrers as a collapsible tree of native <details> elements: keyboard
// and screen-reader friendly, and no script. The same walk as the console's full tree
// (render-details.ts): from the object towards the roots, each node expanded once.
import type { ObjectDetails } from '../../storage/schema.js';
import { referrersByReferent, treeFrom, type TreeLine } from '../render-details.js';
import { escapeHtml } from './escape.js';

/** Nodes drawn per tree; a graph can have thousands (the saved report has them all). */
export const MAX_HTML_TREE_NODES = 1000;
/** Levels open when the tree is opened; deeper ones open on a click. */
const OPEN_LEVELS = 3;

function label(line: TreeLine, rootIds: ReadonlySet<string>): string {
  const { node } = line;
  const id = node.objectId === null ? '' : ` <span class="id">id=${node.objectId}</span>`;
  const root = rootIds.has(node.id) ? ' <span class="root">root</span>' : '';
  const repeat = line.repeat === null ? '' : ` <span class="repeat">(${line.repeat})</span>`;
  return `<code${node.objectId === null ? ' class="limit"' : ''}>${escapeHtml(node.name)}</code>${id}${root}${repeat}`;
}

/** The lines of a depth-first walk as nested lists: a node with referrers is a <details>. */
function nested(lines: readonly TreeLine[], rootIds: ReadonlySet<string>): string {
  let html = '';
  const open: number[] = [];
  lines.forEach((line, i) => {
    while (open.length > 0 && open.at(-1)! >= line.depth) {
      open.pop();
      html += '</ul></details></li>';
    }
    const next = lines[i + 1];
    if (next !== undefined && next.depth > line.depth) {
      html += `<li><details${line.depth < OPEN_LEVELS ? ' open' : ''}><summary>${label(line, rootIds)}</summary><ul>`;
      open.push(line.depth);
    } else {
      html += `<li>${label(line, rootIds)}</li>`;
    }
  });
  while (open.pop() !== undefined) html += '</ul></details></li>';
  return html;
}

/** The object's tree inside a closed <details> titled by the object; a sentence when there is none. */
export function traceTree(details: ObjectDetails, title: string): string {
  const graph = details.referrerGraph;
  let body: string;
  if (!details.referrersChecked) body = '<p>Referrers were not checked (checkReferrers is false).</p>';
  else if (graph === null) body = '<p>The object was no longer alive when its referrers were searched.</p>';
  else {
    const byId = new Map(graph.nodes.map((node) => [node.id, node]));
    const referrersOf = referrersByReferent(graph.nodes);
    const rootIds = new Set(graph.rootIds);
    const expanded = new Set<string>();
    const lines: TreeLine[] = [];
    let notShown = 0;
    for (const target of graph.targetIds.flatMap((id) => byId.get(id) ?? [])) {
      for (const line of treeFrom(target, referrersOf, expanded)) {
        if (lines.length < MAX_HTML_TREE_NODES) lines.push(line);
        else notShown++;
      }
    }
    body = lines.length <= 1 ? '<p>No referrers found.</p>' : `<ul class="tree">${nested(lines, rootIds)}</ul>`;
    if (notShown > 0) body += `<p>${notShown} more node${notShown === 1 ? '' : 's'} not shown (memalot print --full, or the saved report).</p>`;
  }
  return `<details class="trace"><summary>${title}</summary>${body}</details>`;
}
