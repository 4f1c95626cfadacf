// What to say when the include/exclude filters left every survivor out of a summary: "No leaks
// found" would be false reassurance, since objects did survive; the filter hid them.
import type { FilteredOut } from '../storage/schema.js';

/** Names as given; one with a comma or a space is quoted, so that the list stays readable. */
function nameList(names: readonly string[]): string {
  return names.map((name) => (/[,\s]/.test(name) || name === '' ? JSON.stringify(name) : name)).join(', ');
}

/** E.g. "7 objects of 2 types survived; none of the included types (Leaky, Session)." */
export function describeFilteredOut(f: FilteredOut): string {
  const survived = `${f.objects} object${f.objects === 1 ? '' : 's'} of ${f.types} type${f.types === 1 ? '' : 's'} survived`;
  const included = f.includedTypeNames.length > 0;
  const excluded = f.excludedTypeNames.length > 0;
  if (included && !excluded) return `${survived}; none of the included types (${nameList(f.includedTypeNames)}).`;
  if (excluded && !included) return `${survived}; all of the excluded types (${nameList(f.excludedTypeNames)}).`;
  return `${survived}; the type filters left them all out (included: ${nameList(f.includedTypeNames)}; excluded: ${nameList(f.excludedTypeNames)}).`;
}
