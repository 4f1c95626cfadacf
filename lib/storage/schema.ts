// The saved report format: the contract that the CLI, the MCP server and other tools read.
// These zod schemas are the single source: the published JSON Schemas in schema/ are generated
// from them (npm run schema) and a test fails when the two differ.
import * as z from 'zod';

import { REPORT_ID_PATTERN, STORAGE_FORMAT_VERSION } from './format.js';

export { REPORT_ID_PATTERN, STORAGE_FORMAT_VERSION };

const reportId = z.string().regex(REPORT_ID_PATTERN).describe('4 characters of [a-z0-9], a hyphen, 4 more');
const isoTime = z.iso.datetime().describe('ISO 8601, UTC');
const bytes = z.number().int().nonnegative();

export const allocationFrameSchema = z.object({
  functionName: z.string().describe('"" for an anonymous function or a module\'s top level'),
  file: z.string().describe('the script, relative to the working directory as type names are; "" when V8 has none'),
  line: z.number().int().describe('1-based line where the function starts (V8 records functions, not positions in them); 0 when unknown'),
  column: z.number().int().describe('1-based column where the function starts; 0 when unknown'),
});

export const allocationSiteSchema = z.object({
  frames: z.array(allocationFrameSchema).describe('the allocating function first, then its callers (a few)'),
  source: z
    .object({
      line: z.number().int().positive().describe('the line shown: the one in the allocating function that names the type (as `new Type(`), else the function\'s first line'),
      text: z.string().describe('that line of the source file, trimmed and shortened when long'),
    })
    .optional()
    .describe('present when the source file was readable (files under node_modules only with sourceLinesFromNodeModules)'),
  samples: z.number().int().positive().describe("V8's allocation samples of this site and size that were alive"),
  estimatedObjects: z.number().int().nonnegative().describe('the objects those samples stand for (V8 scales each sample by the chance it was taken), at most the count of their type'),
  estimatedBytes: bytes,
});

export const typeSummarySchema = z.object({
  objectType: z.string().describe('e.g. "src/session.js:Session", "Map", "string"'),
  count: z.number().int().positive(),
  shallowSizeBytes: bytes.optional().describe('present when computeSizeInLeakSummary is on'),
  retainedSizeBytes: bytes
    .optional()
    .describe('what the objects of this type keep alive together (each byte counted once); present when object details were computed'),
  allocationSites: z
    .array(allocationSiteSchema)
    .optional()
    .describe('where objects of this type (matched to samples by size) were allocated: sites whose source line allocates the type (`new Type`) first, then the commonest; present with captureAllocationSites'),
});

export const leakSchema = z.object({
  objectType: z.string().describe('the type of the objects that hold the leak (the heads of its groups)'),
  count: z.number().int().positive().describe('objects of that type that each keep a group alive'),
  retainedSizeBytes: bytes.describe('what those objects keep alive together, each byte counted once'),
  contents: z
    .array(z.object({ objectType: z.string(), count: z.number().int().positive() }))
    .describe('the other survivors kept alive only through them, per type, most common first'),
  allocationSites: z
    .array(allocationSiteSchema)
    .optional()
    .describe("where the leak's objects (its holders' type and what they carry) were allocated, commonest first; present with captureAllocationSites"),
});

export const memoryUsageSchema = z.object({
  rssBytes: bytes.describe("the process's, memalot's own included (see memalot)"),
  heapUsedBytes: bytes,
  rssChangeBytes: z.number().int().nullable().describe('since the previous iteration (of the program\'s figure, when memalot is given); null in the first'),
  heapUsedChangeBytes: z.number().int().nullable(),
  peakRssBytes: bytes,
  systemMemoryBytes: bytes,
  memalot: z
    .object({
      rssBytes: bytes.describe("RSS that memalot's earlier reports left behind (each report's RSS right after its work, less right before it), added up"),
      heapUsedBytes: bytes.describe('V8 heap that they left behind, measured the same way'),
    })
    .optional()
    .describe("memalot's own share of rssBytes and heapUsedBytes, which are the process's right before this report's work began; the program's are the difference"),
});

