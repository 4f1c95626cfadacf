// Which thread a monitor runs on, for its reports: a program may monitor its main thread and
// workers at once, each with its own report.
import * as workerThreads from 'node:worker_threads';
import type { ThreadInfo } from '../storage/schema.js';

export function currentThread(): ThreadInfo {
  // threadName is newer than Node.js 20 (which keeps the name to itself).
  const name: unknown = (workerThreads as { threadName?: unknown }).threadName;
  if (workerThreads.isMainThread) return { kind: 'main', threadId: workerThreads.threadId };
  return { kind: 'worker', threadId: workerThreads.threadId, ...(typeof name === 'string' && name !== '' ? { name } : {}) };
}
