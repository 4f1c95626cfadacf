// The arguments the tools share, declared once so that every tool names and checks them alike.
// Each check carries its own message: the SDK returns it as the tool error, and an assistant
// fixes its call from it (the default zod messages name neither the argument nor the remedy).
import * as z from 'zod';
import { REPORT_ID_PATTERN } from '../storage/format.js';

/** A whole number in [min, max], with one message for every way to miss it. */
export function wholeNumber(name: string, min: number, max: number) {
  const error = `${name} must be a whole number from ${min} to ${max}`;
  return z.number({ error }).int({ error }).min(min, { error }).max(max, { error });
}

export const reportIdArgument = z
  .string({
    error: (issue) =>
      issue.input === undefined
        ? 'report_id is required: the ID of a report, such as "k3x9-0qpa" (list_leak_reports gives them)'
        : 'report_id must be a string such as "k3x9-0qpa"',
  })
  .regex(REPORT_ID_PATTERN, {
    error: 'report_id must be 4 letters or digits, a hyphen and 4 more, such as "k3x9-0qpa": call list_leak_reports for the IDs of the saved reports',
  })
  .describe('The report\'s ID, as list_leak_reports gives it, e.g. "k3x9-0qpa"');

export const reportDirectoryArgument = z
  .string({ error: 'report_directory must be a path (a string)' })
  .optional()
  .describe(
    'Absolute path of the directory the monitored program saved its reports to (its reportDirectory option or MEMALOT_REPORT_DIR). ' +
      'Leave it out for the server\'s directory (--report-directory, else $MEMALOT_REPORT_DIR, else ~/.memalot/reports).',
  );

/** The read-only promise every memalot tool makes: it reads saved files and changes nothing. */
export const READ_ONLY_ANNOTATIONS = {
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: false,
} as const;
