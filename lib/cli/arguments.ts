// Parsers for command-line values. A value that does not parse is commander's
// InvalidArgumentError: a usage error (status 2) whose message names the flag.
import { InvalidArgumentError } from 'commander';

export function positiveInteger(text: string): number {
  const value = Number(text);
  if (!/^\s*\d+\s*$/.test(text) || !Number.isSafeInteger(value) || value < 1) {
    throw new InvalidArgumentError('It must be a whole number, 1 or more.');
  }
  return value;
}

/** "a,b" as ["a", "b"]: the names a --filter-types flag lists. */
export function commaSeparatedNames(text: string): string[] {
  const names = text.split(',').map((n) => n.trim()).filter((n) => n !== '');
  if (names.length === 0) throw new InvalidArgumentError('It must list type names separated by commas, such as "Session,Map".');
  return names;
}

/** For repeatable flags: each use adds to the list. */
export function collect(value: string, previous: readonly string[] | undefined): string[] {
  return [...(previous ?? []), value];
}
