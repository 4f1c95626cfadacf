// Unit tests of the report text: number formats, the colour decision and the rendering of
// hand-made (schema-valid) iteration reports.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatBytes, formatSeconds, formatSignedBytes } from '../lib/report/format.js';
import { colorsEnabled } from '../lib/report/output.js';
import { renderIteration, type RenderContext } from '../lib/report/render.js';
import { makeStyle, visibleLength } from '../lib/report/style.js';
import { iterationReportSchema, type IterationReport, type TypeSummary } from '../lib/storage/schema.js';

const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;
const ESC = '\u001b';

const plain: RenderContext = { style: makeStyle(false) };

/** Runs `fn` with environment variables set (undefined: removed), then restores them. */
function withEnv<T>(vars: Record<string, string | undefined>, fn: () => T): T {
  const saved = Object.fromEntries(Object.keys(vars).map((key) => [key, process.env[key]]));
  const apply = (values: Record<string, string | undefined>) => {
    for (const [key, value] of Object.entries(values)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
  apply(vars);
  try {
    return fn();
  } finally {
    apply(saved);
  }
}

function strip(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;]*m/g, '');
}

// ---------------------------------------------------------------------------------------------
// Hand-made reports

const SCAN = {
  createdAfter: '2024-05-01T12:00:00.000Z',
  createdBefore: '2024-05-01T12:01:00.000Z',
  afterObjectId: 1000,
  upToObjectId: 5000,
  survivingObjects: 120,
  survivingBytes: 9600,
  snapshotTaken: true,
  snapshotNodes: 54321,
  durationMs: 12.5,
};

function makeReport(overrides: Partial<IterationReport> & Pick<IterationReport, 'kind'>): IterationReport {
  return {
    reportId: 'ab12-cd34',
    iterationNumber: 1,
    startTime: '2024-05-01T12:00:00.000Z',
    endTime: '2024-05-01T12:01:00.000Z',
    memoryUsage: {
      rssBytes: 100 * MiB,
      heapUsedBytes: 50 * MiB,
      rssChangeBytes: null,
      heapUsedChangeBytes: null,
      peakRssBytes: 120 * MiB,
      systemMemoryBytes: 16 * GiB,
    },
    leakSummary: { typeSummaries: [], maxTypesInSummary: 500, totalTypes: 0 },
    objectDetails: [],
    ...overrides,
  };
}

const warmup = makeReport({ kind: 'warmup' });

const noLeaks = makeReport({
  kind: 'leaks',
  iterationNumber: 2,
  memoryUsage: {
    rssBytes: 102 * MiB,
    heapUsedBytes: 49 * MiB,
    rssChangeBytes: 2 * MiB,
    heapUsedChangeBytes: -1 * MiB,
    peakRssBytes: 120 * MiB,
    systemMemoryBytes: 16 * GiB,
  },
  scan: SCAN,
});

const SUMMARIES: TypeSummary[] = [
  { objectType: 'src/session.js:Session', count: 42 },
  { objectType: 'Map', count: 7 },
  { objectType: 'string', count: 1234 },
];

const leaks = makeReport({
  kind: 'leaks',
  iterationNumber: 3,
  leakSummary: { typeSummaries: SUMMARIES, maxTypesInSummary: 500, totalTypes: 3 },
  scan: SCAN,
});

const leaksWithSize = makeReport({
  kind: 'leaks',
  iterationNumber: 4,
  leakSummary: {
    typeSummaries: [
      { objectType: 'src/session.js:Session', count: 42, shallowSizeBytes: 1536 },
      { objectType: 'Map', count: 7 },
    ],
    maxTypesInSummary: 500,
    totalTypes: 2,
  },
  scan: SCAN,
});

const truncated = makeReport({
  kind: 'leaks',
  iterationNumber: 5,
  leakSummary: { typeSummaries: SUMMARIES.slice(0, 2), maxTypesInSummary: 2, totalTypes: 1234 },
  scan: SCAN,
});

const ALL_REPORTS: readonly [string, IterationReport][] = [
  ['warm-up', warmup],
  ['no leaks', noLeaks],
  ['leaks', leaks],
  ['leaks with sizes', leaksWithSize],
  ['truncated', truncated],
];

function render(report: IterationReport, context: RenderContext = plain): [header: string, body: string, footer: string] {
  const blocks = renderIteration(report, context);
  assert.equal(blocks.length, 3, 'header, body and footer');
  const [header, body, footer] = blocks;
  assert.ok(header !== undefined && body !== undefined && footer !== undefined);
  return [header, body, footer];
}

function headerPanelLines(header: string): string[] {
  assert.ok(header.startsWith('\n\n'), 'the header starts with two blank lines');
  return header.slice(2).split('\n');
}

