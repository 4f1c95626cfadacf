// memalot for require() (CommonJS): the ES module, loaded through Node's own loader (see node-require.cts).
import type * as Memalot from './index.js' with { 'resolution-mode': 'import' };
import nodeRequire = require('./node-require.cjs');

const memalot = nodeRequire(__filename)('./index.js') as typeof Memalot;

export const { startLeakMonitoring, leakMonitor, createLeakMonitor } = memalot;
// Types only: TypeScript (module node16) lets a CommonJS file take types from an ES module this way.
export type { LeakMonitor, FunctionLeakMonitor, MonitoredCall, CommonOptions, TimeBasedOptions, FunctionBasedOptions, OutputFunc, StrFunc, IterationReport, ReportSummary, TypeSummary, MemoryUsage, ObjectDetails, EpochScan, FunctionCalls } from './index.js' with { 'resolution-mode': 'import' };