export const referrerNodeSchema = z.object({
  id: z.string().describe('unique within its graph'),
  name: z.string().describe('what the node is: an object ("Map (object)"), how it holds its referent ("Map value for key \\"sess-42\\""), a root, or a limit that stopped the search'),
  objectId: z.number().int().nullable().describe('the heap object ID of the object (or of the holder, for a label); null for limit nodes'),
  referentIds: z.array(z.string()).describe('the nodes this one refers to: towards the target'),
});

export const objectDetailsSchema = z.object({
  objectTypeName: z.string(),
  objectId: z.number().int(),
  objectStr: z.string().nullable(),
  retainedSizeBytes: bytes.nullable(),
  referrerGraph: z
    .object({
      targetIds: z.array(z.string()).describe('the detailed object'),
      rootIds: z.array(z.string()).describe('nodes where a path ends at something always alive: a GC root, a global, a module variable'),
      nodes: z.array(referrerNodeSchema).describe("a node's referrers appear in the order to show them: shortest path to a root first"),
    })
    .nullable()
    .describe('null when referrers were not checked or the object was gone'),
  referrersChecked: z.boolean(),
});

export const filteredOutSchema = z
  .object({
    objects: z.number().int().positive().describe('surviving objects of named types that the filters left out of typeSummaries'),
    types: z.number().int().positive().describe('how many types those objects are of'),
    includedTypeNames: z.array(z.string()).describe('the includedTypeNames in force (empty: all types)'),
    excludedTypeNames: z.array(z.string()).describe('the excludedTypeNames in force'),
  })
  .describe('present when includedTypeNames or excludedTypeNames left survivors out: a summary with no rows then does not mean that nothing survived');

export const epochScanSchema = z
  .object({
    createdAfter: isoTime.describe('the objects examined were created after this time...'),
    createdBefore: isoTime.describe('...and before this one'),
    afterObjectId: z.number().int().nonnegative().describe('the epoch is the heap object IDs in (afterObjectId, upToObjectId]'),
    upToObjectId: z.number().int().nonnegative(),
    survivingObjects: z.number().int().nonnegative().describe('all heap objects of the epoch still alive, V8 internals included'),
    survivingBytes: bytes,
    snapshotTaken: z.boolean().describe('false when nothing survived: no heap snapshot was needed'),
    snapshotNodes: z.number().int().nonnegative().nullable(),
    snapshotSkipped: z.string().optional().describe('why no snapshot was taken although objects survived (too little memory)'),
    objectWalk: z
      .object({
        unnamedObjects: z
          .number()
          .int()
          .nonnegative()
          .describe('survivors that no row names: strings, numbers and V8\'s own objects, which only a snapshot tells apart'),
      })
      .optional()
      .describe(
        'present when the summary came from one walk of the JavaScript objects instead of a heap snapshot (time-based, maxObjectDetails: 0, summaryFromSnapshot: false); its rows may include objects that only Node\'s own modules hold',
      ),
    durationMs: z.number().nonnegative(),
  })
  .describe('how this iteration examined its epoch; absent in warm-up iterations');

export const functionCallsSchema = z
  .object({
    functionName: z.string(),
    calls: z.number().int().positive().describe('monitored calls since the previous iteration'),
    followedCalls: z.number().int().nonnegative().describe('the calls whose objects are examined (more than one when calls overlapped; 0 in a warm-up)'),
    overlapped: z.boolean().describe('calls overlapped (an async call began before another ended, or one was made from within another)'),
  })
  .describe('function-based monitoring only');

