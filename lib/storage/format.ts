// The constants of the saved report format, apart from the zod schemas (schema.ts) so that a
// monitored program does not load zod (a few MB of heap) just to write its reports.

/** The storage format version, written to each report's `version` file. */
export const STORAGE_FORMAT_VERSION = 1;

/** 4 characters of [a-z0-9], a hyphen, 4 more. */
export const REPORT_ID_PATTERN = /^[a-z0-9]{4}-[a-z0-9]{4}$/;
