// Ways to damage a saved report on disk, for the tests of what reading it says.
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { reportPath } from './monitored-report.js';

/** Rewrites a JSON file of a report through `change`. */
export function editJson(file: string, change: (json: Record<string, unknown>) => void): void {
  const json = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  change(json);
  writeFileSync(file, JSON.stringify(json, null, 2));
}

/**
 * Copies a report under another ID and start time (its files say so too), as if another run
 * had saved it: for tests of order and limits.
 */
export function cloneReport(reportDirectory: string, fromId: string, toId: string, startTime: string): void {
  const target = reportPath(reportDirectory, toId);
  cpSync(reportPath(reportDirectory, fromId), target, { recursive: true });
  for (const name of readdirSync(target).filter((n) => n.endsWith('.json'))) {
    editJson(join(target, name), (json) => {
      json['reportId'] = toId;
      if (name === 'summary.json') json['startTime'] = startTime;
    });
  }
}
