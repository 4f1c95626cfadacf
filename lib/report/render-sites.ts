// The console's view of allocation sites (lib/monitor/allocation-sites.ts): per leak (or, with
// no leaks, per type), its top sites, each `function (file:line:column)` with the source line
// beside it and its callers on the next line.
import type { AllocationFrame, AllocationSite, IterationReport } from '../storage/schema.js';
import { formatBytes } from './format.js';
import type { Style } from './style.js';
import { fitLine } from './width.js';

/** Leaks (or types) given their sites in the compact report, and sites per leak. */
const ENTRIES_SHOWN = 3;
const SITES_SHOWN = 2;

/** "recordAudit (src/jobs.js:4:16)", or "(anonymous)"/"(top level)" when V8 gives no name. */
export function frameText(frame: AllocationFrame): string {
  const name = frame.functionName !== '' ? frame.functionName : frame.line === 1 && frame.column === 1 ? '(top level)' : '(anonymous)';
  if (frame.file === '') return name;
  return `${name} (${frame.file}${frame.line > 0 ? `:${frame.line}${frame.column > 0 ? `:${frame.column}` : ''}` : ''})`;
}

/**
 * "recordAudit (jobs.js:4:16)  jobs.js:5  const entry = new AuditEntry(u, x);" in `room`
 * columns: the source line is what gives way (cut at its end), then the whole line.
 */
export function siteText(site: AllocationSite, style: Style, room = Number.POSITIVE_INFINITY): string {
  const top = site.frames[0];
  if (top === undefined) return '(no stack)';
  const where = frameText(top);
  if (site.source === undefined) return fitLine(where, room);
  const label = `  ${baseName(top.file)}:${site.source.line}  `;
  const left = room - where.length - label.length;
  if (left < 12) return fitLine(where, room);
  const text = site.source.text.length <= left ? site.source.text : `${site.source.text.slice(0, left - 1)}…`;
  return `${where}${style.dim(label.trimEnd())}  ${text}`;
}

function baseName(file: string): string {
  return file.slice(file.lastIndexOf('/') + 1);
}

/** The lines of a site: the objects it stands for and itself, then its callers. */
function siteLines(site: AllocationSite, style: Style, width: number, indent: string): string[] {
  const share = `~${site.estimatedObjects} (${formatBytes(site.estimatedBytes)}) `;
  const lines = [`${indent}${style.count(share)}${siteText(site, style, width - indent.length - share.length)}`];
  const callers = site.frames.slice(1);
  if (callers.length > 0) lines.push(fitLine(style.dim(`${indent}  ← ${callers.map(frameText).join(' ← ')}`), width));
  return lines;
}

/** The "Allocated at" block of a report body, or [] when it has no sites. */
export function renderAllocationSites(report: IterationReport, style: Style, width: number, full: boolean): string[] {
  const leaks = report.leakSummary.leaks ?? [];
  const entries = (leaks.length > 0 ? leaks : report.leakSummary.typeSummaries)
    .filter((entry) => entry.allocationSites !== undefined && entry.allocationSites.length > 0)
    .slice(0, full ? undefined : ENTRIES_SHOWN);
  if (entries.length === 0) return [];
  const lines = [style.bold('Allocated at') + style.dim(' (sampled: ~objects estimated; a site can be missing)')];
  for (const entry of entries) {
    lines.push(fitLine(`  ${style.type(entry.objectType)}${leaks.length > 0 ? style.dim(' and what it holds') : ''}`, width));
    for (const site of entry.allocationSites!.slice(0, full ? undefined : SITES_SHOWN)) lines.push(...siteLines(site, style, width, '    '));
  }
  return lines;
}
