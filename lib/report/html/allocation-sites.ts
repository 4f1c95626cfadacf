// Where a leak's objects were allocated, when the saved report has it (an `allocationSites`
// list on a leak or a detailed object, written by the allocation-site capture). This page
// reads it loosely: a report without it shows nothing, and one whose sites carry fewer or
// other fields shows what it has. Every string is escaped.
import { escapeHtml } from './escape.js';

type Loose = Record<string, unknown>;

const isObject = (v: unknown): v is Loose => v !== null && typeof v === 'object' && !Array.isArray(v);
const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);

/** "handle (src/jobs.js:41:17)" from a frame or a site, whatever it calls its fields. */
function frameText(frame: unknown): string {
  if (!isObject(frame)) return text(frame) ?? '';
  const name = text(frame['functionName']) ?? text(frame['function']) ?? '(anonymous)';
  const file = text(frame['file']) ?? text(frame['url']) ?? text(frame['scriptName']);
  const place = [file, text(frame['line']) ?? text(frame['lineNumber']), text(frame['column']) ?? text(frame['columnNumber'])].filter((p) => p !== undefined);
  return place.length === 0 ? name : `${name} (${place.join(':')})`;
}

function siteItem(site: unknown): string {
  const count = isObject(site) ? text(site['count']) : undefined;
  const source = isObject(site) ? (text(site['sourceLine']) ?? text(site['source'])) : undefined;
  const stack = isObject(site) ? (site['stack'] ?? site['frames']) : undefined;
  const frames = Array.isArray(stack) ? stack.map(frameText).filter((f) => f !== '') : [];
  return (
    `<li><code>${escapeHtml(frameText(isObject(site) && isObject(site['frame']) ? site['frame'] : site))}</code>` +
    (count === undefined ? '' : ` <span class="count">×${escapeHtml(count)}</span>`) +
    (source === undefined ? '' : `<pre class="source">${escapeHtml(source)}</pre>`) +
    (frames.length === 0 ? '' : `<details><summary>stack</summary><ol>${frames.map((f) => `<li><code>${escapeHtml(f)}</code></li>`).join('')}</ol></details>`) +
    '</li>'
  );
}

/** The sites of `holder` (a leak, a detailed object) as a list, or '' when it has none. */
export function allocationSites(holder: unknown): string {
  const sites = isObject(holder) ? holder['allocationSites'] : undefined;
  if (!Array.isArray(sites) || sites.length === 0) return '';
  return `<div class="sites"><h4>Allocated at</h4><ol>${sites.map(siteItem).join('')}</ol></div>`;
}
