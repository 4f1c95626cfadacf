// Which of the program's functions are running while memalot reports: what the stack holds
// is held by their frames. A heap snapshot lists everything the stack holds under one
// "(Stack roots)" node, with no word of which frame holds what; the current stack trace names
// the frames. memalot's own frames (its package directory) and Node's internals are left out:
// the innermost of the others is the one named.
import { join, sep } from 'node:path';
import { packageRoot } from '../native/package-root.js';
import { moduleLabel } from './type-names.js';

/** What the report says of the program's running code, for the path that ends at the stack. */
export interface RunningCode {
  /**
   * "main (running, at jobs.js:12)", "the top-level code of worker.cjs (running)"; or, when
   * none of the program's functions is running but some await what is running (memalot
   * ending a monitored call), the innermost of those: "main (awaiting, at jobs.js:12)".
   */
  readonly innermost: string;
  /** More of the program's frames are on the stack: any of them may be the holder. */
  readonly callers: boolean;
  /** Only memalot is running: the program's functions named are suspended, awaiting it. */
  readonly awaiting: boolean;
}

// memalot's compiled code (its own tests' programs, under the same root, are a program's).
const ownDirectory = join(packageRoot, 'dist', 'lib') + sep;

/** The program's running code now, or undefined when none of its frames is on the stack. */
export function runningCode(cwd: string = process.cwd()): RunningCode | undefined {
  const sites = callSites();
  const user: { site: NodeJS.CallSite; outer: NodeJS.CallSite | undefined }[] = [];
  const awaiting: NodeJS.CallSite[] = [];
  sites.forEach((site, i) => {
    const file = fileOf(site);
    if (file === undefined || isNodeInternal(file) || isMemalot(file)) return;
    // V8 adds the async functions awaiting the current one: suspended, not on the stack.
    if (isAsyncFrame(site)) awaiting.push(site);
    else user.push({ site, outer: sites[i + 1] });
  });
  const first = user[0];
  if (first !== undefined) return { innermost: describeFrame(first.site, first.outer, cwd), callers: user.length > 1, awaiting: false };
  const waiter = awaiting[0];
  if (waiter === undefined) return undefined;
  const name = waiter.getFunctionName() || 'the top-level code';
  return { innermost: `${name} (awaiting, at ${moduleLabel(fileOf(waiter)!, cwd)}:${waiter.getLineNumber() ?? '?'})`, callers: false, awaiting: true };
}

/** Labels for the native labeller: the stack root's, and the running code closure variables end at. */
export function runningCodeLabels(running: RunningCode | undefined): { stackLabel: string; runningCode: string } | undefined {
  if (running === undefined) return undefined;
  if (running.awaiting) {
    // The stack holds the promise of the call memalot is ending, and its reactions resume the caller.
    return { stackLabel: `memalot's frame, ending the monitored call that ${running.innermost} awaits`, runningCode: running.innermost };
  }
  const holder = running.callers ? `${running.innermost} or a function that called it` : running.innermost;
  return { stackLabel: `a local of ${holder}`, runningCode: holder };
}

function isAsyncFrame(site: NodeJS.CallSite): boolean {
  const async = (site as { isAsync?: () => boolean }).isAsync;
  return typeof async === 'function' && async.call(site) === true;
}

function describeFrame(site: NodeJS.CallSite, outer: NodeJS.CallSite | undefined, cwd: string): string {
  const file = moduleLabel(fileOf(site)!, cwd);
  const name = site.getFunctionName();
  // A module's body: a CommonJS module's wrapper function, or an ES module's top level, run by
  // Node's module loader.
  const outerFile = outer === undefined ? undefined : fileOf(outer);
  const byLoader = outer === undefined || (outerFile !== undefined && outerFile.startsWith('node:internal/modules/'));
  if (!name && (site.isToplevel() || byLoader)) return `the top-level code of ${file} (running)`;
  const at = `${file}:${site.getLineNumber() ?? '?'}`;
  return `${name || 'an anonymous function'} (running, at ${at})`;
}

function fileOf(site: NodeJS.CallSite): string | undefined {
  return site.getFileName() ?? site.getScriptNameOrSourceURL() ?? undefined;
}

function isNodeInternal(file: string): boolean {
  return file.startsWith('node:') || !/^(file:\/\/|\/|[A-Za-z]:\\)/.test(file);
}

function isMemalot(file: string): boolean {
  const path = file.startsWith('file://') ? decodeURIComponent(new URL(file).pathname) : file;
  return path.startsWith(ownDirectory);
}

/**
 * The current stack as V8's call sites, every frame of it. The program's own
 * Error.prepareStackTrace (source-map-support, say) is set aside for the time of the capture,
 * so that none of its code runs inside a report.
 */
function callSites(): NodeJS.CallSite[] {
  const prepare = Error.prepareStackTrace;
  const limit = Error.stackTraceLimit;
  const holder: { stack?: unknown } = {};
  try {
    Error.prepareStackTrace = (_error, sites) => sites;
    Error.stackTraceLimit = 1000;
    Error.captureStackTrace(holder, callSites);
    return Array.isArray(holder.stack) ? (holder.stack as NodeJS.CallSite[]) : [];
  } catch {
    return [];
  } finally {
    try {
      Error.prepareStackTrace = prepare;
      Error.stackTraceLimit = limit;
    } catch {
      // A frozen Error could not be changed above either.
    }
  }
}
