// Options that several commands take, declared once so that they read alike everywhere.
import { resolve } from 'node:path';
import { Option } from 'commander';

export interface ReportDirectoryOption {
  /** Absolute; undefined for the default directory. */
  reportDirectory?: string;
}

export function reportDirectoryOption(): Option {
  return new Option('-d, --report-directory <dir>', 'where the reports are (default: $MEMALOT_REPORT_DIR, else ~/.memalot/reports)').argParser(
    (dir: string) => resolve(dir),
  );
}
