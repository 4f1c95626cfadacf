// memalot: finds memory leaks in Node.js programs while they run.
export { startLeakMonitoring, type LeakMonitor } from './monitor/time-based.js';
export type { CommonOptions, TimeBasedOptions, OutputFunc, StrFunc } from './monitor/options.js';
export type { IterationReport, ReportSummary, TypeSummary, MemoryUsage, ObjectDetails, EpochScan } from './storage/schema.js';
