// Unit tests of the object details box (retained size, referrer tree, string form) and of the
// Retained Size column of the summary table, on hand-built (schema-valid) details.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderIteration } from '../lib/report/render.js';
import { MAX_TREE_LINES, renderDetailsIntro, renderObjectDetails } from '../lib/report/render-details.js';
import { makeStyle, visibleLength } from '../lib/report/style.js';
import { iterationReportSchema, objectDetailsSchema, type IterationReport, type ObjectDetails } from '../lib/storage/schema.js';

const ESC = '\u001b';
const plain = makeStyle(false);

type Graph = NonNullable<ObjectDetails['referrerGraph']>;
type GraphNode = Graph['nodes'][number];

function node(id: string, name: string, objectId: number | null, referentIds: string[] = []): GraphNode {
  return { id, name, objectId, referentIds };
}

function details(graph: Graph | null, overrides: Partial<ObjectDetails> = {}): ObjectDetails {
  const made: ObjectDetails = {
    objectTypeName: 'src/session.js:Session',
    objectId: 4377469696,
    objectStr: "Session { id: 'sess-42' }",
    retainedSizeBytes: 1434,
    referrerGraph: graph,
    referrersChecked: true,
    ...overrides,
  };
  assert.deepEqual(objectDetailsSchema.parse(made), made, 'hand-built details are schema-valid');
  return made;
}

/** The lines inside the box, without its borders and padding. */
function inside(box: string): string[] {
  const lines = box.split('\n');
  return lines.slice(1, -1).map((line) => line.replace(/^│ /, '').replace(/ │$/, '').trimEnd());
}

/** The referrer tree (or the message in its place): the lines between the two blank lines. */
function treeOf(graph: Graph | null, overrides: Partial<ObjectDetails> = {}): string[] {
  const lines = inside(renderObjectDetails(details(graph, overrides), plain));
  const first = lines.indexOf('');
  const last = lines.lastIndexOf('');
  return lines.slice(first + 1, last);
}

function strip(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;]*m/g, '');
}

