// Where a tool call reads reports: the directory the call names, else the server's.
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

/**
 * The directory a call asked for. Assistants write paths the way people do, so a leading "~"
 * is the home directory; a relative path is relative to the server's working directory, which
 * the client chose and the assistant cannot see, so the tools' descriptions ask for absolute ones.
 */
export function resolveReportDirectory(requested: string | undefined, serverDefault: string): string {
  if (requested === undefined || requested.trim() === '') return serverDefault;
  const path = requested.trim();
  if (path === '~') return homedir();
  if (path.startsWith('~/')) return join(homedir(), path.slice(2));
  return isAbsolute(path) ? path : resolve(path);
}
