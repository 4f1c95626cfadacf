// A saved report's strings, safe for a terminal: a report file is data from elsewhere, and its
// type names, entrypoint, arguments or function name could hold terminal escape codes
// (ESC ] 0; ... BEL sets the window title, ESC [ 2J clears the screen) or line breaks that
// forge rows. Every string in the value gets its control characters escaped, as the details
// panel does (printable), before any text output renders it; JSON output needs none of this
// (JSON.stringify escapes them).
import { printable } from './render-details.js';

/**
 * A copy of `value` with every string (keys too) made printable. The reader caps how deep a
 * report nests (report-reader.ts), so the recursion is as deep as the report format, at most.
 */
export function printableData<T>(value: T): T {
  return walk(value) as T;
}

function walk(value: unknown): unknown {
  if (typeof value === 'string') return printable(value);
  if (Array.isArray(value)) return value.map(walk);
  if (value !== null && typeof value === 'object') {
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) copy[printable(key)] = walk(item);
    return copy;
  }
  return value;
}
