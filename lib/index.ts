// memalot: finds memory leaks in Node.js programs while they run.
export { startLeakMonitoring, type LeakMonitor } from './monitor/time-based.js';
export { leakMonitor, createLeakMonitor } from './monitor/leak-monitor.js';
export type { FunctionLeakMonitor, MonitoredCall } from './monitor/function-based.js';
export type { CommonOptions, TimeBasedOptions, FunctionBasedOptions, OutputFunc, StrFunc } from './monitor/options.js';
export type { IterationReport, ReportSummary, TypeSummary, MemoryUsage, ObjectDetails, EpochScan, FunctionCalls } from './storage/schema.js';