export const threadSchema = z
  .object({
    kind: z.enum(['main', 'worker']),
    threadId: z.number().int().nonnegative().describe("worker_threads.threadId: 0 on the main thread"),
    name: z.string().optional().describe("the worker's name (new Worker(..., { name })), where Node.js tells it"),
  })
  .describe('the thread the monitor ran on; absent in reports saved before memalot said it');

export const iterationReportSchema = z.object({
  reportId,
  iterationNumber: z.number().int().positive(),
  kind: z.enum(['warmup', 'leaks']),
  startTime: isoTime,
  endTime: isoTime,
  memoryUsage: memoryUsageSchema,
  leakSummary: z.object({
    typeSummaries: z.array(typeSummarySchema).describe('most common first'),
    maxTypesInSummary: z.number().int().positive(),
    totalTypes: z.number().int().nonnegative().describe('types found before the cut to maxTypesInSummary'),
    leaks: z
      .array(leakSchema)
      .optional()
      .describe(
        'the survivors grouped by the survivor that keeps them alive (it dominates them), largest first; present when object details were computed',
      ),
    filteredOut: filteredOutSchema.optional(),
  }),
  objectDetails: z.array(objectDetailsSchema),
  scan: epochScanSchema.optional(),
  functionCalls: functionCallsSchema.optional(),
  detailsCutShort: z
    .object({
      maxReportPause: z.number().positive().describe('the cap in force, in seconds'),
      objectsLeftOut: z.number().int().positive().describe('objects chosen for details that were not detailed'),
    })
    .optional()
    .describe('present when the report reached maxReportPause before all its object details were computed'),
  thread: threadSchema.optional(),
});

/**
 * The parts of an iteration that a trend across iterations needs: a reader that validates only
 * these keeps only these (zod drops the rest), so a trend over thousands of iterations holds
 * their summaries, not their details.
 */
export const iterationTrendPartsSchema = iterationReportSchema.pick({ reportId: true, iterationNumber: true, kind: true }).extend({
  leakSummary: iterationReportSchema.shape.leakSummary.pick({ typeSummaries: true, totalTypes: true }),
  scan: epochScanSchema.pick({ snapshotSkipped: true }).optional(),
});

export const reportSummarySchema = z.object({
  reportId,
  version: z.literal(STORAGE_FORMAT_VERSION),
  mode: z.enum(['time', 'function']),
  functionName: z.string().optional().describe('function-based monitoring: the monitored function'),
  entrypoint: z.string(),
  arguments: z.array(z.string()),
  startTime: isoTime,
  options: z.record(z.string(), z.unknown()),
  nodeVersion: z.string(),
  memalotVersion: z.string(),
  pid: z.number().int(),
  hostname: z.string(),
  thread: threadSchema.optional(),
});

export type TypeSummary = z.infer<typeof typeSummarySchema>;
export type ThreadInfo = z.infer<typeof threadSchema>;
export type IterationTrendParts = z.infer<typeof iterationTrendPartsSchema>;
export type Leak = z.infer<typeof leakSchema>;
export type AllocationSite = z.infer<typeof allocationSiteSchema>;
export type AllocationFrame = z.infer<typeof allocationFrameSchema>;
export type MemoryUsage = z.infer<typeof memoryUsageSchema>;
export type ObjectDetails = z.infer<typeof objectDetailsSchema>;
export type EpochScan = z.infer<typeof epochScanSchema>;
export type FilteredOut = z.infer<typeof filteredOutSchema>;
export type FunctionCalls = z.infer<typeof functionCallsSchema>;
export type IterationReport = z.infer<typeof iterationReportSchema>;
export type ReportSummary = z.infer<typeof reportSummarySchema>;

/** The JSON Schemas published in schema/. */
export function jsonSchemas(): Record<string, unknown> {
  return {
    'iteration-report.schema.json': z.toJSONSchema(iterationReportSchema, { target: 'draft-2020-12' }),
    'summary.schema.json': z.toJSONSchema(reportSummarySchema, { target: 'draft-2020-12' }),
  };
}
