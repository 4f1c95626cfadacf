// What `npm run bench` runs, from its arguments: the full run (under 10 minutes on a 2-core
// machine), or `--quick`, a smoke run on small heaps that checks every figure can be made.
//   npm run bench -- [--quick] [--json] [--http-seconds <s>] [--sites]
export interface BenchSettings {
  readonly quick: boolean;
  readonly json: boolean;
  /** Issue 14's allocation-site routes too (a table, not one of the eight figures; about a minute). */
  readonly sites: boolean;
  /** Figures 1-3: heap (MB used) and rounds. */
  readonly reportsHeapMB: number;
  readonly reportsRounds: number;
  /** Figure 4. */
  readonly emptyHeapMB: number;
  readonly emptyRounds: number;
  /** Figure 5: seconds of load per server run, and the monitor's maxObjectLifetime (s). */
  readonly httpSeconds: number;
  readonly httpLifetime: number;
  /** Figure 6: heap (MB) and rounds per heap. */
  readonly functionHeaps: readonly { size: 'small' | 'large'; heapMB: number; rounds: number }[];
  /** Figure 7. */
  readonly rssHeapMB: number;
  readonly rssRounds: number;
  /** Figure 8. */
  readonly scaling: readonly { heapMB: number; rounds: number }[];
}

/** A wrong argument to `npm run bench`: printed without a stack. */
export class BenchArgumentError extends Error {}

export function benchSettings(argv: readonly string[]): BenchSettings {
  const quick = argv.includes('--quick');
  const json = argv.includes('--json');
  const sites = argv.includes('--sites');
  const known = new Set(['--quick', '--json', '--http-seconds', '--sites']);
  // The issue asks for at least 60 s: with maxObjectLifetime 10 the first report with survivors comes after about 30 s.
  let httpSeconds = quick ? 3 : 60;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!known.has(arg) && !(i > 0 && argv[i - 1] === '--http-seconds')) {
      throw new BenchArgumentError(`unknown argument ${JSON.stringify(arg)} (known: --quick, --json, --http-seconds <seconds>, --sites)`);
    }
    if (arg === '--http-seconds') {
      httpSeconds = Number(argv[i + 1]);
      if (!Number.isFinite(httpSeconds) || httpSeconds < 1 || httpSeconds > 3600) {
        throw new BenchArgumentError(`--http-seconds must be a number of seconds from 1 to 3600, got ${JSON.stringify(argv[i + 1])}`);
      }
    }
  }
  return quick
    ? {
        quick, json, sites, reportsHeapMB: 8, reportsRounds: 1, emptyHeapMB: 8, emptyRounds: 3, httpSeconds, httpLifetime: 1,
        functionHeaps: [{ size: 'small', heapMB: 5, rounds: 1 }],
        rssHeapMB: 8, rssRounds: 1, scaling: [{ heapMB: 4, rounds: 1 }, { heapMB: 8, rounds: 1 }, { heapMB: 16, rounds: 1 }],
      }
    : {
        // Under 10 minutes on an idle 2-core machine: four 60 s load runs take half of it.
        quick, json, sites, reportsHeapMB: 50, reportsRounds: 2, emptyHeapMB: 50, emptyRounds: 9, httpSeconds, httpLifetime: 10,
        functionHeaps: [{ size: 'small', heapMB: 5, rounds: 2 }, { size: 'large', heapMB: 50, rounds: 1 }],
        rssHeapMB: 50, rssRounds: 2,
        // One round per size: figure 8 is a fit across the sizes (a 200 MB report takes tens of seconds).
        scaling: [{ heapMB: 25, rounds: 1 }, { heapMB: 50, rounds: 1 }, { heapMB: 100, rounds: 1 }, { heapMB: 200, rounds: 1 }],
      };
}
