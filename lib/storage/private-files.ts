// Reports hold string forms of the program's objects (tokens, user data): only their owner may
// read them, and nobody else can redirect where they are written.
//
// - Directories memalot makes are 0700 and files 0600 whatever the umask (set with chmod after
//   creation: the umask can only take bits away). A directory that exists already is used as it
//   is, never loosened (nor tightened: it is the user's).
// - Nothing is written through a symlink: files are created with O_EXCL | O_NOFOLLOW (a link in
//   their place makes the open fail), and a report's own directory is checked before each write
//   to be the very directory memalot made (same device and inode, not a link, owned by this user).
// Node.js has no openat(), so a directory swapped in the instant between the check and the open
// is not caught; the check closes the window that matters (between iterations, seconds long).
import { chmodSync, closeSync, constants, fchmodSync, lstatSync, mkdirSync, openSync, statSync, type Stats } from 'node:fs';
import { dirname } from 'node:path';

export const PRIVATE_DIRECTORY_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** What a directory was when memalot made it: what it must still be at each write. */
export interface DirectoryIdentity {
  readonly path: string;
  readonly dev: number;
  readonly ino: number;
}

/**
 * Makes `path` and any missing parents, each 0700. Existing ones are left as they are; the
 * path may lead through the user's own symlinks (a report root they chose), but must end at a
 * directory.
 */
export function makePrivateDirectories(path: string): void {
  const missing: string[] = [];
  for (let at = path; ; at = dirname(at)) {
    try {
      statSync(at);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      missing.push(at);
      if (dirname(at) === at) break;
    }
  }
  for (const directory of missing.reverse()) {
    try {
      mkdirSync(directory, PRIVATE_DIRECTORY_MODE);
    } catch (error) {
      // Another process (another monitored program) made it meanwhile: it is not ours to change.
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw error;
    }
    chmodSync(directory, PRIVATE_DIRECTORY_MODE);
  }
  if (!statSync(path).isDirectory()) throw new Error(`${path} is not a directory`);
}

/** Makes a new private directory (EEXIST if the name is taken, link or not) and notes what it is. */
export function makeOwnDirectory(path: string): DirectoryIdentity {
  mkdirSync(path, PRIVATE_DIRECTORY_MODE);
  chmodSync(path, PRIVATE_DIRECTORY_MODE);
  const made = lstatSync(path);
  return { path, dev: made.dev, ino: made.ino };
}

/** Throws unless `directory` is still the directory memalot made (not replaced, not a link). */
export function checkOwnDirectory(directory: DirectoryIdentity): void {
  let now: Stats;
  try {
    now = lstatSync(directory.path);
  } catch (error) {
    throw new Error(`the report directory ${directory.path} is gone (${(error as NodeJS.ErrnoException).code ?? 'error'}), so nothing more is written there`);
  }
  const ownerMatches = typeof process.getuid !== 'function' || now.uid === process.getuid();
  if (now.isSymbolicLink() || !now.isDirectory() || now.dev !== directory.dev || now.ino !== directory.ino || !ownerMatches) {
    throw new Error(`the report directory ${directory.path} was replaced (by a link or another directory), so nothing more is written there`);
  }
}

/** Creates a new file for writing, 0600, refusing an existing name or a symlink in its place. */
export function createPrivateFile(path: string): number {
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0);
  const fd = openSync(path, flags, PRIVATE_FILE_MODE);
  try {
    fchmodSync(fd, PRIVATE_FILE_MODE);
  } catch (error) {
    closeSync(fd);
    throw error;
  }
  return fd;
}