// ---------------------------------------------------------------------------------------------

describe('formatBytes', () => {
  it('shows whole bytes below 1 KiB', () => {
    assert.equal(formatBytes(0), '0 B');
    assert.equal(formatBytes(1), '1 B');
    assert.equal(formatBytes(1023), '1023 B');
  });

  it('uses binary units with three significant digits', () => {
    assert.equal(formatBytes(1024), '1 KiB');
    assert.equal(formatBytes(1536), '1.5 KiB');
    assert.equal(formatBytes(1263), '1.23 KiB');
    assert.equal(formatBytes(12643), '12.3 KiB');
    assert.equal(formatBytes(126430), '123 KiB');
    assert.equal(formatBytes(MiB), '1 MiB');
    assert.equal(formatBytes(100 * MiB), '100 MiB');
    assert.equal(formatBytes(1.5 * GiB), '1.5 GiB');
    assert.equal(formatBytes(3 * 1024 * GiB), '3 TiB');
  });

  it('stops at TiB', () => {
    assert.equal(formatBytes(1024 * 1024 * GiB), '1024 TiB');
  });

  it('keeps the sign of negative sizes', () => {
    assert.equal(formatBytes(-1536), '-1.5 KiB');
    assert.equal(formatBytes(-500), '-500 B');
    assert.equal(formatBytes(-2 * MiB), '-2 MiB');
  });

  it('does not show a rounded value as 1024 of the smaller unit', () => {
    assert.equal(formatBytes(MiB - 1), '1 MiB');
  });
});

describe('formatSignedBytes', () => {
  it('adds + to increases only', () => {
    assert.equal(formatSignedBytes(1536), '+1.5 KiB');
    assert.equal(formatSignedBytes(2 * MiB), '+2 MiB');
    assert.equal(formatSignedBytes(0), '0 B');
    assert.equal(formatSignedBytes(-1536), '-1.5 KiB');
  });
});

describe('formatSeconds', () => {
  it('shows seconds without needless decimals', () => {
    assert.equal(formatSeconds(0), '0 s');
    assert.equal(formatSeconds(1), '1 s');
    assert.equal(formatSeconds(2.5), '2.5 s');
    assert.equal(formatSeconds(90), '90 s');
  });

  it('keeps two decimals below 10 s and one above', () => {
    assert.equal(formatSeconds(0.1234), '0.12 s');
    assert.equal(formatSeconds(9.994), '9.99 s');
    assert.equal(formatSeconds(12.34), '12.3 s');
    assert.equal(formatSeconds(600.06), '600.1 s');
  });
});

describe('colorsEnabled', () => {
  it('follows the terminal when the environment says nothing', () => {
    assert.equal(colorsEnabled(true, true, {}), true);
    assert.equal(colorsEnabled(true, false, {}), false);
  });

  it('is off when the option is off, whatever the environment', () => {
    assert.equal(colorsEnabled(false, true, {}), false);
    assert.equal(colorsEnabled(false, true, { FORCE_COLOR: '1' }), false);
  });

  it('honours NO_COLOR when it is non-empty', () => {
    assert.equal(colorsEnabled(true, true, { NO_COLOR: '1' }), false);
    assert.equal(colorsEnabled(true, true, { NO_COLOR: 'anything' }), false);
    assert.equal(colorsEnabled(true, true, { NO_COLOR: '' }), true);
  });

  it('honours FORCE_COLOR', () => {
    assert.equal(colorsEnabled(true, false, { FORCE_COLOR: '1' }), true);
    assert.equal(colorsEnabled(true, false, { FORCE_COLOR: '3' }), true);
    assert.equal(colorsEnabled(true, false, { FORCE_COLOR: 'true' }), true);
    assert.equal(colorsEnabled(true, true, { FORCE_COLOR: '0' }), false);
    assert.equal(colorsEnabled(true, true, { FORCE_COLOR: 'false' }), false);
    assert.equal(colorsEnabled(true, true, { FORCE_COLOR: 'FALSE' }), false);
    // Empty: as if unset.
    assert.equal(colorsEnabled(true, true, { FORCE_COLOR: '' }), true);
    assert.equal(colorsEnabled(true, false, { FORCE_COLOR: '' }), false);
  });

  it('lets NO_COLOR win over FORCE_COLOR', () => {
    assert.equal(colorsEnabled(true, true, { NO_COLOR: '1', FORCE_COLOR: '1' }), false);
  });

  it('reads the env object given, not process.env', () => {
    withEnv({ NO_COLOR: '1', FORCE_COLOR: undefined }, () => {
      assert.equal(colorsEnabled(true, true, {}), true);
      assert.equal(colorsEnabled(true, true), false);
    });
  });
});

