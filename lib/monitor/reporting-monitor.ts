import type { ReportSession } from './report-session.js';

/** What every monitor tells about its report, whichever way it monitors. */
export abstract class ReportingMonitor implements AsyncDisposable {
  protected abstract readonly session: ReportSession;

  /** The ID under which reports are saved (also shown in each report's header). */
  get reportId(): string {
    return this.session.reportId;
  }

  /** The directory that holds this monitor's report, if reports are saved. */
  get reportDirectory(): string | null {
    return this.session.reportDirectory;
  }

  /** Iterations written so far (the first is a warm-up, unless there is none). */
  get iterations(): number {
    return this.session.iterations;
  }

  /** Stops monitoring; resolves once any report in progress is written. Safe to call twice. */
  abstract stop(): Promise<void>;

  [Symbol.asyncDispose](): Promise<void> {
    return this.stop();
  }
}
