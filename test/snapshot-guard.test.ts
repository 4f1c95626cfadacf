// A heap snapshot takes native memory many times the heap: memalot skips one that would not
// fit rather than run the program out of memory.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { availableMemory, SNAPSHOT_BYTES_PER_OBJECT, snapshotWouldNotFit } from '../lib/monitor/epoch-scan.js';
import { renderBody } from '../lib/report/render.js';
import { makeStyle } from '../lib/report/style.js';

test('a snapshot that fits comfortably is taken', () => {
  assert.equal(snapshotWouldNotFit(1_000_000, 10 * 1_000_000 * SNAPSHOT_BYTES_PER_OBJECT), undefined);
});

test('a snapshot that would not fit is refused with the figures', () => {
  const reason = snapshotWouldNotFit(2_000_000, 500 * 2 ** 20);
  assert.ok(reason);
  assert.match(reason, /a heap snapshot of 2000000 objects needs about 1240 MiB and only 500 MiB is available/);
});

test('available memory is a real, positive figure on this machine', () => {
  const available = availableMemory();
  assert.ok(available > 0 && Number.isFinite(available));
});

test('a skipped iteration says so in the report', () => {
  const text = renderBody(
    {
      reportId: 'abcd-efgh',
      iterationNumber: 3,
      kind: 'leaks',
      startTime: '2026-01-01T00:00:00.000Z',
      endTime: '2026-01-01T00:00:01.000Z',
      memoryUsage: { rssBytes: 1, heapUsedBytes: 1, rssChangeBytes: 0, heapUsedChangeBytes: 0, peakRssBytes: 1, systemMemoryBytes: 2 },
      leakSummary: { typeSummaries: [], maxTypesInSummary: 500, totalTypes: 0 },
      objectDetails: [],
      scan: {
        createdAfter: '2026-01-01T00:00:00.000Z', createdBefore: '2026-01-01T00:00:00.500Z', afterObjectId: 1, upToObjectId: 3,
        survivingObjects: 10, survivingBytes: 100, snapshotTaken: false, snapshotNodes: null, snapshotSkipped: 'too big', durationMs: 1,
      },
    },
    { style: makeStyle(false) },
  );
  assert.equal(text, "Memalot could not check this iteration's objects: too big.");
});
