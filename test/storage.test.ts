// Report storage: IDs, atomic files, the layout the CLI reads, and the published schemas.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { packageRoot } from '../lib/native/package-root.js';
import { writeFileAtomic } from '../lib/storage/atomic-write.js';
import { newReportId } from '../lib/storage/report-id.js';
import { ReportWriter } from '../lib/storage/report-writer.js';
import { iterationReportSchema, jsonSchemas, REPORT_ID_PATTERN, reportSummarySchema, type IterationReport } from '../lib/storage/schema.js';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'memalot-storage-'));
}

const iteration = (reportId: string): IterationReport => ({
  reportId,
  iterationNumber: 1,
  kind: 'warmup',
  startTime: '2026-01-01T00:00:00.000Z',
  endTime: '2026-01-01T00:00:01.000Z',
  memoryUsage: { rssBytes: 1, heapUsedBytes: 1, rssChangeBytes: null, heapUsedChangeBytes: null, peakRssBytes: 1, systemMemoryBytes: 2 },
  leakSummary: { typeSummaries: [], maxTypesInSummary: 500, totalTypes: 0 },
  objectDetails: [],
});

test('report IDs are 4+4 characters of [a-z0-9] and do not repeat', () => {
  const ids = new Set(Array.from({ length: 2000 }, () => newReportId()));
  assert.equal(ids.size, 2000);
  for (const id of ids) assert.match(id, REPORT_ID_PATTERN);
});

test('an atomic write leaves the whole file and no temporary file', () => {
  const dir = tempDir();
  const file = join(dir, 'a.json');
  writeFileAtomic(file, 'first');
  writeFileAtomic(file, 'second');
  assert.equal(readFileSync(file, 'utf8'), 'second');
  assert.deepEqual(readdirSync(dir), ['a.json']);
});

test('a failed atomic write leaves the old file as it was and cleans up', () => {
  const dir = tempDir();
  const file = join(dir, 'a.json');
  writeFileAtomic(file, 'old');
  mkdirSync(join(dir, 'sub.json'));
  writeFileSync(join(dir, 'sub.json', 'x'), '');
  assert.throws(() => writeFileAtomic(join(dir, 'sub.json'), 'new')); // rename over a directory fails
  assert.equal(readFileSync(file, 'utf8'), 'old');
  assert.deepEqual(readdirSync(dir).sort(), ['a.json', 'sub.json']);
});

test('the writer makes the layout the CLI reads, lazily, and moves to a free ID on a collision', () => {
  const base = join(tempDir(), 'nested', 'reports');
  const writer = ReportWriter.create(base);
  const first = writer.reportId;
  // Nothing is written until the first iteration.
  assert.throws(() => readdirSync(base));
  mkdirSync(join(base, `memalot_report_${first}`), { recursive: true }); // someone took the ID
  writer.writeSummary({
    mode: 'time', entrypoint: '/app/main.js', arguments: ['--x'], startTime: '2026-01-01T00:00:00.000Z',
    options: { maxObjectLifetime: 60 }, nodeVersion: process.version, memalotVersion: '0.0.0', pid: 1, hostname: 'h',
  });
  assert.notEqual(writer.reportId, first);
  writer.writeIteration(iteration(writer.reportId));
  const dir = join(base, `memalot_report_${writer.reportId}`);
  assert.deepEqual(readdirSync(dir).sort(), ['iteration_report_1.json', 'summary.json', 'version']);
  assert.equal(readFileSync(join(dir, 'version'), 'utf8'), '1\n');
  const summary = reportSummarySchema.parse(JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')));
  assert.equal(summary.reportId, writer.reportId);
  assert.equal(summary.version, 1);
  iterationReportSchema.parse(JSON.parse(readFileSync(join(dir, 'iteration_report_1.json'), 'utf8')));
});

test('the schemas reject what the contract forbids', () => {
  assert.throws(() => iterationReportSchema.parse({ ...iteration('../x'), reportId: '../x' }));
  assert.throws(() => iterationReportSchema.parse({ ...iteration('abcd-efgh'), iterationNumber: 0 }));
  assert.throws(() => iterationReportSchema.parse({ ...iteration('abcd-efgh'), startTime: 'yesterday' }));
});

test('the published JSON Schemas in schema/ match the zod schemas (npm run schema)', () => {
  for (const [name, schema] of Object.entries(jsonSchemas())) {
    const published: unknown = JSON.parse(readFileSync(join(packageRoot, 'schema', name), 'utf8'));
    assert.deepEqual(published, schema, `schema/${name} is out of date: run npm run schema`);
  }
});
