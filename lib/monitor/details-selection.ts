// Which leaked objects get "object details" (referrers, retained size, string form), within the
// maxObjectDetails budget. The Python tool's rule: the most common types first, each of them at
// least one object, the rest of the budget shared in proportion to the counts. Here the types
// that hold a leak come before the things they carry: a leak's trace starts best at its holder
// (a Connection, not each connection's `lastSeen` number), so the program's own classes get the
// rest of the budget first, then other objects, and strings and numbers last.

export interface LeakedTypeSample {
  readonly objectType: string;
  /** How many objects of the type leaked. */
  readonly count: number;
  /** Heap object IDs of some of them, in the order to prefer. */
  readonly sampleIds: readonly number[];
}

export interface ObjectForDetails {
  readonly objectType: string;
  readonly objectId: number;
}

/** Primitive types: what a leak carries, rarely what holds it. */
const CARRIED = new Set(['string', 'number', 'bigint', 'symbol']);

/**
 * 0: instances of the program's own classes (named with their module, not one of Node's);
 * 1: other objects (Map, Array, Function...); 2: strings, numbers and the like.
 */
export function holderRank(objectType: string): number {
  if (CARRIED.has(objectType)) return 2;
  return objectType.includes(':') && !objectType.startsWith('node:') ? 0 : 1;
}

function mostCommonFirst(a: LeakedTypeSample, b: LeakedTypeSample): number {
  const rank = holderRank(a.objectType) - holderRank(b.objectType);
  if (rank !== 0) return rank;
  if (a.count !== b.count) return b.count - a.count;
  return a.objectType < b.objectType ? -1 : a.objectType > b.objectType ? 1 : 0;
}

/**
 * Shares `units` between the open entries in proportion to `weights`, none above its room.
 * An entry whose exact share would exceed its room gets its room, and the others share what is
 * left (repeated until no share exceeds a room); then largest-remainder rounding makes the total
 * exactly `units` (ties go to the earlier entry). Exact arithmetic: BigInt, as counts times a
 * budget can pass 2^53. The caller guarantees that the rooms add up to at least `units`.
 */
function shareInProportion(units: number, weights: readonly number[], rooms: readonly number[]): number[] {
  const weight = (i: number) => BigInt(Number.isFinite(weights[i]) && weights[i]! > 0 ? Math.floor(weights[i]!) : 0);
  const shares = weights.map(() => 0);
  let open = weights.map((_, i) => i).filter((i) => rooms[i]! > 0);
  let left = units;
  while (left > 0 && open.length > 0) {
    const total = open.reduce((sum, i) => sum + weight(i), 0n);
    const whole = BigInt(left);
    // share_i = left * w_i / total exceeds room_i exactly when left * w_i > room_i * total.
    const full = total === 0n ? [] : open.filter((i) => whole * weight(i) > BigInt(rooms[i]!) * total);
    if (full.length > 0) {
      for (const i of full) {
        shares[i] = rooms[i]!;
        left -= rooms[i]!;
      }
      open = open.filter((i) => !full.includes(i));
      continue;
    }
    if (total === 0n) {
      // No weights to go by (not expected: counts are positive): one each, in order.
      for (const i of open) {
        const given = Math.min(rooms[i]!, left);
        shares[i] = given;
        left -= given;
      }
      break;
    }
    const remainders = new Map<number, bigint>();
    for (const i of open) {
      const exact = whole * weight(i);
      shares[i] = Number(exact / total);
      remainders.set(i, exact % total);
      left -= shares[i]!;
    }
    // Stable sort: equal remainders keep the order of `open` (most common first).
    const byRemainder = [...open].sort((a, b) => {
      const ra = remainders.get(a)!;
      const rb = remainders.get(b)!;
      return ra === rb ? 0 : ra > rb ? -1 : 1;
    });
    for (const i of byRemainder.slice(0, left)) shares[i]! += 1;
    left = 0;
  }
  return shares;
}

/**
 * The objects to detail: at most `maxObjectDetails` types (holders first, by holderRank; then
 * the most common first, ties by name), each with at least one object and the rest of the
 * budget shared in proportion to the counts, among the best-ranked types that have samples left; never more objects than a type's sampleIds, whose unused share goes to the others.
 * The total is exactly min(maxObjectDetails, the sample IDs available to the chosen types).
 * Types without sample IDs are passed over: they cannot be detailed. Ordered by type (as
 * chosen), then by the order of each type's sampleIds.
 */
export function chooseObjectsForDetails(types: readonly LeakedTypeSample[], maxObjectDetails: number): ObjectForDetails[] {
  const budget = Math.floor(maxObjectDetails);
  if (!(budget > 0)) return [];
  const chosen = types
    .map((type) => ({ ...type, sampleIds: [...new Set(type.sampleIds)] }))
    .filter((type) => type.sampleIds.length > 0)
    .sort(mostCommonFirst)
    .slice(0, budget);
  const available = chosen.reduce((sum, type) => sum + type.sampleIds.length, 0);
  let rest = Math.min(budget, available) - chosen.length;
  // The rest goes to the holders first; what they have no samples for, to the next rank.
  const extra = chosen.map(() => 0);
  for (const rank of [0, 1, 2]) {
    const members = chosen.map((type, i) => ({ type, i })).filter(({ type }) => holderRank(type.objectType) === rank);
    const rooms = members.map(({ type }) => type.sampleIds.length - 1);
    const units = Math.min(rest, rooms.reduce((a, b) => a + b, 0));
    const shares = shareInProportion(units, members.map(({ type }) => type.count), rooms);
    members.forEach(({ i }, k) => (extra[i] = shares[k]!));
    rest -= units;
  }
  return chosen.flatMap((type, i) =>
    type.sampleIds.slice(0, 1 + extra[i]!).map((objectId) => ({ objectType: type.objectType, objectId })),
  );
}
