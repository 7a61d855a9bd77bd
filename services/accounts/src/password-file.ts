import { existsSync, readFileSync } from 'node:fs';
import { writeFileAtomic } from './atomic-file';

/** Mosquitto's `password_file`: one `username:hash` per line, in the order they were added. */
export function readPasswordFile(path: string): Map<string, string> {
  const entries = new Map<string, string>();
  if (!existsSync(path)) return entries;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const separator = line.indexOf(':');
    if (separator <= 0) continue;
    entries.set(line.slice(0, separator), line.slice(separator + 1).trim());
  }
  return entries;
}

export function writePasswordFile(path: string, entries: Map<string, string>): void {
  const lines = [...entries].map(([username, hash]) => `${username}:${hash}`);
  // Readable by the broker's group (it re-reads on SIGHUP after dropping root), nobody else.
  writeFileAtomic(path, lines.length > 0 ? `${lines.join('\n')}\n` : '', 0o640);
}
