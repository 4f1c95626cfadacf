// Reading a file that someone else may have put in a report directory: a report directory can
// be shared, copied from elsewhere, or planted. Only a regular file is read (never through a
// symlink, never a FIFO, device or socket, which could block forever or never end), and never
// more than MAX_REPORT_FILE_BYTES of it.
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

/**
 * The most a report file may hold: 64 MiB. A real iteration file is a few hundred KB at most
 * (the details are capped by maxObjectDetails and the referrer limits); this only stops a file
 * that would take the reader's memory or time with it.
 */
export const MAX_REPORT_FILE_BYTES = 64 * 1024 * 1024;

/** Why a file cannot be read, in words ("it is a symbolic link"), or the error as thrown. */
export class UnreadableFile extends Error {
  override readonly name = 'UnreadableFile';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The text of `file`, a regular file of at most `limit` bytes. Throws UnreadableFile for a link,
 * a special file or one too large; the fs error (with its code: ENOENT...) otherwise.
 */
export function readBoundedText(file: string, limit = MAX_REPORT_FILE_BYTES): string {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer, forever.
    fd = openSync(file, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') throw new UnreadableFile('ELOOP', 'it is a symbolic link, which memalot does not follow');
    throw error;
  }
  try {
    const stats = fstatSync(fd);
    if (stats.isDirectory()) throw new UnreadableFile('EISDIR', 'it is a directory');
    if (!stats.isFile()) throw new UnreadableFile('ENOTREG', 'it is not a regular file (a FIFO, device or socket)');
    if (stats.size > limit) throw new UnreadableFile('EFBIG', `it is ${megabytes(stats.size)}, more than the ${megabytes(limit)} a report file may be`);
    // Read to the end, but never past the limit: the file may be growing while it is read.
    const chunks: Buffer[] = [];
    let length = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(Math.max(stats.size - length, 0) + 1, 1024 * 1024, limit - length + 1));
      const read = readSync(fd, chunk, 0, chunk.length, null);
      if (read === 0) break;
      length += read;
      if (length > limit) throw new UnreadableFile('EFBIG', `it is more than the ${megabytes(limit)} a report file may be`);
      chunks.push(read === chunk.length ? chunk : chunk.subarray(0, read));
    }
    return Buffer.concat(chunks, length).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(bytes < 1024 * 1024 ? 3 : 0)} MiB`;
}

/**
 * How deep JSON text nests, at most `limit` levels: a linear scan that stops at the first level
 * past it (JSON.parse copes with any depth, but what then walks the value may recurse).
 * Returns whether the text stays within the limit.
 */
export function nestsWithin(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return false;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return true;
}
