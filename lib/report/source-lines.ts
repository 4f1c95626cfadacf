// The source line beside an allocation site or a closure: read when a report is made, each file
// once per report (an instance lives for one report), never from node_modules unless asked.
import { readFileSync, statSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Characters of a source line shown; a longer one is cut with an ellipsis. */
export const MAX_SOURCE_LINE = 80;
/** Files larger than this are not read (a bundle's one line would be useless anyway). */
const MAX_FILE_BYTES = 4 * 2 ** 20;
/** Lines of a function searched for the allocation of its type (`new Type(`). */
const LINES_SEARCHED = 60;

export interface SourceLine {
  readonly line: number;
  readonly text: string;
}

/** A source line, and whether it is the allocation of the type asked about (`new Type`). */
export interface FoundLine extends SourceLine {
  readonly allocates: boolean;
}

export class SourceLines {
  private readonly files = new Map<string, readonly string[] | null>();
  /** Allocation lines found, by script, line and type: every stack of a report asks. */
  private readonly found = new Map<string, number | undefined>();

  constructor(private readonly fromNodeModules: boolean) {}

  /**
   * The line to show for code that starts at `line` of `script` (V8 gives where the function
   * starts): with `typeName`, the first line from there that allocates it (`new Type`), if any
   * within the function's first lines; else the function's own line.
   */
  lineOf(frame: { readonly script: string; readonly line: number }, typeName?: string): FoundLine | undefined {
    const lines = this.read(frame.script);
    if (lines === null || frame.line < 1 || frame.line > lines.length) return undefined;
    let allocation: number | undefined;
    if (typeName !== undefined) {
      const key = `${frame.script}\0${frame.line}\0${typeName}`;
      if (!this.found.has(key)) this.found.set(key, this.allocationLine(lines, frame.line, typeName));
      allocation = this.found.get(key);
    }
    const shown = allocation ?? frame.line;
    return { line: shown, text: shorten(lines[shown - 1]!.trim()), allocates: allocation !== undefined };
  }

  /**
   * The line that allocates `typeName` (`new Type`): the first within the function's first
   * lines, else the only one in the file. An optimised function's stack names the function that
   * a callee was inlined into, so the allocation may be in another function of the file.
   */
  private allocationLine(lines: readonly string[], from: number, typeName: string): number | undefined {
    const allocation = new RegExp(`\\bnew\\s+${typeName.replace(/\$/g, '\\$')}\\b`);
    for (let n = from; n <= Math.min(lines.length, from + LINES_SEARCHED - 1); n++) {
      if (allocation.test(lines[n - 1]!)) return n;
    }
    let only: number | undefined;
    for (let n = 1; n <= lines.length; n++) {
      if (!allocation.test(lines[n - 1]!)) continue;
      if (only !== undefined) return undefined;
      only = n;
    }
    return only;
  }

  private read(script: string): readonly string[] | null {
    const cached = this.files.get(script);
    if (cached !== undefined) return cached;
    let lines: string[] | null = null;
    try {
      const path = script.startsWith('file://') ? fileURLToPath(script) : script;
      const allowed = isAbsolute(path) && (this.fromNodeModules || !path.split(/[\\/]/).includes('node_modules'));
      if (allowed && statSync(path).size <= MAX_FILE_BYTES) lines = readFileSync(path, 'utf8').split(/\r?\n/);
    } catch {
      // unreadable (gone, no permission, not a file): the site is shown without its line
    }
    this.files.set(script, lines);
    return lines;
  }
}

function shorten(text: string): string {
  const clean = text.replace(/\t/g, ' ');
  return clean.length <= MAX_SOURCE_LINE ? clean : `${clean.slice(0, MAX_SOURCE_LINE - 1)}…`;
}
