import { constrainedMemory, memoryUsage, resourceUsage } from 'node:process';
import { totalmem } from 'node:os';
import type { MemoryUsage } from '../storage/schema.js';

/** Samples the process's memory, with the change since the previous sample. */
export class MemorySampler {
  private previousRss: number | null = null;
  private previousHeapUsed: number | null = null;

  sample(): MemoryUsage {
    const { rss, heapUsed } = memoryUsage();
    const limit = constrainedMemory?.() ?? 0;
    const usage: MemoryUsage = {
      rssBytes: rss,
      heapUsedBytes: heapUsed,
      rssChangeBytes: this.previousRss === null ? null : rss - this.previousRss,
      heapUsedChangeBytes: this.previousHeapUsed === null ? null : heapUsed - this.previousHeapUsed,
      peakRssBytes: Math.max(rss, resourceUsage().maxRSS * 1024),
      systemMemoryBytes: limit > 0 && limit < totalmem() ? limit : totalmem(),
    };
    this.previousRss = rss;
    this.previousHeapUsed = heapUsed;
    return usage;
  }
}
