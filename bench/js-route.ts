// What a program can do without memalot: a heap snapshot through node:v8, read in JavaScript.
import { statSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getHeapSnapshot, writeHeapSnapshot } from 'node:v8';

export interface JsRouteResult {
  readonly nodes: number;
  readonly jsonChars: number;
}

/** v8.getHeapSnapshot() read to the end, then JSON.parse of the whole text. */
export async function jsRoute(): Promise<JsRouteResult> {
  const stream = getHeapSnapshot();
  stream.setEncoding('utf8');
  const chunks: string[] = [];
  for await (const chunk of stream) chunks.push(chunk as string);
  const json = chunks.join('');
  chunks.length = 0;
  const parsed = JSON.parse(json) as { snapshot: { node_count: number } };
  return { nodes: parsed.snapshot.node_count, jsonChars: json.length };
}

let written = 0;

/** v8.writeHeapSnapshot() to a temp file; returns the file's size and how long the write took. The file is deleted. */
export function writeSnapshotFile(now: () => number): { bytes: number; ms: number } {
  const path = join(tmpdir(), `memalot-bench-${process.pid}-${written++}.heapsnapshot`);
  const started = now();
  let file: string | undefined;
  try {
    file = writeHeapSnapshot(path);
    const ms = now() - started;
    return { bytes: statSync(file).size, ms };
  } finally {
    try {
      unlinkSync(file ?? path);
    } catch {
      // not written
    }
  }
}
