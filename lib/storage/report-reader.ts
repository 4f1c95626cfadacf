// Reads saved reports back: the list of reports in a directory, one report's summary, and its
// iterations. Shared by the `memalot` command and the MCP server, so every failure is a
// ReportReadError whose message is one line that names the culprit and says what to do.
//
// Nothing from outside (a report ID typed by a person or sent by a client) reaches the file
// system before it matches REPORT_ID_PATTERN: "../x" is refused, never joined into a path.
import { lstatSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type * as z from 'zod';
import { defaultReportDirectory } from '../monitor/options.js';
import { nestsWithin, readBoundedText, UnreadableFile } from './bounded-read.js';
import { REPORT_DIR_PREFIX } from './report-writer.js';
import { setImmediate as nextTurn } from 'node:timers/promises';
import {
  iterationReportSchema,
  iterationTrendPartsSchema,
  REPORT_ID_PATTERN,
  reportSummarySchema,
  STORAGE_FORMAT_VERSION,
  type IterationReport,
  type IterationTrendParts,
  type ReportSummary,
} from './schema.js';

export { defaultReportDirectory };

export type ReportReadProblem = 'malformed-id' | 'no-directory' | 'not-found' | 'corrupt' | 'unsupported-version';

export class ReportReadError extends Error {
  override readonly name = 'ReportReadError';

  constructor(
    readonly problem: ReportReadProblem,
    message: string,
  ) {
    super(message);
  }
}

export interface ReportListing {
  reportId: string;
  iterations: number;
  startTime: string | null;
  entrypoint: string | null;
  arguments: string[];
  mode: 'time' | 'function' | null;
  /** Why the report cannot be read (its summary is corrupt, its version unknown...); it is still listed. */
  problem?: string;
}

export interface LoadedReport {
  summary: ReportSummary;
  /** The iterations saved, ascending. */
  iterationNumbers: number[];
}

/** How the messages about IDs end: a program that knows a better way to list can put it instead. */
export const LIST_ADVICE = '; list the reports there for their IDs';

// At most 15 digits: any number a real report reaches, and always exact as a JavaScript number
// (a name with more is not an iteration file, rather than one that breaks the whole report).
const ITERATION_FILE = /^iteration_report_([1-9][0-9]{0,14})\.json$/;

/**
 * How deep a report file may nest: a real one nests about 6 levels. Checked before parsing, so
 * that nothing that walks the parsed value recurses as deep as a hostile file likes.
 */
const MAX_NESTING = 64;

/** The version file holds a number and a newline. */
const MAX_VERSION_FILE_BYTES = 1024;
const REPORT_DIRECTORY = new RegExp(`^${REPORT_DIR_PREFIX}([a-z0-9]{4}-[a-z0-9]{4})$`);

/**
 * Upgrades the JSON of an older storage format to the current one, per version found. Version 1
 * is the first, so there is nothing to upgrade yet: a report of any other version is refused
 * with a message naming the version. A future format adds an entry here for the one before it.
 */
const UPGRADES: ReadonlyMap<number, { summary(json: unknown): unknown; iteration(json: unknown): unknown }> = new Map();

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

function reason(error: unknown): string {
  const code = errorCode(error);
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a directory';
  if (error instanceof UnreadableFile) return error.message;
  return error instanceof Error ? error.message : String(error);
}

/** The first problem zod found, as "path: message". */
function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (issue === undefined) return 'it does not match the report format';
  const path = issue.path.length === 0 ? '' : `${issue.path.map(String).join('.')}: `;
  return `${path}${issue.message}`;
}

function checkReportId(reportId: string): void {
  if (typeof reportId !== 'string' || !REPORT_ID_PATTERN.test(reportId)) {
    const shown = JSON.stringify(String(reportId)).slice(0, 60);
    throw new ReportReadError(
      'malformed-id',
      `${shown} is not a report ID: IDs are 4 letters or digits, a hyphen and 4 more, such as "k3x9-0qpa"${LIST_ADVICE}`,
    );
  }
}

