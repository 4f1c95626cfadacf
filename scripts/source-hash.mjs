#!/usr/bin/env node
// The hash of everything the addon is built from: every file under native/ and binding.gyp.
// binding.gyp bakes it into the binary; test/prebuilds checks each committed prebuild against
// it, so a prebuild can never silently go stale. Run directly, it prints the hash.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

function listFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? listFiles(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

/** Hex SHA-256 over the relative path and bytes of each source file, in a fixed order. */
export function sourceHash(root = packageRoot) {
  const files = [join(root, 'binding.gyp'), ...listFiles(join(root, 'native'))]
    .map((file) => relative(root, file).split(sep).join('/'))
    .sort();
  const hash = createHash('sha256');
  for (const file of files) {
    // CRLF checkouts must give the same hash as LF ones.
    const text = readFileSync(join(root, file), 'utf8').replace(/\r\n/g, '\n');
    hash.update(`${file}\0${Buffer.byteLength(text)}\0`).update(text);
  }
  return hash.digest('hex').slice(0, 32);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.stdout.write(`${sourceHash()}\n`);
}
