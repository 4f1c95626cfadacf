// Whether output is styled for a terminal: stdout is one, or --force-terminal says to act as
// if. Colours follow the same rules as the live report (NO_COLOR off, FORCE_COLOR on), so a
// pipe or a file gets plain text.
import { colorsEnabled } from '../report/output.js';
import { makeStyle, type Style } from '../report/style.js';

export function outputStyle(forceTerminal: boolean): Style {
  return makeStyle(colorsEnabled(true, forceTerminal || process.stdout.isTTY === true));
}
