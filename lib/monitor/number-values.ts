// A heap number's value, for a detailed `number`.
//
// A snapshot taken with numeric values exposed would name every number by its value, but it
// also adds a node per small-integer field: on a 40 MB heap of objects with three such fields,
// 1.07 million nodes became 2.09 million (twice the snapshot's native memory) for 5-8% more
// time. The number's holder is in its referrer graph anyway ("Connection.lastSeen (property)",
// "Array index=3", with the holder's object ID), so the live holder, found in the same walk as
// the other objects of the details, tells the value: its own data property of that name, read
// through the descriptor so that no getter of the program runs.
import type { NativeReferrerGraph } from '../native/addon.js';

export interface NumberHolder {
  readonly holderId: number;
  /** The property or index; undefined when the snapshot names only an in-object slot. */
  readonly key: string | undefined;
}

const PROPERTY = /\.([^.\s]+) \(property\)$/;
const ELEMENT = / index=(\d+)$/;
// A double field stored in the object itself: V8 names its edge by slot, not by property.
const SLOT = / \(internal \d+\)$/;

/** Where the target number of a graph is held as a property or an element, if it is. */
export function numberHolder(graph: NativeReferrerGraph): NumberHolder | undefined {
  if (graph.targetKind !== 'number') return undefined;
  const target = graph.targetIds[0];
  for (const node of graph.nodes) {
    if (node.objectId === null || target === undefined || !node.referentIds.includes(target)) continue;
    const key = PROPERTY.exec(node.name)?.[1] ?? ELEMENT.exec(node.name)?.[1];
    if (key !== undefined || SLOT.test(node.name)) return { holderId: node.objectId, key };
  }
  return undefined;
}

const text = (value: number): string => (Object.is(value, -0) ? '-0' : String(value));

/** Numbers that V8 keeps as heap numbers rather than in the pointer (small integers). */
function isHeapNumber(value: number): boolean {
  return !Number.isInteger(value) || Object.is(value, -0) || value >= 2 ** 30 || value < -(2 ** 30);
}

/**
 * The number the live holder keeps under `key`, as JavaScript prints it. Without a key (an
 * in-object slot), the holder's one own property holding a heap number, or the few it has
 * ("lastSeen = 1.5 or latency = 0.25"); undefined if none.
 */
export function numberValue(holder: unknown, key: string | undefined): string | undefined {
  if ((typeof holder !== 'object' && typeof holder !== 'function') || holder === null) return undefined;
  if (key !== undefined) {
    const descriptor = Object.getOwnPropertyDescriptor(holder, key);
    if (descriptor === undefined || !('value' in descriptor) || typeof descriptor.value !== 'number') return undefined;
    return text(descriptor.value);
  }
  const numbers: [string, number][] = [];
  for (const name of Object.getOwnPropertyNames(holder).slice(0, 1000)) {
    const descriptor = Object.getOwnPropertyDescriptor(holder, name);
    if (descriptor !== undefined && 'value' in descriptor && typeof descriptor.value === 'number') numbers.push([name, descriptor.value]);
  }
  // A field that once held a fraction keeps even whole numbers as heap numbers: those that
  // cannot be small integers first, else every number of the holder.
  const boxed = numbers.filter(([, value]) => isHeapNumber(value));
  const found = (boxed.length > 0 ? boxed : numbers).map(([name, value]) => `${name} = ${text(value)}`);
  if (found.length === 0 || found.length > 3) return undefined;
  return found.length === 1 ? found[0] : `${found.join(' or ')} (one of these)`;
}
