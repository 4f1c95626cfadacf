// Which kind of monitoring runs in this thread. V8 has one object-ID map per heap: a time-based
// monitor moves epoch boundaries on its own schedule, so it runs alone; function-based monitors
// share the map (each call's boundaries are its own) and may run together, any number of them.
// The registry lives on globalThis so that two copies of memalot in one process see each other.
const ACTIVE = Symbol.for('memalot.activeMonitor');

export type MonitorKind = 'time' | 'function';

interface Slot {
  readonly kind: MonitorKind;
  readonly description: string;
  holders: number;
}

interface Registry {
  [ACTIVE]?: Slot;
}

export function claimMonitorSlot(kind: MonitorKind, description: string): { release(): void } {
  const registry = globalThis as Registry;
  const active = registry[ACTIVE];
  if (active !== undefined && (active.kind === 'time' || kind === 'time')) {
    const both = active.kind !== kind ? ' Time-based and function-based monitoring cannot run together.' : '';
    throw new Error(
      `memalot: ${active.description} is already running in this thread; stop it (await monitor.stop()) ` +
        `before starting ${description}.${both}`,
    );
  }
  const slot = active ?? { kind, description, holders: 0 };
  slot.holders++;
  registry[ACTIVE] = slot;
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      if (--slot.holders === 0 && registry[ACTIVE] === slot) delete registry[ACTIVE];
    },
  };
}

/** Whether any monitor holds the slot in this thread. */
export function isMonitorActive(): boolean {
  return (globalThis as Registry)[ACTIVE] !== undefined;
}
