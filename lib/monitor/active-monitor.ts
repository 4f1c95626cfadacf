// At most one monitor runs per thread: V8 has one object-ID map per heap, and two monitors
// would move each other's epoch boundaries. The registry lives on globalThis so that two
// copies of memalot loaded into one process still see each other.
const ACTIVE = Symbol.for('memalot.activeMonitor');

interface Registry {
  [ACTIVE]?: { readonly description: string };
}

export function claimMonitorSlot(description: string): { release(): void } {
  const registry = globalThis as Registry;
  const active = registry[ACTIVE];
  if (active !== undefined) {
    throw new Error(
      `memalot: ${active.description} is already running in this thread; stop it (await monitor.stop()) ` +
        `before starting ${description}. Time-based and function-based monitoring cannot run together.`,
    );
  }
  const slot = { description };
  registry[ACTIVE] = slot;
  return {
    release() {
      if (registry[ACTIVE] === slot) delete registry[ACTIVE];
    },
  };
}
