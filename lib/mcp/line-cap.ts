// The MCP server's stdin, one message (line) at a time and none larger than a cap: the SDK's
// transport keeps every byte of an unfinished line and, past 10 MB, closes itself, which ended
// the server. Here a line longer than the cap is dropped (logged as refused) as it streams by,
// never held whole, and the lines after it are served as usual.
import { Transform, type TransformCallback } from 'node:stream';

/**
 * The largest message served: 4 MiB. A client's requests are a few hundred bytes (a tool name
 * and its arguments); this only stops a line that would take the server's memory.
 */
export const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

export class LineCap extends Transform {
  private pending: Buffer[] = [];
  private pendingLength = 0;
  private dropping = false;

  constructor(
    private readonly maxBytes: number,
    private readonly onRefused: (bytesSoFar: number) => void,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    let start = 0;
    while (start < chunk.length) {
      const newline = chunk.indexOf(0x0a, start);
      const end = newline === -1 ? chunk.length : newline + 1;
      const piece = chunk.subarray(start, end);
      if (!this.dropping) {
        if (this.pendingLength + piece.length > this.maxBytes + 1) {
          this.onRefused(this.pendingLength + piece.length);
          this.dropping = true;
          this.pending = [];
          this.pendingLength = 0;
        } else {
          this.pending.push(piece);
          this.pendingLength += piece.length;
        }
      }
      if (newline !== -1) {
        if (!this.dropping) this.push(Buffer.concat(this.pending, this.pendingLength));
        this.pending = [];
        this.pendingLength = 0;
        this.dropping = false;
      }
      start = end;
    }
    done();
  }

  override _flush(done: TransformCallback): void {
    if (!this.dropping && this.pendingLength > 0) this.push(Buffer.concat(this.pending, this.pendingLength));
    done();
  }
}
