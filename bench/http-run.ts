// Figure 5's driver: one server process (http-server.ts) and one load process (http-client.ts)
// for `seconds`, then the server's own figures.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runWorker } from './child.js';
import type { HttpClientResult } from './http-client.js';
import type { HttpServerResult } from './http-server.js';

export interface HttpRun {
  readonly server: HttpServerResult;
  readonly client: HttpClientResult;
}

/** `monitored`: true for memalot's monitor, 'tracking' for V8's object tracking and boundaries alone. */
export async function httpRun(monitored: boolean | 'tracking', seconds: number, lifetime: number, details: number, bareSnapshot = false): Promise<HttpRun> {
  const script = fileURLToPath(new URL('./http-server.js', import.meta.url));
  const mode = monitored === 'tracking' ? 'tracking' : monitored ? 'on' : 'off';
  const args = ['--expose-gc', script, mode, String(lifetime), String(details), ...(bareSnapshot ? ['snapshot'] : [])];
  const server = spawn(process.execPath, args, {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let out = '';
  const exited = new Promise<number | null>((resolve) => server.on('exit', resolve));
  const port = await new Promise<number>((resolve, reject) => {
    server.stdout.setEncoding('utf8');
    server.stdout.on('data', (chunk: string) => {
      out += chunk;
      const match = /PORT (\d+)\n/.exec(out);
      if (match !== null) resolve(Number(match[1]));
    });
    server.on('exit', (code) => reject(new Error(`http server exited (${code}) before listening`)));
  });
  try {
    const client = await runWorker<HttpClientResult>('./http-client.js', [String(port), String(seconds)], 'http client', seconds * 1000 + 120_000);
    server.stdin.write('stop\n');
    const code = await exited;
    const line = out.split('\n').find((l) => l.startsWith('{'));
    if (line === undefined) throw new Error(`http server (exit ${code}) printed no result`);
    return { server: JSON.parse(line) as HttpServerResult, client };
  } finally {
    server.kill();
  }
}
