// A one-line progress message on stderr, redrawn in place, for work that takes a while. Only
// when stderr is a terminal: a log file or a pipe gets nothing. The line is erased when the
// work ends, before any result is written, so it never mixes with the output.
export interface ProgressStream {
  readonly isTTY?: boolean;
  write(text: string): unknown;
}

/** Redraws at most this often: a terminal cannot show more, and writing costs. */
const REDRAW_MS = 100;

export class Progress {
  private shown = false;
  private lastDrawn = 0;

  /** `now`: the clock that spaces redraws (a test gives its own, to be independent of the machine's speed). */
  constructor(
    private readonly stream: ProgressStream = process.stderr,
    private readonly now: () => number = Date.now,
  ) {}

  get active(): boolean {
    return this.stream.isTTY === true;
  }

  /** Shows `text`, unless a line was drawn very recently (`force` draws anyway). */
  update(text: string, force = false): void {
    if (!this.active) return;
    const now = this.now();
    if (!force && this.shown && now - this.lastDrawn < REDRAW_MS) return;
    this.lastDrawn = now;
    this.shown = true;
    this.stream.write(`\r\u001b[2K${text}`);
  }

  /** Erases the line. */
  done(): void {
    if (!this.shown) return;
    this.shown = false;
    this.stream.write('\r\u001b[2K');
  }
}
