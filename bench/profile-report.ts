// A target for profilers (perf, valgrind --tool=callgrind, node --prof): builds a period with
// survivors on a heap of <heapMB>, then <count> times one bare TakeHeapSnapshot and one report
// with <maxObjectDetails> details, so that a profile holds both in about equal parts:
//   perf record -e cpu-clock -F 499 -g node --expose-gc --perf-basic-prof dist/bench/profile-report.js 20 0 2
import { gc, MB } from './heap.js';
import { bareSnapshot, makePeriod } from './period.js';

const [heapMB, details, count] = process.argv.slice(2).map(Number);
if (!(heapMB! > 0) || !(details! >= 0) || !(count! >= 1)) throw new Error('usage: profile-report <heapMB> <maxObjectDetails> <count>');
const period = makePeriod(heapMB! * MB);
process.stderr.write(`profile-report: heap ${(period.heapUsed / MB).toFixed(1)} MB\n`);
for (let i = 0; i < count!; i++) {
  gc();
  const bare = bareSnapshot();
  gc();
  const r = period.report(details!);
  process.stderr.write(
    `profile-report: bare snapshot ${bare.ms.toFixed(0)} ms; report ${r.reportMs.toFixed(0)} ms (boundary before it ${r.boundaryMs.toFixed(0)} ms), ${r.survivors} survivors\n`,
  );
}
