import { closeSync, fsyncSync, lstatSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { createPrivateFile } from './private-files.js';
import { addon, type NativeAddon } from '../native/addon.js';

/** `.<name>.<pid>.<hex>.tmp`: the temporary files of writeFileAtomic, with the writer's pid. */
const TEMPORARY_NAME = /^\..+\.(\d+)\.[0-9a-f]+\.tmp$/;

/**
 * Writes a file so that readers see either nothing or the whole of it: the text goes to a
 * temporary file in the same directory (new, 0600, never through a symlink: private-files.ts),
 * is flushed, and is renamed over the target (rename replaces a link, never follows it).
 */
export function writeFileAtomic(file: string, text: string): void {
  const temporary = join(dirname(file), `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  // In one native call where the addon has it: a worker terminated between the steps below
  // left its temporary file (native/atomic_file.h).
  const native = nativeWriter();
  if (native !== undefined) {
    native(temporary, file, text);
    return;
  }
  let written = false;
  try {
    const fd = createPrivateFile(temporary);
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, file);
    written = true;
  } finally {
    if (!written) rmSync(temporary, { force: true });
  }
}

function nativeWriter(): NativeAddon['writeFileAtomic'] | undefined {
  try {
    const native = addon();
    return typeof native.writeFileAtomic === 'function' ? native.writeFileAtomic.bind(native) : undefined;
  } catch {
    return undefined;  // no addon for this platform (the readers' tests): the JavaScript steps
  }
}

/**
 * Removes the temporary files left in `directory` by writers that have died (a program killed
 * in the middle of a write: a signal ends it without running any clean-up). A live writer's
 * files are left alone. Returns how many were removed; never throws.
 */
export function removeStaleTemporaries(directory: string): number {
  let removed = 0;
  try {
    for (const name of readdirSync(directory)) {
      const pid = Number(TEMPORARY_NAME.exec(name)?.[1]);
      if (!Number.isSafeInteger(pid) || pid <= 0 || isAlive(pid)) continue;
      const path = join(directory, name);
      try {
        if (!lstatSync(path).isFile()) continue;
        rmSync(path, { force: true });
        removed++;
      } catch {
        // gone meanwhile, or not ours to remove
      }
    }
  } catch {
    // an unreadable directory: nothing to clean there
  }
  return removed;
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: alive, another user's process
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
