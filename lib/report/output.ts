// Where report text goes: the console (stdout), the user's outputFunc, or both; and whether it
// is styled for a terminal. Output never throws into the monitored program: a failing
// outputFunc is reported once on stderr and the report goes on.
import { thrownText } from './describe-error.js';
import type { ResolvedCommonOptions } from '../monitor/options.js';
import { makeStyle, type Style } from './style.js';
import { terminalWidth, wrapText } from './width.js';

/** Colours per the option, NO_COLOR and FORCE_COLOR (https://no-color.org, https://force-color.org). */
export function colorsEnabled(option: boolean, terminal: boolean, env: NodeJS.ProcessEnv = process.env): boolean {
  if (!option) return false;
  if (env['NO_COLOR']) return false;
  const force = env['FORCE_COLOR'];
  if (force !== undefined && force !== '') return force !== '0' && force.toLowerCase() !== 'false';
  return terminal;
}

export class ReportOutput {
  readonly style: Style;
  private readonly toConsole: boolean;
  private warnedAboutOutputFunc = false;

  constructor(private readonly options: Pick<ResolvedCommonOptions, 'outputFunc' | 'teeConsole' | 'forceTerminal' | 'color'>) {
    this.toConsole = options.outputFunc === null || options.teeConsole;
    const terminal = options.forceTerminal ?? (this.toConsole && process.stdout.isTTY === true);
    this.style = makeStyle(colorsEnabled(options.color, terminal));
  }

  /**
   * Writes a block. The report's blocks fit the terminal already; a message (the startup
   * line, a warning) is wrapped to it here.
   */
  write(text: string): void {
    const block = wrapText(text, terminalWidth());
    const { outputFunc } = this.options;
    if (outputFunc !== null) {
      try {
        const result: unknown = outputFunc(block);
        // An async outputFunc's rejection must not become an unhandled rejection.
        // (A thenable that is not a Promise is left alone: calling its then() is running more
        // of the program's code, which may throw.)
        if (result instanceof Promise) result.catch((error: unknown) => this.warnOutputFunc(error));
      } catch (error) {
        this.warnOutputFunc(error);
      }
    }
    if (this.toConsole) process.stdout.write(`${block}\n`);
  }

  private warnOutputFunc(error: unknown): void {
    if (this.warnedAboutOutputFunc) return;
    this.warnedAboutOutputFunc = true;
    try {
      process.stderr.write(`memalot: outputFunc threw, so this report may be incomplete there: ${thrownText(error)}\n`);
    } catch {
      // stderr is gone: nothing more can be said
    }
  }
}
