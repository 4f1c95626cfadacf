// memlab's route to the same answers: write the heap snapshot to a file, then memlab's
// getFullHeapFromFile (parse, build the graph, paths and dominators). memlab is not a
// dependency of memalot: it is installed for the benchmark only, into bench/.peers (gitignored),
// on first use, without the browser that its puppeteer dependency would download.
import { execFileSync } from 'node:child_process';
import { existsSync, unlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { writeHeapSnapshot } from 'node:v8';
import { packageRoot } from '../lib/native/package-root.js';

const PEERS = join(packageRoot, 'bench', '.peers');
const MEMLAB = '@memlab/heap-analysis@2';

type GetFullHeap = (file: string) => Promise<{ nodes: { length: number } }>;

/** Installs memlab into bench/.peers if it is not there; returns why it cannot be used, or its loader. */
export function loadMemlab(): { getFullHeapFromFile: GetFullHeap } | { unavailable: string } {
  const core = join(PEERS, 'node_modules', '@memlab', 'heap-analysis');
  try {
    if (!existsSync(core)) {
      process.stderr.write(`bench: installing ${MEMLAB} into ${PEERS} (for the benchmark only)\n`);
      execFileSync('npm', ['install', '--prefix', PEERS, '--no-audit', '--no-fund', '--no-save', MEMLAB], {
        env: { ...process.env, PUPPETEER_SKIP_DOWNLOAD: '1' },
        stdio: ['ignore', 'ignore', 'inherit'],
        timeout: 300_000,
      });
    }
    const requirePeer = createRequire(join(PEERS, 'package.json'));
    const required = requirePeer('@memlab/heap-analysis') as { getFullHeapFromFile?: GetFullHeap };
    // Its progress lines (on the console, with terminal escapes) are not the benchmark's.
    (requirePeer('@memlab/core') as { config: { muteConsole: boolean } }).config.muteConsole = true;
    if (typeof required.getFullHeapFromFile !== 'function') return { unavailable: '@memlab/heap-analysis has no getFullHeapFromFile' };
    return { getFullHeapFromFile: required.getFullHeapFromFile };
  } catch (error) {
    return { unavailable: `${MEMLAB} could not be installed or loaded (${error instanceof Error ? error.message.split('\n')[0] : String(error)})` };
  }
}

let written = 0;

/** One memlab route on this process's heap: ms of writing the snapshot and of getFullHeapFromFile. */
export async function memlabRoute(getFullHeapFromFile: GetFullHeap): Promise<{ writeMs: number; analyseMs: number; nodes: number }> {
  const path = join(tmpdir(), `memalot-bench-memlab-${process.pid}-${written++}.heapsnapshot`);
  const t0 = performance.now();
  const file = writeHeapSnapshot(path);
  const t1 = performance.now();
  try {
    const heap = await getFullHeapFromFile(file);
    const t2 = performance.now();
    return { writeMs: t1 - t0, analyseMs: t2 - t1, nodes: heap.nodes.length };
  } finally {
    unlinkSync(file);
  }
}
