// Whether a heap snapshot fits in what the process may still take. A snapshot lives in native
// memory, many times the heap (SNAPSHOT_BYTES_PER_OBJECT), so the room that counts is the
// smallest of: free system memory, what is left under the process's cgroup limit (v2 or v1,
// where the limit is set) and under Node's own memory constraint. The V8 heap's limit
// (--max-old-space-size) is not one of them: the snapshot is outside the V8 heap (a program
// near that limit was checked without trouble). A report that would not fit is made without the snapshot (survivor counts only) and
// says why, rather than run the program out of memory.
import { readFileSync } from 'node:fs';
import { freemem } from 'node:os';

/**
 * Native memory a heap snapshot takes per live heap object, measured on Node 20 and 26 with
 * heaps of small objects (510-585 bytes; 15x the heap), plus a margin.
 */
export const SNAPSHOT_BYTES_PER_OBJECT = 650;

/** The share of the room a snapshot may take: the rest is the margin. */
const USABLE_SHARE = 0.8;

/**
 * TEST ONLY: a number of bytes taken as the memory available, whatever the machine has, so that
 * a test can make a snapshot "not fit" in a real program. Not an option: never set it otherwise.
 */
export const TEST_AVAILABLE_MEMORY_VARIABLE = 'MEMALOT_TEST_AVAILABLE_MEMORY';

function readNumber(file: string): number | undefined {
  try {
    const text = readFileSync(file, 'utf8').trim();
    const value = Number(text);
    return text === 'max' || !Number.isFinite(value) ? undefined : value;
  } catch {
    return undefined;
  }
}

interface CgroupFiles {
  readonly limit: string;
  readonly usage: string;
}

let cgroupFiles: CgroupFiles[] | undefined;

/** The memory limit and usage files of this process's cgroup (v2 and v1), those that exist. */
function findCgroupFiles(): CgroupFiles[] {
  if (process.platform !== 'linux') return [];
  let lines: string[];
  try {
    lines = readFileSync('/proc/self/cgroup', 'utf8').split('\n');
  } catch {
    return [];
  }
  const found: CgroupFiles[] = [];
  for (const line of lines) {
    const [, controllers, path] = /^\d+:([^:]*):(.*)$/.exec(line) ?? [];
    if (path === undefined) continue;
    // In a container the path may be the host's while the mount shows the container's own.
    const candidates =
      controllers === ''
        ? [`/sys/fs/cgroup${path}`, '/sys/fs/cgroup'].map((d) => ({ limit: `${d}/memory.max`, usage: `${d}/memory.current` }))
        : controllers!.split(',').includes('memory')
          ? [`/sys/fs/cgroup/memory${path}`, '/sys/fs/cgroup/memory'].map((d) => ({ limit: `${d}/memory.limit_in_bytes`, usage: `${d}/memory.usage_in_bytes` }))
          : [];
    const present = candidates.find((c) => readNumber(c.usage) !== undefined);
    if (present !== undefined) found.push(present);
  }
  return found;
}

/** What is left under the cgroup limits, or undefined when no limit is set. */
function cgroupRoom(): number | undefined {
  cgroupFiles ??= findCgroupFiles();
  let room: number | undefined;
  for (const files of cgroupFiles) {
    const limit = readNumber(files.limit);
    const usage = readNumber(files.usage);
    // v1 says "no limit" with a number near 2^63.
    if (limit === undefined || usage === undefined || limit >= 2 ** 60) continue;
    room = Math.min(room ?? Number.POSITIVE_INFINITY, Math.max(0, limit - usage));
  }
  return room;
}

export interface Room {
  readonly bytes: number;
  /** What set it: "free system memory", "the cgroup's limit", ... */
  readonly source: string;
}

/** Memory the process may still take, and what limits it. */
export function availableRoom(): Room {
  const forced = Number(process.env[TEST_AVAILABLE_MEMORY_VARIABLE]);
  if (process.env[TEST_AVAILABLE_MEMORY_VARIABLE] !== undefined && Number.isFinite(forced) && forced >= 0) {
    return { bytes: forced, source: `set by ${TEST_AVAILABLE_MEMORY_VARIABLE}, for tests` };
  }
  const rooms: Room[] = [{ bytes: freemem(), source: 'free system memory' }];
  const cgroup = cgroupRoom();
  if (cgroup !== undefined) rooms.push({ bytes: cgroup, source: "what is left under the cgroup's memory limit" });
  const constrained = process.constrainedMemory?.() ?? 0;
  if (constrained > 0 && constrained < 2 ** 60) {
    rooms.push({ bytes: Math.max(0, constrained - process.memoryUsage.rss()), source: "what is left under the process's memory constraint" });
  }
  return rooms.reduce((a, b) => (b.bytes < a.bytes ? b : a));
}

/** Memory the process may still take (see availableRoom). */
export function availableMemory(): number {
  return availableRoom().bytes;
}

/** Why a snapshot of `liveObjects` objects should not be taken now, or undefined if it fits. */
export function snapshotWouldNotFit(liveObjects: number, available: number, source = 'available'): string | undefined {
  const needed = liveObjects * SNAPSHOT_BYTES_PER_OBJECT;
  if (needed <= available * USABLE_SHARE) return undefined;
  const mib = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MiB`;
  const limit = source === 'available' ? 'is available' : `is available (${source})`;
  return (
    `a heap snapshot of ${liveObjects} objects needs about ${mib(needed)} and only ${mib(available)} ${limit}, ` +
    'so this iteration was skipped rather than risk running the program out of memory'
  );
}

/** Why the snapshot would not fit now, from every limit; undefined if it fits. */
export function headroomShortfall(liveObjects: number): string | undefined {
  const room = availableRoom();
  return snapshotWouldNotFit(liveObjects, room.bytes, room.source);
}