describe('the hand-made reports', () => {
  for (const [name, report] of ALL_REPORTS) {
    it(`${name}: passes the saved-report schema`, () => {
      assert.deepEqual(iterationReportSchema.parse(report), report);
    });
  }

  it('the schema is strict enough to reject a broken report', () => {
    assert.throws(() => iterationReportSchema.parse({ ...leaks, reportId: 'AB12-CD34' }));
    assert.throws(() => iterationReportSchema.parse({ ...leaks, kind: 'leak' }));
  });
});

describe('renderIteration', () => {
  it('renders a warm-up iteration', () => {
    const [header, body, footer] = render(warmup);
    assert.match(header, /Memalot Report \(iteration 1\)/);
    assert.equal(body, 'This is a warmup iteration. Reports will be available from the next iteration.');
    assert.equal(footer, 'End of Memalot Report (iteration 1)');
  });

  it('shows the report ID and memory in the header', () => {
    const lines = headerPanelLines(render(warmup)[0]);
    assert.equal(lines.length, 5, 'top border, three lines, bottom border');
    assert.match(lines[0] ?? '', /^╭─ Memalot Report \(iteration 1\) ─+╮$/);
    assert.match(lines[1] ?? '', /^│ Report ID: ab12-cd34 +│$/);
    assert.match(lines[2] ?? '', /^│ Memory used: 100 MiB RSS \/ 0\.61% sys; V8 heap 50 MiB +│$/);
    assert.match(lines[3] ?? '', /^│ Peak memory: 120 MiB RSS +│$/);
    assert.match(lines[4] ?? '', /^╰─+╯$/);
  });

  it('shows memory changes since the previous iteration', () => {
    const [header] = render(noLeaks);
    assert.match(header, /Memory used: 102 MiB RSS \(\+2 MiB\) \/ 0\.62% sys; V8 heap 49 MiB \(-1 MiB\)/);
  });

  it('renders an iteration without leaks', () => {
    const [header, body, footer] = render(noLeaks);
    assert.match(header, /Memalot Report \(iteration 2\)/);
    assert.match(header, /Report ID: ab12-cd34/);
    assert.equal(body, 'No leaks found during this iteration.\nNo object created between 12:00:00 and 12:01:00 UTC is still alive.');
    assert.doesNotMatch(body, /Possible New Leaks/);
    assert.equal(footer, 'End of Memalot Report (iteration 2)');
  });

  it('renders an iteration without leaks and without a scan', () => {
    const { scan: _scan, ...withoutScan } = noLeaks;
    const [, body] = render(withoutScan);
    assert.equal(body, 'No leaks found during this iteration.');
  });

  it('renders leaks as a table of types and counts', () => {
    const [header, body, footer] = render(leaks, { style: makeStyle(false), maxObjectLifetime: 60 });
    assert.match(header, /Memalot Report \(iteration 3\)/);
    assert.match(header, /Report ID: ab12-cd34/);
    assert.match(body, /Possible New Leaks \(iteration 3\)/);
    assert.doesNotMatch(body, /No leaks found/);
    const lines = body.split('\n');
    const headerRow = lines.find((l) => l.startsWith('┃'));
    assert.ok(headerRow !== undefined);
    assert.match(headerRow, /^┃ Object Type +┃ Count ┃$/);
    assert.doesNotMatch(body, /Shallow Size/);
    // Rows in the order given, counts right-aligned under "Count".
    const rows = lines.filter((l) => l.startsWith('│'));
    assert.equal(rows.length, 3);
    assert.match(rows[0] ?? '', /^│ src\/session\.js:Session │ +42 │$/);
    assert.match(rows[1] ?? '', /^│ Map +│ +7 │$/);
    assert.match(rows[2] ?? '', /^│ string +│ +1234 │$/);
    assert.doesNotMatch(body, /truncated/);
    assert.match(body, /1283 objects created between 12:00:00 and 12:01:00 UTC, at least 60 s ago, are still alive\./);
    assert.equal(footer, 'End of Memalot Report (iteration 3)');
  });

  it('draws the table with every line equally wide', () => {
    const [, body] = render(leaksWithSize);
    const tableLines = body.split('\n').filter((l) => /^[┏┃┡│└]/.test(l));
    assert.equal(tableLines.length, 2 + 2 + 2, 'two rules, the header, two rows, the bottom');
    const widths = new Set(tableLines.map(visibleLength));
    assert.equal(widths.size, 1, `widths: ${[...widths].join(', ')}`);
  });

  it('omits the lifetime from the explanation when it is not known', () => {
    const [, body] = render(leaks);
    assert.match(body, /1283 objects created between 12:00:00 and 12:01:00 UTC are still alive\./);
    assert.doesNotMatch(body, /at least/);
  });

  it('says "object" for a single object', () => {
    const one = makeReport({ ...leaks, kind: 'leaks', leakSummary: { typeSummaries: [{ objectType: 'Map', count: 1 }], maxTypesInSummary: 500, totalTypes: 1 } });
    assert.match(render(one)[1], /\n1 object created between/);
  });

  it('adds a Shallow Size column when sizes were computed', () => {
    const [, body] = render(leaksWithSize);
    assert.match(body, /Possible New Leaks \(iteration 4\)/);
    assert.match(body, /^┃ Object Type +┃ Count ┃ Shallow Size ┃$/m);
    assert.match(body, /^│ src\/session\.js:Session │ +42 │ +1\.5 KiB │$/m);
    // A type without a size gets an empty cell.
    assert.match(body, /^│ Map +│ +7 │ +│$/m);
  });

  it('says when the table was truncated', () => {
    const [, body] = render(truncated);
    assert.match(body, /Possible New Leaks \(iteration 5\)/);
    assert.equal(body.split('\n').filter((l) => l.startsWith('│')).length, 2);
    assert.match(body, /\(truncated to 2 entries; 1234 types in all\)/);
  });

  it('renders no escape codes without colours', () => {
    for (const [name, report] of ALL_REPORTS) {
      const text = renderIteration(report, { style: makeStyle(false), maxObjectLifetime: 60 }).join('\n');
      assert.ok(!text.includes(ESC), `${name}: ${JSON.stringify(text)}`);
    }
  });

  it('renders escape codes with colours, and the same text once they are removed', () => {
    // styleText also checks process.stdout, which is not a terminal under the test runner.
    withEnv({ FORCE_COLOR: '1', NO_COLOR: undefined }, () => {
      for (const [name, report] of ALL_REPORTS) {
        const colored = renderIteration(report, { style: makeStyle(true), maxObjectLifetime: 60 });
        const uncolored = renderIteration(report, { style: makeStyle(false), maxObjectLifetime: 60 });
        assert.ok(colored.join('\n').includes(`${ESC}[`), `${name}: no escape codes`);
        assert.deepEqual(colored.map(strip), uncolored, name);
      }
    });
  });

  it('colours with makeStyle(true) even when stdout is not a terminal', () => {
    withEnv({ FORCE_COLOR: undefined, NO_COLOR: undefined }, () => {
      assert.ok(makeStyle(true).bad('x').includes(ESC));
    });
  });

  it('draws a header panel whose lines all have the same visible width', () => {
    const big = makeReport({
      kind: 'leaks',
      iterationNumber: 123456,
      memoryUsage: {
        rssBytes: 3 * GiB + 12345,
        heapUsedBytes: 2 * GiB,
        rssChangeBytes: -123 * MiB,
        heapUsedChangeBytes: 1536,
        peakRssBytes: 4 * GiB,
        systemMemoryBytes: 64 * GiB,
      },
      leakSummary: { typeSummaries: SUMMARIES, maxTypesInSummary: 500, totalTypes: 3 },
      scan: SCAN,
    });
    iterationReportSchema.parse(big);
    withEnv({ FORCE_COLOR: '1', NO_COLOR: undefined }, () => {
      for (const colors of [false, true]) {
        for (const [name, report] of [...ALL_REPORTS, ['big', big] as const]) {
          const lines = headerPanelLines(render(report, { style: makeStyle(colors) })[0]);
          assert.equal(lines.length, 5);
          const widths = lines.map(visibleLength);
          assert.ok(widths.every((w) => w === widths[0]), `${name}, colours ${colors}: widths ${widths.join(', ')}`);
          // As wide as the longest line needs, not more.
          const longest = Math.max(...lines.slice(1, -1).map((l) => visibleLength(l.replace(/ +│$/, ' │'))));
          assert.equal(widths[0], Math.max(longest, visibleLength(`╭─ Memalot Report (iteration ${report.iterationNumber}) ─╮`)));
        }
      }
    });
  });
});

describe('table titles', () => {
  it('runs past a narrow table rather than being shortened, within the width given', async () => {
    const { table } = await import('../lib/report/render.js');
    const style = makeStyle(false);
    const title = 'Possible New Leaks (iteration 12)';
    const narrow = table(title, ['Object Type', 'Count'], [['Object', '22540']], ['left', 'right'], style, { width: 120 });
    assert.equal(narrow.split('\n')[0], title, 'the whole title, not "Possi…aks"');
    // Where the width itself is too small, the title is cut to it.
    const cramped = table(title, ['Object Type', 'Count'], [['Object', '22540']], ['left', 'right'], style, { width: 24 });
    const first = cramped.split('\n')[0]!;
    assert.ok(visibleLength(first) <= 24 && first.includes('…'), first);
  });
});
