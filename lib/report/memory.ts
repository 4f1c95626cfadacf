import { constrainedMemory, memoryUsage, resourceUsage } from 'node:process';
import { totalmem } from 'node:os';
import type { MemoryUsage } from '../storage/schema.js';

export interface MemoryReading {
  readonly rss: number;
  readonly heapUsed: number;
}

export function readMemory(): MemoryReading {
  const { rss, heapUsed } = memoryUsage();
  return { rss, heapUsed };
}

/**
 * Samples the process's memory, with the change since the previous sample, and keeps apart
 * what memalot itself keeps. A report's work (its heap snapshot above all) leaves memory
 * behind that reads as the program growing: the readings right before a report's work and
 * right after it tell how much; what the process gives back between two reports is taken off
 * memalot's share first (most of it is the snapshot's freed memory, returned late).
 */
export class MemorySampler {
  private previousRss: number | null = null;
  private previousHeapUsed: number | null = null;
  private own: MemoryReading = { rss: 0, heapUsed: 0 };
  private lastAfter: MemoryReading | null = null;

  /** `before`: read right before this report's work began (default: now). */
  sample(before: MemoryReading = readMemory()): MemoryUsage {
    if (this.lastAfter !== null) {
      this.own = {
        rss: Math.max(0, this.own.rss - Math.max(0, this.lastAfter.rss - before.rss)),
        heapUsed: Math.max(0, this.own.heapUsed - Math.max(0, this.lastAfter.heapUsed - before.heapUsed)),
      };
    }
    const own = { rssBytes: Math.min(this.own.rss, before.rss), heapUsedBytes: Math.min(this.own.heapUsed, before.heapUsed) };
    const rss = before.rss - own.rssBytes;
    const heapUsed = before.heapUsed - own.heapUsedBytes;
    const limit = constrainedMemory?.() ?? 0;
    const usage: MemoryUsage = {
      rssBytes: before.rss,
      heapUsedBytes: before.heapUsed,
      rssChangeBytes: this.previousRss === null ? null : rss - this.previousRss,
      heapUsedChangeBytes: this.previousHeapUsed === null ? null : heapUsed - this.previousHeapUsed,
      peakRssBytes: Math.max(before.rss, resourceUsage().maxRSS * 1024),
      systemMemoryBytes: limit > 0 && limit < totalmem() ? limit : totalmem(),
      memalot: own,
    };
    this.previousRss = rss;
    this.previousHeapUsed = heapUsed;
    this.pendingBefore = before;
    return usage;
  }

  private pendingBefore: MemoryReading | null = null;

  /** Called when the report's work is over: what it left behind becomes memalot's. */
  workDone(after: MemoryReading = readMemory()): void {
    const before = this.pendingBefore;
    if (before === null) return;
    this.pendingBefore = null;
    this.own = {
      rss: this.own.rss + Math.max(0, after.rss - before.rss),
      heapUsed: this.own.heapUsed + Math.max(0, after.heapUsed - before.heapUsed),
    };
    this.lastAfter = after;
  }
}
