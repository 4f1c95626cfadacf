// Strings as they are: a concatenated string ('a' + b, a tree of parts in V8) or a sliced one
// (a view into a longer string) shows its contents, cut to strMaxLength, not the snapshot's
// placeholder name; strFunc sees strings too, so it can redact them. Real programs, real heaps.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runProgram } from './helpers/child.js';
import { readSavedReports } from './helpers/reports.js';
import { stopAfterIterationsSource } from './helpers/until-saved.js';

function stringsProgram(strFunc: string): string {
  return `
import { startLeakMonitoring } from 'memalot';
const keep = [];
const monitor = startLeakMonitoring({ maxObjectLifetime: 0.5, warmupPeriod: 0.5, maxObjectDetails: 30, strMaxLength: 60, strFunc: ${strFunc} });
const big = 'x'.repeat(5000) + Math.random();
let i = 0;
const timer = setInterval(() => {
  keep.push('session-' + i + '-token-' + Math.random());
  keep.push(big.slice(7, 4007));
  let built = 'a';
  for (let k = 0; k < 30; k++) built = built + k + '-';
  keep.push(built);
  i++;
}, 10);
${stopAfterIterationsSource(3)}`;
}

async function stringForms(strFunc: string): Promise<string[]> {
  const run = await runProgram(stringsProgram(strFunc));
  assert.equal(run.code, 0, run.stderr);
  const forms = readSavedReports(run.reportDirectory)
    .flatMap((r) => r.iterations)
    .flatMap((it) => it.objectDetails)
    .filter((d) => d.objectTypeName === 'string')
    .map((d) => d.objectStr ?? '');
  assert.ok(forms.length > 0, 'no string was detailed');
  return forms;
}

describe('strings as they are', () => {
  it('shows concatenated and sliced strings by their contents, cut to strMaxLength', async () => {
    const forms = await stringForms('null');
    assert.deepEqual(forms.filter((f) => /concatenated string|sliced string/.test(f)), []);
    assert.ok(forms.some((f) => /^'session-\d+-token-0\.\d+'$/.test(f)), forms.join('\n'));
    // 'a0-1-...-29-' is 81 characters, 83 quoted: 60 shown.
    assert.ok(forms.includes(`'a0-1-2-3-4-5-6-7-8-9-10-11-12-13-14-15-16-17-18-19-20-21-22 … (23 more chars)`), forms.join('\n'));
    // 4000 x's, 4002 quoted: 60 shown.
    assert.ok(forms.includes(`'${'x'.repeat(59)} … (3942 more chars)`), forms.join('\n'));
  });

  it('hands strings to strFunc, which can redact them', async () => {
    const forms = await stringForms(`(value) => typeof value === 'string' ? value.replace(/token-[0-9.]+/, 'token-<redacted>') : 'object'`);
    assert.ok(forms.some((f) => /^session-\d+-token-<redacted>$/.test(f)), forms.join('\n'));
    assert.deepEqual(forms.filter((f) => /token-0\./.test(f)), []);
  });
});
