import { existsSync, readFileSync } from 'node:fs';

export type ReloadOutcome = { reloaded: true; pid: number } | { reloaded: false; reason: string };

/**
 * Mosquitto re-reads its password and ACL files on SIGHUP and disconnects clients whose
 * credentials no longer hold, so a revoked device is out at once, without a restart.
 */
export function reloadBroker(pidFile: string): ReloadOutcome {
  if (!existsSync(pidFile)) return { reloaded: false, reason: `no pid file at ${pidFile}` };
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 0) return { reloaded: false, reason: `${pidFile} holds no pid` };
  try {
    process.kill(pid, 'SIGHUP');
    return { reloaded: true, pid };
  } catch (error) {
    return { reloaded: false, reason: `could not signal pid ${pid}: ${(error as Error).message}` };
  }
}
