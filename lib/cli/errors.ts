// How the command fails: one line on stderr, "memalot: <what is wrong and what to do>", and an
// exit status: 1 when the work failed, 2 when the command line itself was wrong. Never a stack
// trace: those are for memalot's own bugs, and even then the first line comes first.
import { LIST_ADVICE, ReportReadError } from '../storage/report-reader.js';

export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** A failure the command expected and can explain. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT_FAILURE,
  ) {
    super(message);
  }
}

/**
 * A reading problem, with the command that helps (the reader's messages say what to do in
 * general terms). A report ID that is not one is a wrong command line, like a count that is
 * not a number.
 */
export function fromReadError(error: ReportReadError, reportDirectoryFlag?: string): CliError {
  const list = `memalot list${reportDirectoryFlag === undefined ? '' : ` --report-directory ${JSON.stringify(reportDirectoryFlag)}`}`;
  const message = error.message.endsWith(LIST_ADVICE) ? `${error.message.slice(0, -LIST_ADVICE.length)}; ${list} shows them` : error.message;
  const hint = error.problem === 'no-directory' ? ' with --report-directory DIR' : '';
  return new CliError(`${message}${hint}`, error.problem === 'malformed-id' ? EXIT_USAGE : EXIT_FAILURE);
}

/** Runs `work`, which reads reports, turning its reading problems into the command's failures. */
export function readingReports<T>(reportDirectoryFlag: string | undefined, work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof ReportReadError) throw fromReadError(error, reportDirectoryFlag);
    throw error;
  }
}

/** The single line and status for anything a command threw. */
export function describeFailure(error: unknown): { line: string; exitCode: number } {
  if (error instanceof CliError) return { line: error.message, exitCode: error.exitCode };
  if (error instanceof ReportReadError) return describeFailure(fromReadError(error));
  const message = error instanceof Error ? error.message : String(error);
  return { line: `unexpected error (a bug in memalot; please report it): ${message.split('\n')[0]}`, exitCode: EXIT_FAILURE };
}
