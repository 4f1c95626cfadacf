// A type's counts per iteration as a sparkline of block characters, one per iteration, for
// the terminal: each row is scaled to its own largest count (counts of different types differ
// by orders of magnitude; the shape is what tells a trend). An iteration that found none is
// "·", not the lowest block, so that a one-off (█····) never reads as a leak that goes on
// slowly (█▁▁▁▁); one that could not tell is "?".
// (The report already draws its boxes with Unicode box-drawing characters and has no ASCII
// mode, so the sparkline has none either.)

const BLOCKS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'] as const;
export const NONE = '·';
export const UNKNOWN = '?';

export function sparkline(counts: readonly (number | null)[]): string {
  const max = Math.max(0, ...counts.map((c) => c ?? 0));
  return counts
    .map((count) => {
      if (count === null) return UNKNOWN;
      if (count <= 0) return NONE;
      // Any count above zero takes at least the lowest block.
      return BLOCKS[Math.min(BLOCKS.length, Math.max(1, Math.ceil((count / max) * BLOCKS.length))) - 1]!;
    })
    .join('');
}
