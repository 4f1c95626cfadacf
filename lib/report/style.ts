// Colours and emphasis, through node:util's styleText. A Style with colours off returns its
// input unchanged, so the renderer never has to ask.
import { styleText } from 'node:util';

type Format = Parameters<typeof styleText>[0];

export interface Style {
  readonly bold: (text: string) => string;
  readonly title: (text: string) => string;
  readonly panel: (text: string) => string;
  readonly bad: (text: string) => string;
  readonly good: (text: string) => string;
  readonly dim: (text: string) => string;
  readonly type: (text: string) => string;
  readonly count: (text: string) => string;
}

function styler(enabled: boolean, ...formats: Format[]): (text: string) => string {
  if (!enabled) return (text) => text;
  // validateStream: false, or styleText would second-guess the decision (made from the
  // options, the terminal, NO_COLOR and FORCE_COLOR) by looking at process.stdout itself.
  const style = styleText as (format: Format, text: string, options: { validateStream: boolean }) => string;
  return (text) => formats.reduceRight<string>((out, format) => style(format, out, { validateStream: false }), text);
}

export function makeStyle(colors: boolean): Style {
  return {
    bold: styler(colors, 'bold'),
    title: styler(colors, 'bold', 'yellow'),
    panel: styler(colors, 'yellow'),
    bad: styler(colors, 'red'),
    good: styler(colors, 'green'),
    dim: styler(colors, 'dim'),
    type: styler(colors, 'cyan'),
    count: styler(colors, 'magenta'),
  };
}

/** Length as shown on a terminal: escape codes take no room. */
export function visibleLength(text: string): number {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;]*m/g, '').length;
}
