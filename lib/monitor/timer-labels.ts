// Timers read as what the user wrote: "setInterval callback at server.js:41, every 60 s".
//
// The snapshot names the step from a Timeout to its callback "Timeout callback (timer)"
// (native/retainer_labels.cc), but whether it repeats and how often are small integers that a
// heap snapshot does not hold. The live Timeout does: `_repeat` (the interval, or null for a
// setTimeout) and `_idleTimeout` (the delay). They are read as own data properties, through
// their descriptors, so that no getter of the program runs.
import type { NativeReferrerGraph, NativeReferrerNode } from '../native/addon.js';

export const TIMER_CALLBACK_LABEL = 'Timeout callback (timer)';

/** The timer-callback label nodes of a graph, with the Timeout (their holder) and the callback. */
export interface TimerStep {
  readonly node: NativeReferrerNode;
  readonly timeoutId: number;
  readonly callbackId: number | null;
}

export function timerSteps(graph: NativeReferrerGraph): TimerStep[] {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  return graph.nodes.flatMap((node): TimerStep[] => {
    if (node.name !== TIMER_CALLBACK_LABEL || node.objectId === null) return [];
    const callback = byId.get(node.referentIds[0] ?? '');
    return [{ node, timeoutId: node.objectId, callbackId: callback?.objectId ?? null }];
  });
}

function ownNumber(object: object, key: string): number | null | undefined {
  const descriptor = Object.getOwnPropertyDescriptor(object, key);
  if (descriptor === undefined || !('value' in descriptor)) return undefined;
  const value: unknown = descriptor.value;
  return typeof value === 'number' ? value : value === null ? null : undefined;
}

/** "60 s", "1.5 s", "250 ms": as setInterval(fn, 60_000) reads. */
export function formatDelay(ms: number): string {
  if (ms >= 1000) return `${Number((ms / 1000).toFixed(3))} s`;
  return `${Number(ms.toFixed(3))} ms`;
}

/**
 * The label for a timer's callback from the live Timeout, with the callback's location when
 * known; undefined when the object does not look like a Node.js Timeout.
 */
export function timerLabel(timeout: unknown, location: string | undefined): string | undefined {
  if (typeof timeout !== 'object' || timeout === null) return undefined;
  const repeat = ownNumber(timeout, '_repeat');
  const delay = ownNumber(timeout, '_idleTimeout');
  if (repeat === undefined || delay === undefined) return undefined;
  const at = location === undefined ? '' : ` at ${location}`;
  if (typeof repeat === 'number') return `setInterval callback${at}, every ${formatDelay(repeat)}`;
  // A cleared or fired timeout has _idleTimeout -1.
  if (delay === null || delay < 0) return `setTimeout callback${at} (no longer armed)`;
  return `setTimeout callback${at}, after ${formatDelay(delay)}`;
}