function withForcedColor<T>(fn: () => T): T {
  // styleText also looks at the environment; force it as test/render.test.ts does.
  const saved = { FORCE_COLOR: process.env['FORCE_COLOR'], NO_COLOR: process.env['NO_COLOR'] };
  process.env['FORCE_COLOR'] = '1';
  delete process.env['NO_COLOR'];
  try {
    return fn();
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Hand-built graphs. Node order matters: a node's referrers are drawn in the order of `nodes`.

/** The shape of the Python tool's example. */
const pythonExample: Graph = {
  targetIds: ['t'],
  rootIds: ['local'],
  nodes: [
    node('t', 'Session (object)', 4377469696),
    node('index', 'Array index 1', 4377882112, ['t']),
    node('array', 'Array (object)', 4377882112, ['index']),
    node('prop', 'Cache.list (property)', 4334983152, ['array']),
    node('cache', 'Cache (object)', 4334983152, ['prop']),
    node('local', 'createLeaks.cache (local)', 4334983152, ['cache']),
    node('tuple', 'Array index 0', 4333183728, ['cache']),
  ],
};

const chain: Graph = {
  targetIds: ['t'],
  rootIds: ['g'],
  nodes: [
    node('t', 'Session (object)', 10),
    node('v', 'Map value for key "sess-42"', 11, ['t']),
    node('m', 'Map (object)', 11, ['v']),
    node('g', 'sessions (module variable of src/store.js)', 12, ['m']),
  ],
};

/** Two referrers of the target, each on its own path to a root; the shorter path first. */
const fanOut: Graph = {
  targetIds: ['t'],
  rootIds: ['g1', 'g2'],
  nodes: [
    node('t', 'Session (object)', 10),
    node('p1', 'Request.session (property)', 20, ['t']),
    node('p2', 'Array index 3', 30, ['t']),
    node('g1', 'currentRequest (global)', 20, ['p1']),
    node('a', 'Array (object)', 30, ['p2']),
    node('g2', 'history (module variable of src/log.js)', 30, ['a']),
  ],
};

/** a refers to t and b, b refers to a: a cycle a ⇄ b, held by a root. */
const cycle: Graph = {
  targetIds: ['t'],
  rootIds: ['r'],
  nodes: [
    node('t', 'Session (object)', 10),
    node('a', 'Node.next (property)', 20, ['t', 'b']),
    node('b', 'Node.prev (property)', 30, ['a']),
    node('r', 'head (global)', 30, ['b']),
  ],
};

/** Two paths to the target through one shared node: the second time it is not expanded. */
const diamond: Graph = {
  targetIds: ['t'],
  rootIds: ['r'],
  nodes: [
    node('t', 'Session (object)', 10),
    node('p1', 'Map value for key "a"', 20, ['t']),
    node('p2', 'Map value for key "b"', 20, ['t']),
    node('m', 'Map (object)', 20, ['p1', 'p2']),
    node('r', 'registry (global)', 20, ['m']),
  ],
};

const limits: Graph = {
  targetIds: ['t'],
  rootIds: [],
  nodes: [
    node('t', 'Session (object)', 10),
    node('a', 'Array index 0', 20, ['t']),
    node('depth', 'Maximum depth of 50 exceeded', null, ['a']),
    node('count', 'Referrer limit of 100 exceeded with 250 referrers.', null, ['t']),
    node('time', 'Timeout of 300 seconds exceeded (after 300.2 seconds)', null, ['t']),
  ],
};

/** A chain of `length` nodes: n0 (the target) ← n1 ← ... */
function longChain(length: number): Graph {
  return {
    targetIds: ['n0'],
    rootIds: [`n${length - 1}`],
    nodes: Array.from({ length }, (_, i) => node(`n${i}`, `Holder ${i}`, 1000 + i, i === 0 ? [] : [`n${i - 1}`])),
  };
}

/** A target with `width` direct referrers. */
function wideFan(width: number): Graph {
  return {
    targetIds: ['t'],
    rootIds: [],
    nodes: [node('t', 'Session (object)', 10), ...Array.from({ length: width }, (_, i) => node(`r${i}`, `Array index ${i}`, 20, ['t']))],
  };
}

const ALL_GRAPHS: readonly [string, Graph][] = [
  ['Python example', pythonExample],
  ['chain', chain],
  ['fan-out', fanOut],
  ['cycle', cycle],
  ['diamond', diamond],
  ['limits', limits],
  ['long chain', longChain(300)],
];

// ---------------------------------------------------------------------------------------------

describe('renderDetailsIntro', () => {
  it('says that details are being generated', () => {
    assert.equal(renderDetailsIntro(plain), 'Memalot is generating object details. This may take some time...');
  });
});

describe('renderObjectDetails: the box', () => {
  it('renders the whole box', () => {
    assert.equal(
      renderObjectDetails(details(chain), plain),
      [
        '╭─ Details for src/session.js:Session (id=4377469696) ──────────────────────╮',
        '│ Retained size: ~1.4 KiB                                                   │',
        '│                                                                           │',
        '│ ╙── Session (object) (id=10)                                              │',
        '│     └── Map value for key "sess-42" (id=11)                               │',
        '│         └── Map (object) (id=11)                                          │',
        '│             └── sessions (module variable of src/store.js) (id=12) (root) │',
        '│                                                                           │',
        '│ String representation:                                                    │',
        "│ Session { id: 'sess-42' }                                                 │",
        '╰───────────────────────────────────────────────────────────────────────────╯',
      ].join('\n'),
    );
  });

  it('says when the retained size is unknown', () => {
    assert.equal(inside(renderObjectDetails(details(chain, { retainedSizeBytes: null }), plain))[0], 'Retained size: unknown');
    assert.equal(inside(renderObjectDetails(details(chain, { retainedSizeBytes: 3 * 1024 * 1024 }), plain))[0], 'Retained size: ~3 MiB');
  });

  it('says when the string form is not available', () => {
    assert.equal(inside(renderObjectDetails(details(chain, { objectStr: null }), plain)).at(-1), '<not available>');
  });

  it('keeps the lines of a multi-line string form, tabs as spaces', () => {
    const lines = inside(renderObjectDetails(details(chain, { objectStr: 'first\r\nsecond\n\tthird' }), plain));
    assert.deepEqual(lines.slice(-4), ['String representation:', 'first', 'second', '    third']);
  });

  it('escapes control characters from the program, which would break the box or the terminal', () => {
    const graph: Graph = {
      targetIds: ['t'],
      rootIds: [],
      nodes: [node('t', 'Session (object)', 10), node('k', 'Map value for key "a\nb\u001b[31m"', 20, ['t'])],
    };
    const box = renderObjectDetails(details(graph, { objectTypeName: 'Odd\u0007Type', objectStr: 'red \u001b[31mtext\u009b' }), plain);
    assert.ok(!box.includes(ESC) && !box.includes('\u0007') && !box.includes('\u009b'), box);
    assert.match(box, /Details for Odd\\x07Type/);
    assert.match(box, /└── Map value for key "a\\nb\\x1b\[31m" \(id=20\)/);
    assert.match(box, /red \\x1b\[31mtext\\x9b/);
  });

  it('draws every line of the box equally wide, with colours or without', () => {
    withForcedColor(() => {
      for (const colors of [false, true]) {
        for (const [name, graph] of ALL_GRAPHS) {
          const lines = renderObjectDetails(details(graph), makeStyle(colors)).split('\n');
          const widths = new Set(lines.map(visibleLength));
          assert.equal(widths.size, 1, `${name}, colours ${colors}: widths ${[...widths].join(', ')}`);
        }
      }
    });
  });

  it('renders no escape codes without colours', () => {
    for (const [name, graph] of ALL_GRAPHS) {
      assert.ok(!renderObjectDetails(details(graph), plain).includes(ESC), name);
    }
    assert.ok(!renderDetailsIntro(plain).includes(ESC));
  });

  it('renders escape codes with colours, and the same text once they are removed', () => {
    withForcedColor(() => {
      for (const [name, graph] of ALL_GRAPHS) {
        const colored = renderObjectDetails(details(graph), makeStyle(true));
        assert.ok(colored.includes(`${ESC}[`), name);
        assert.equal(strip(colored), renderObjectDetails(details(graph), plain), name);
      }
      assert.ok(renderDetailsIntro(makeStyle(true)).includes(`${ESC}[`));
    });
  });

  it('dims limit nodes', () => {
    withForcedColor(() => {
      const lines = renderObjectDetails(details(limits), makeStyle(true)).split('\n');
      const limitLine = lines.find((line) => line.includes('Maximum depth'));
      assert.ok(limitLine?.includes(`${ESC}[2mMaximum depth of 50 exceeded`), limitLine);
      const objectLine = lines.find((line) => line.includes('Array index 0'));
      assert.ok(objectLine?.includes('── Array index 0'), 'object nodes are not dimmed');
    });
  });
});

describe('renderObjectDetails: the referrer tree', () => {
  it("draws the Python tool's example", () => {
    assert.deepEqual(treeOf(pythonExample), [
      '╙── Session (object) (id=4377469696)',
      '    └── Array index 1 (id=4377882112)',
      '        └── Array (object) (id=4377882112)',
      '            └── Cache.list (property) (id=4334983152)',
      '                └── Cache (object) (id=4334983152)',
      '                    ├── createLeaks.cache (local) (id=4334983152) (root)',
      '                    └── Array index 0 (id=4333183728)',
    ]);
  });

  it('draws a fan-out with two paths to roots, in the order of the nodes', () => {
    assert.deepEqual(treeOf(fanOut), [
      '╙── Session (object) (id=10)',
      '    ├── Request.session (property) (id=20)',
      '    │   └── currentRequest (global) (id=20) (root)',
      '    └── Array index 3 (id=30)',
      '        └── Array (object) (id=30)',
      '            └── history (module variable of src/log.js) (id=30) (root)',
    ]);
  });

  it('marks a node that refers to itself through a cycle, without expanding it again', () => {
    assert.deepEqual(treeOf(cycle), [
      '╙── Session (object) (id=10)',
      '    └── Node.next (property) (id=20)',
      '        └── Node.prev (property) (id=30)',
      '            ├── Node.next (property) (id=20) (cycle member)',
      '            └── head (global) (id=30) (root)',
    ]);
  });

  it('marks a self-referring node as a cycle member', () => {
    const graph: Graph = {
      targetIds: ['t'],
      rootIds: [],
      nodes: [node('t', 'Session (object)', 10), node('s', 'Session.self (property)', 10, ['t', 's'])],
    };
    assert.deepEqual(treeOf(graph), [
      '╙── Session (object) (id=10)',
      '    └── Session.self (property) (id=10)',
      '        └── Session.self (property) (id=10) (cycle member)',
    ]);
  });

  it('draws a node reached a second time once more, not expanded, as "see above"', () => {
    assert.deepEqual(treeOf(diamond), [
      '╙── Session (object) (id=10)',
      '    ├── Map value for key "a" (id=20)',
      '    │   └── Map (object) (id=20)',
      '    │       └── registry (global) (id=20) (root)',
      '    └── Map value for key "b" (id=20)',
      '        └── Map (object) (id=20) (see above)',
    ]);
  });

  it('draws limit nodes like other nodes, without an ID', () => {
    assert.deepEqual(treeOf(limits), [
      '╙── Session (object) (id=10)',
      '    ├── Array index 0 (id=20)',
      '    │   └── Maximum depth of 50 exceeded',
      '    ├── Referrer limit of 100 exceeded with 250 referrers.',
      '    └── Timeout of 300 seconds exceeded (after 300.2 seconds)',
    ]);
  });

  it('draws each target, sharing what was drawn', () => {
    const graph: Graph = {
      targetIds: ['t1', 't2'],
      rootIds: ['r'],
      nodes: [
        node('t1', 'Session (object)', 10),
        node('t2', 'Session (object)', 11),
        node('m', 'Array (object)', 20, ['t1', 't2']),
        node('r', 'all (global)', 20, ['m']),
      ],
    };
    assert.deepEqual(treeOf(graph), [
      '╙── Session (object) (id=10)',
      '    └── Array (object) (id=20)',
      '        └── all (global) (id=20) (root)',
      '╙── Session (object) (id=11)',
      '    └── Array (object) (id=20) (see above)',
    ]);
  });

  it('ignores repeated referent IDs and referents that are not in the graph', () => {
    const graph: Graph = {
      targetIds: ['t'],
      rootIds: [],
      nodes: [node('t', 'Session (object)', 10), node('a', 'Array index 0', 20, ['t', 't', 'elsewhere'])],
    };
    assert.deepEqual(treeOf(graph), ['╙── Session (object) (id=10)', '    └── Array index 0 (id=20)']);
  });

  it(`cuts a long chain after ${MAX_TREE_LINES} lines`, () => {
    const tree = treeOf(longChain(300));
    assert.equal(tree.length, MAX_TREE_LINES + 1);
    assert.equal(tree[0], '╙── Holder 0 (id=1000)');
    assert.equal(tree[1], '    └── Holder 1 (id=1001)');
    assert.equal(tree[MAX_TREE_LINES - 1], `${' '.repeat(4 * (MAX_TREE_LINES - 1))}└── Holder 199 (id=1199)`);
    assert.equal(tree[MAX_TREE_LINES], '… 100 more nodes not shown (see the saved report)');
  });

  it('cuts a wide fan-out, counting what is not shown', () => {
    const tree = treeOf(wideFan(500));
    assert.equal(tree.length, MAX_TREE_LINES + 1);
    assert.equal(tree[1], '    ├── Array index 0 (id=20)');
    assert.equal(tree[MAX_TREE_LINES - 1], '    ├── Array index 198 (id=20)');
    assert.equal(tree[MAX_TREE_LINES], '… 301 more nodes not shown (see the saved report)');
  });

  it('says "node" for one node not shown, and cuts nothing at the limit', () => {
    assert.equal(treeOf(wideFan(MAX_TREE_LINES)).at(-1), '… 1 more node not shown (see the saved report)');
    const exact = treeOf(wideFan(MAX_TREE_LINES - 1));
    assert.equal(exact.length, MAX_TREE_LINES);
    assert.equal(exact.at(-1), `    └── Array index ${MAX_TREE_LINES - 2} (id=20)`);
  });

  it('draws a very deep graph without overflowing the stack', () => {
    const tree = treeOf(longChain(50_000));
    assert.equal(tree.at(-1), '… 49800 more nodes not shown (see the saved report)');
  });
});

describe('renderObjectDetails: instead of a tree', () => {
  it('says when referrers were not checked', () => {
    assert.deepEqual(treeOf(null, { referrersChecked: false }), ['Referrers were not checked (checkReferrers is false)']);
  });

  it('says when the object was gone before its referrers were searched', () => {
    assert.deepEqual(treeOf(null), ['The object was no longer alive when its referrers were searched']);
  });

  it('says when no referrers were found', () => {
    assert.deepEqual(treeOf({ targetIds: ['t'], rootIds: [], nodes: [node('t', 'Session (object)', 10)] }), ['No referrers found']);
    assert.deepEqual(treeOf({ targetIds: ['gone'], rootIds: [], nodes: [node('t', 'Session (object)', 10)] }), ['No referrers found']);
    assert.deepEqual(treeOf({ targetIds: [], rootIds: [], nodes: [] }), ['No referrers found']);
  });
});

// ---------------------------------------------------------------------------------------------

describe('the summary table with retained sizes', () => {
  function report(typeSummaries: IterationReport['leakSummary']['typeSummaries']): IterationReport {
    const made: IterationReport = {
      reportId: 'ab12-cd34',
      iterationNumber: 3,
      kind: 'leaks',
      startTime: '2024-05-01T12:00:00.000Z',
      endTime: '2024-05-01T12:01:00.000Z',
      memoryUsage: {
        rssBytes: 100 * 1024 * 1024,
        heapUsedBytes: 50 * 1024 * 1024,
        rssChangeBytes: null,
        heapUsedChangeBytes: null,
        peakRssBytes: 120 * 1024 * 1024,
        systemMemoryBytes: 16 * 1024 ** 3,
      },
      leakSummary: { typeSummaries, maxTypesInSummary: 500, totalTypes: typeSummaries.length },
      objectDetails: [],
    };
    assert.deepEqual(iterationReportSchema.parse(made), made);
    return made;
  }

  function tableLines(r: IterationReport): string[] {
    return (renderIteration(r, { style: plain })[1] ?? '').split('\n').filter((line) => /^[┏┃┡│└]/.test(line));
  }

  it('adds a Retained Size column after Count', () => {
    const lines = tableLines(report([{ objectType: 'Session', count: 42, retainedSizeBytes: 1536 }, { objectType: 'Map', count: 7 }]));
    assert.deepEqual(lines, [
      '┏━━━━━━━━━━━━━┳━━━━━━━┳━━━━━━━━━━━━━━━┓',
      '┃ Object Type ┃ Count ┃ Retained Size ┃',
      '┡━━━━━━━━━━━━━╇━━━━━━━╇━━━━━━━━━━━━━━━┩',
      '│ Session     │    42 │       1.5 KiB │',
      '│ Map         │     7 │               │',
      '└─────────────┴───────┴───────────────┘',
    ]);
  });

  it('puts Retained Size after Shallow Size when both are present', () => {
    const lines = tableLines(report([{ objectType: 'Session', count: 42, shallowSizeBytes: 2048, retainedSizeBytes: 10 * 1024 * 1024 }]));
    assert.equal(lines[1], '┃ Object Type ┃ Count ┃ Shallow Size ┃ Retained Size ┃');
    assert.equal(lines[3], '│ Session     │    42 │        2 KiB │        10 MiB │');
  });

  it('shows no Retained Size column when no type has one', () => {
    const lines = tableLines(report([{ objectType: 'Session', count: 42, shallowSizeBytes: 2048 }]));
    assert.equal(lines[1], '┃ Object Type ┃ Count ┃ Shallow Size ┃');
  });
});
