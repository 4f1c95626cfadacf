// Type names as a JavaScript developer recognises them, and the include/exclude filters.
//
// Instances are named by their constructor, qualified by the module that defines it
// ("src/session.js:Session"), so that a filter such as "src/session" selects a module;
// built-ins go by their plain name ("Map", "Array"), heap primitives by their typeof
// ("string", "number", "bigint", "symbol"), closures as "Function".
import { isAbsolute, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NativeTypeRow } from '../native/addon.js';

/** How a script (file path or URL) is shown: relative to the working directory or package. */
export function moduleLabel(script: string, cwd: string = process.cwd()): string {
  let path = script;
  if (script.startsWith('file://')) {
    try {
      path = fileURLToPath(script);
    } catch {
      return script;
    }
  }
  if (!isAbsolute(path)) return script; // node:internal/..., data:, or an eval'd script
  const normalized = path.split(sep).join('/');
  const inPackage = normalized.lastIndexOf('/node_modules/');
  if (inPackage >= 0) return normalized.slice(inPackage + '/node_modules/'.length);
  const fromCwd = relative(cwd, path);
  const outside = fromCwd === '..' || fromCwd.startsWith(`..${sep}`) || isAbsolute(fromCwd);
  if (fromCwd !== '' && !outside) return fromCwd.split(sep).join('/');
  return normalized;
}

/** The user-facing name of a native type row, or undefined for V8's internal objects. */
export function typeName(row: NativeTypeRow, cwd?: string): string | undefined {
  switch (row.kind) {
    case 'internal':
      return undefined;
    case 'object':
      return row.script === '' ? row.name : `${moduleLabel(row.script, cwd)}:${row.name}`;
    case 'function':
      return 'Function';
    case 'regexp':
      return 'RegExp';
    default:
      return row.kind; // string, number, bigint, symbol
  }
}

export class TypeFilter {
  constructor(
    private readonly included: readonly string[],
    private readonly excluded: readonly string[],
  ) {}

  /** Substring matches, as the Python tool matches "module.Type". */
  accepts(name: string): boolean {
    if (this.included.length > 0 && !this.included.some((part) => name.includes(part))) return false;
    return !this.excluded.some((part) => name.includes(part));
  }
}
