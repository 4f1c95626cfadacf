// How wide the console report may be, and how text is made to fit it: a long name keeps its
// start and its end (where a type, a file or a line number usually is) and loses its middle.
import { visibleLength } from './style.js';

/** Columns when neither the terminal nor COLUMNS says. */
export const DEFAULT_WIDTH = 120;
/** Narrower than this, boxes and tables cannot be drawn readably: they are drawn this wide. */
export const MIN_WIDTH = 40;

/** The terminal's width (`process.stdout.columns`), else `COLUMNS`, else 120. */
export function terminalWidth(stdout: { columns?: number | undefined } = process.stdout, env: NodeJS.ProcessEnv = process.env): number {
  const columns = stdout.columns;
  if (typeof columns === 'number' && Number.isInteger(columns) && columns > 0) return Math.max(MIN_WIDTH, columns);
  const fromEnv = Number(env['COLUMNS']);
  if (Number.isInteger(fromEnv) && fromEnv > 0) return Math.max(MIN_WIDTH, fromEnv);
  return DEFAULT_WIDTH;
}

/**
 * `text` in at most `max` characters: its middle replaced by "…" when it is longer. A closing
 * part in parentheses ("(module variable in src/app.js)") is kept whole when it takes at most
 * two thirds of the room: it says what the name is.
 */
export function shortenMiddle(text: string, max: number): string {
  if (text.length <= max) return text;
  const open = text.lastIndexOf(' (');
  if (open > 0 && text.endsWith(')') && text.length - open <= (max * 2) / 3) {
    return cutMiddle(text.slice(0, open), max - (text.length - open)) + text.slice(open);
  }
  return cutMiddle(text, max);
}

function cutMiddle(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 1) return '…'.slice(0, Math.max(0, max));
  // The end often says most (a file and line, a type): it keeps two fifths.
  const tail = Math.floor((max - 1) * 0.4);
  const head = max - 1 - tail;
  return `${text.slice(0, head)}…${tail > 0 ? text.slice(-tail) : ''}`;
}

/** Escape codes removed. */
export function plain(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;]*m/g, '');
}

/**
 * A (possibly styled) line in at most `max` columns. A line that must be cut loses its styles:
 * cutting through an escape code would leave the terminal restyled.
 */
export function fitLine(line: string, max: number): string {
  if (visibleLength(line) <= max) return line;
  return shortenMiddle(plain(line), max);
}

/** Prose wrapped at spaces to `width` columns (a word longer than a line is shortened). */
export function wrapText(text: string, width: number): string {
  return text
    .split('\n')
    .map((paragraph) => {
      if (visibleLength(paragraph) <= width) return paragraph;
      const out: string[] = [];
      let line = '';
      for (const word of plain(paragraph).split(' ')) {
        if (line !== '' && line.length + 1 + word.length > width) {
          out.push(line);
          line = word;
        } else {
          line = line === '' ? word : `${line} ${word}`;
        }
      }
      out.push(line);
      return out.map((l) => cutMiddle(l, width)).join('\n');
    })
    .join('\n');
}
