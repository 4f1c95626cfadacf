// Small validators for user-supplied options. Every failure is a TypeError that names the
// option, says what was expected and shows what was given: a typo must never pass silently.

/** Option errors are plain TypeErrors, as for any bad argument to a built-in. */
export const OptionError = TypeError;

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return `a function`;
  if (typeof value === 'bigint') return `${value}n`;
  if (Array.isArray(value)) return 'an array';
  if (value === null || typeof value !== 'object') return String(value);
  return 'an object';
}

export function fail(where: string, option: string, expected: string, value: unknown): never {
  throw new OptionError(`memalot: ${where}: option "${option}" must be ${expected}; got ${show(value)}`);
}

export function checkNumber(
  where: string,
  option: string,
  value: unknown,
  { min, max, integer = false, exclusiveMin = false }: { min: number; max: number; integer?: boolean; exclusiveMin?: boolean },
): number {
  const kind = integer ? 'an integer' : 'a number';
  const range = `${exclusiveMin ? 'greater than' : 'at least'} ${min}${Number.isFinite(max) ? ` and at most ${max}` : ''}`;
  if (typeof value !== 'number' || Number.isNaN(value)) fail(where, option, `${kind} ${range}`, value);
  if (integer && !Number.isInteger(value)) fail(where, option, `${kind} ${range}`, value);
  if ((exclusiveMin ? value <= min : value < min) || value > max) fail(where, option, `${kind} ${range}`, value);
  return value;
}

export function checkBoolean(where: string, option: string, value: unknown): boolean {
  if (typeof value !== 'boolean') fail(where, option, 'true or false', value);
  return value;
}

export function checkFunction<F>(where: string, option: string, value: unknown): F {
  if (typeof value !== 'function') fail(where, option, 'a function', value);
  return value as F;
}

/** Any iterable of strings (array, Set, generator...), but not a bare string. */
export function checkStrings(where: string, option: string, value: unknown): string[] {
  const expected = "an iterable of strings, such as ['Session'] or new Set(['Session'])";
  if (typeof value === 'string') fail(where, option, `${expected}, not a single string`, value);
  if (value === null || typeof value !== 'object' || typeof (value as Iterable<unknown>)[Symbol.iterator] !== 'function') {
    fail(where, option, expected, value);
  }
  const strings: string[] = [];
  for (const item of value as Iterable<unknown>) {
    if (typeof item !== 'string' || item.length === 0) fail(where, option, `${expected} (each non-empty)`, item);
    strings.push(item);
  }
  return strings;
}

/** Levenshtein distance, ignoring case: how far a misspelt name is from a known one. */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(above + 1, row[j - 1]! + 1, diagonal + (a[i - 1]!.toLowerCase() === b[j - 1]!.toLowerCase() ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

/** Rejects option names that are not in `known`, suggesting the nearest known one. */
export function checkKnownKeys(where: string, options: object, known: readonly string[]): void {
  for (const key of Object.keys(options)) {
    if (known.includes(key)) continue;
    const nearest = [...known].sort((x, y) => editDistance(key, x) - editDistance(key, y))[0];
    const hint = nearest !== undefined && editDistance(key, nearest) <= Math.max(2, key.length / 3) ? ` Did you mean "${nearest}"?` : '';
    throw new OptionError(`memalot: ${where}: unknown option "${key}".${hint} Known options: ${known.join(', ')}.`);
  }
}
