// The expectations of the leak-zoo scenarios (../shared/leak-zoo/check.mjs), checked against
// saved reports: for tests that run equivalent programs another way (`memalot run`).
import type { IterationReport } from '../../lib/storage/schema.js';

export interface ZooExpectation {
  readonly types: readonly { match: string; minCount: number; maxCount?: number; referrerMatch?: string }[];
  readonly noLeakTypes?: readonly string[];
  readonly maxOtherCount?: number;
}

const has = (text: string | null | undefined, match: string) => String(text ?? '').toLowerCase().includes(match.toLowerCase());

/**
 * What the reports miss of the expectation (empty when it is met). Iteration 1 is the warm-up.
 * A referrer expectation is checked where the reports hold object details for the type.
 */
export function zooProblems(iterations: readonly IterationReport[], expect: ZooExpectation): string[] {
  const problems: string[] = [];
  const real = iterations.filter((it) => it.iterationNumber > 1);
  if (real.length === 0) problems.push('no report after the warm-up iteration');
  for (const t of expect.types) {
    const counts = real.flatMap((it) => it.leakSummary.typeSummaries.filter((s) => has(s.objectType, t.match)).map((s) => s.count));
    const best = counts.length > 0 ? Math.max(...counts) : 0;
    if (best < t.minCount) problems.push(`type ~"${t.match}": best count ${best} < ${t.minCount}`);
    if (t.maxCount !== undefined && counts.some((c) => c > t.maxCount!)) problems.push(`type ~"${t.match}": a count above ${t.maxCount}`);
    if (t.referrerMatch !== undefined) {
      const details = real.flatMap((it) => it.objectDetails.filter((d) => has(d.objectTypeName, t.match)));
      const names = details.flatMap((d) => (d.referrerGraph?.nodes ?? []).map((n) => n.name));
      if (details.length > 0 && !names.some((n) => has(n, t.referrerMatch!))) {
        problems.push(`type ~"${t.match}": no referrer named ~"${t.referrerMatch}" among ${names.length}`);
      }
    }
  }
  for (const m of expect.noLeakTypes ?? []) {
    const bad = real.filter((it) => it.leakSummary.typeSummaries.some((s) => has(s.objectType, m) && s.count > 0));
    if (bad.length > 0) problems.push(`type ~"${m}" reported in iteration(s) ${bad.map((b) => b.iterationNumber).join(',')}`);
  }
  if (expect.maxOtherCount !== undefined) {
    for (const it of real) {
      const other = it.leakSummary.typeSummaries.filter((s) => !expect.types.some((t) => has(s.objectType, t.match))).reduce((a, s) => a + s.count, 0);
      if (other > expect.maxOtherCount) {
        problems.push(`iteration ${it.iterationNumber}: ${other} unexpected objects: ${it.leakSummary.typeSummaries.slice(0, 8).map((s) => `${s.objectType}=${s.count}`).join(', ')}`);
      }
    }
  }
  return problems;
}