function checkDirectory(directory: string): void {
  let isDirectory: boolean;
  try {
    isDirectory = statSync(directory).isDirectory();
  } catch (error) {
    if (errorCode(error) === 'ENOENT' || errorCode(error) === 'ENOTDIR') {
      throw new ReportReadError(
        'no-directory',
        `no report directory at ${directory}: nothing was saved there; give the directory the monitored program saved its reports to`,
      );
    }
    throw new ReportReadError('no-directory', `cannot read the report directory ${directory}: ${reason(error)}`);
  }
  if (!isDirectory) {
    throw new ReportReadError('no-directory', `${directory} is a file, not a report directory; give the directory the monitored program saved its reports to`);
  }
}

function readText(file: string, what: string): string {
  try {
    return readBoundedText(file);
  } catch (error) {
    throw new ReportReadError('corrupt', `cannot read ${what} ${file}: ${reason(error)}`);
  }
}

function parseJson(file: string, text: string): unknown {
  if (!nestsWithin(text, MAX_NESTING)) {
    throw new ReportReadError('corrupt', `${file} is corrupted: it nests deeper than the ${MAX_NESTING} levels a report may; the report cannot be read`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    const detail = text.trim() === '' ? 'it is empty' : `it is not valid JSON (${reason(error)})`;
    throw new ReportReadError('corrupt', `${file} is corrupted: ${detail}; the report cannot be read`);
  }
}

/** The storage format version of a report: its `version` file, else the one in summary.json. */
function formatVersion(reportDirectory: string, summaryJson: unknown): number {
  const file = join(reportDirectory, 'version');
  let text: string | undefined;
  try {
    text = readBoundedText(file, MAX_VERSION_FILE_BYTES);
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') throw new ReportReadError('corrupt', `cannot read ${file}: ${reason(error)}`);
  }
  if (text !== undefined) {
    const trimmed = text.trim();
    if (!/^[0-9]+$/.test(trimmed)) {
      throw new ReportReadError('corrupt', `${file} is corrupted: it should hold the storage format version (a number), not ${JSON.stringify(trimmed.slice(0, 20))}`);
    }
    return Number(trimmed);
  }
  const fromSummary = (summaryJson as { version?: unknown } | null)?.version;
  return typeof fromSummary === 'number' ? fromSummary : STORAGE_FORMAT_VERSION;
}

function checkVersion(reportId: string, version: number): void {
  if (version === STORAGE_FORMAT_VERSION || UPGRADES.has(version)) return;
  const advice = version > STORAGE_FORMAT_VERSION ? 'a newer memalot wrote it: upgrade memalot to read it' : 'it predates every format this memalot reads';
  throw new ReportReadError(
    'unsupported-version',
    `report ${reportId} is in storage format version ${version}, and this memalot reads version ${STORAGE_FORMAT_VERSION}; ${advice}`,
  );
}

function validate<T>(schema: z.ZodType<T>, file: string, json: unknown): T {
  const result = schema.safeParse(json);
  if (!result.success) {
    throw new ReportReadError('corrupt', `${file} is corrupted: ${firstIssue(result.error)}; the report cannot be read`);
  }
  return result.data;
}

function iterationNumbersIn(reportDirectory: string): number[] {
  let names: string[];
  try {
    names = readdirSync(reportDirectory);
  } catch (error) {
    throw new ReportReadError('corrupt', `cannot read the report ${reportDirectory}: ${reason(error)}`);
  }
  return names
    .map((name) => ITERATION_FILE.exec(name)?.[1])
    .filter((n): n is string => n !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
}

/** A report's summary, checked: its version, then its shape. */
function readSummary(reportDirectory: string, reportId: string): { summary: ReportSummary; version: number } {
  const file = join(reportDirectory, 'summary.json');
  let text: string;
  try {
    text = readBoundedText(file);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') {
      throw new ReportReadError('corrupt', `report ${reportId} has no summary.json in ${reportDirectory}: it was not saved completely and cannot be read`);
    }
    throw new ReportReadError('corrupt', `cannot read ${file}: ${reason(error)}`);
  }
  const json = parseJson(file, text);
  const version = formatVersion(reportDirectory, json);
  checkVersion(reportId, version);
  const upgraded = UPGRADES.get(version)?.summary(json) ?? json;
  const summary = validate(reportSummarySchema, file, upgraded);
  if (summary.reportId !== reportId) {
    throw new ReportReadError('corrupt', `${file} is corrupted: it names report ${summary.reportId}, not ${reportId}; the report cannot be read`);
  }
  return { summary, version };
}

function reportDirectoryOf(directory: string, reportId: string): string {
  checkReportId(reportId);
  checkDirectory(directory);
  const reportDirectory = join(directory, REPORT_DIR_PREFIX + reportId);
  try {
    // lstat: a report directory that is a link could lead anywhere; it is not read.
    const found = lstatSync(reportDirectory);
    if (found.isDirectory()) return reportDirectory;
    if (found.isSymbolicLink()) {
      throw new ReportReadError('corrupt', `cannot read the report ${reportDirectory}: it is a symbolic link, which memalot does not follow`);
    }
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') throw new ReportReadError('corrupt', `cannot read the report ${reportDirectory}: ${reason(error)}`);
  }
  let empty = false;
  try {
    empty = !readdirSync(directory).some((name) => REPORT_DIRECTORY.test(name));
  } catch {
    // unreadable: say nothing about what it holds
  }
  throw new ReportReadError('not-found', `no report ${reportId} in ${directory}${empty ? ', which holds no reports' : ''}${LIST_ADVICE}`);
}

/** What can be shown of a report whose summary does not validate: the fields that look right. */
function salvage(json: unknown): Pick<ReportListing, 'startTime' | 'entrypoint' | 'arguments' | 'mode'> {
  const o = (json !== null && typeof json === 'object' ? json : {}) as Record<string, unknown>;
  const args = o['arguments'];
  return {
    startTime: typeof o['startTime'] === 'string' && !Number.isNaN(Date.parse(o['startTime'])) ? o['startTime'] : null,
    entrypoint: typeof o['entrypoint'] === 'string' ? o['entrypoint'] : null,
    arguments: Array.isArray(args) && args.every((a) => typeof a === 'string') ? args : [],
    mode: o['mode'] === 'time' || o['mode'] === 'function' ? o['mode'] : null,
  };
}

function listing(directory: string, reportId: string): ReportListing {
  const reportDirectory = join(directory, REPORT_DIR_PREFIX + reportId);
  let iterations = 0;
  try {
    iterations = iterationNumbersIn(reportDirectory).length;
    const { summary } = readSummary(reportDirectory, reportId);
    return {
      reportId,
      iterations,
      startTime: summary.startTime,
      entrypoint: summary.entrypoint,
      arguments: summary.arguments,
      mode: summary.mode,
    };
  } catch (error) {
    if (!(error instanceof ReportReadError)) throw error;
    let json: unknown;
    try {
      const text = readBoundedText(join(reportDirectory, 'summary.json'));
      json = nestsWithin(text, MAX_NESTING) ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { reportId, iterations, ...salvage(json), problem: error.message };
  }
}

/** When a report was started, for sorting: its start time, else when its directory changed. */
function sortTime(directory: string, report: ReportListing): number {
  if (report.startTime !== null) return Date.parse(report.startTime);
  try {
    return lstatSync(join(directory, REPORT_DIR_PREFIX + report.reportId)).mtimeMs;
  } catch {
    return 0;
  }
}

/**
 * The newest `limit` reports in `directory`, newest first. A report that cannot be read is
 * listed with `problem` set, so that the others are still shown.
 */
export function listReports(directory: string, limit = 10): ReportListing[] {
  checkDirectory(directory);
  let names: string[];
  try {
    names = readdirSync(directory);
  } catch (error) {
    throw new ReportReadError('no-directory', `cannot read the report directory ${directory}: ${reason(error)}`);
  }
  const reports = names
    .map((name) => REPORT_DIRECTORY.exec(name)?.[1])
    .filter((id): id is string => id !== undefined)
    .filter((id) => {
      try {
        return lstatSync(join(directory, REPORT_DIR_PREFIX + id)).isDirectory();
      } catch {
        return false;
      }
    })
    .map((id) => listing(directory, id));
  const keyed = reports.map((report) => ({ report, time: sortTime(directory, report) }));
  keyed.sort((a, b) => b.time - a.time || a.report.reportId.localeCompare(b.report.reportId));
  return keyed.slice(0, Math.max(0, limit)).map((k) => k.report);
}

/** A report's summary and the numbers of its saved iterations. */
export function loadReport(directory: string, reportId: string): LoadedReport {
  const reportDirectory = reportDirectoryOf(directory, reportId);
  const { summary } = readSummary(reportDirectory, reportId);
  return { summary, iterationNumbers: iterationNumbersIn(reportDirectory) };
}

function readIteration(reportDirectory: string, reportId: string, version: number, iterationNumber: number): IterationReport;
function readIteration(
  reportDirectory: string,
  reportId: string,
  version: number,
  iterationNumber: number,
  schema: typeof iterationTrendPartsSchema,
): IterationTrendParts;
function readIteration(
  reportDirectory: string,
  reportId: string,
  version: number,
  iterationNumber: number,
  schema: z.ZodType<IterationReport | IterationTrendParts> = iterationReportSchema,
): IterationReport | IterationTrendParts {
  const file = join(reportDirectory, `iteration_report_${iterationNumber}.json`);
  const json = parseJson(file, readText(file, 'the iteration file'));
  const report = validate(schema, file, UPGRADES.get(version)?.iteration(json) ?? json);
  if (report.reportId !== reportId || report.iterationNumber !== iterationNumber) {
    throw new ReportReadError(
      'corrupt',
      `${file} is corrupted: it holds iteration ${report.iterationNumber} of report ${report.reportId}; the report cannot be read`,
    );
  }
  return report;
}

/**
 * The last `count` iterations of a report, ascending, each checked against the format.
 * `onIteration` is told after each file is read (for progress on long reads).
 */
export function readIterations(
  directory: string,
  reportId: string,
  count: number,
  onIteration?: (read: number, total: number) => void,
): IterationReport[] {
  const reportDirectory = reportDirectoryOf(directory, reportId);
  const { version } = readSummary(reportDirectory, reportId);
  const numbers = iterationNumbersIn(reportDirectory);
  const wanted = count >= numbers.length ? numbers : numbers.slice(numbers.length - Math.max(0, Math.floor(count)));
  return wanted.map((n, i) => {
    const report = readIteration(reportDirectory, reportId, version, n);
    onIteration?.(i + 1, wanted.length);
    return report;
  });
}

/** Files read between two turns of the event loop: a long read leaves a server free to answer. */
const FILES_PER_TURN = 50;

/**
 * What a trend needs of every iteration of a report, ascending: each file is read, checked
 * for these parts only and let go, so that memory holds the summaries and not the details of
 * thousands of iterations; the event loop turns every FILES_PER_TURN files.
 */
export async function readIterationTrendParts(directory: string, reportId: string): Promise<IterationTrendParts[]> {
  const reportDirectory = reportDirectoryOf(directory, reportId);
  const { version } = readSummary(reportDirectory, reportId);
  const parts: IterationTrendParts[] = [];
  for (const [i, n] of iterationNumbersIn(reportDirectory).entries()) {
    if (i > 0 && i % FILES_PER_TURN === 0) await nextTurn();
    parts.push(readIteration(reportDirectory, reportId, version, n, iterationTrendPartsSchema));
  }
  return parts;
}
