import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * One service instance per spool directory: two writers would interleave segments and two
 * shippers would each commit the other's offsets. A lock left by a dead process is taken over.
 * The lock names the process by pid and start time: with pids wrapping at 32,768, a pid alone
 * can belong to someone else by the time a killed service restarts.
 */
export function lockSpool(dir: string): () => void {
  const file = join(dir, 'lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    if (tryCreate(file)) return () => unlinkSync(file);
    const [owner = 0, started] = readFileSync(file, 'utf8').trim().split(' ').map(Number);
    if (owner !== process.pid && isAlive(owner, started)) {
      throw new Error(
        `SPOOL_DIR=${dir}: in use by process ${owner}; give each instance its own spool directory`,
      );
    }
    unlinkSync(file);
  }
  throw new Error(`SPOOL_DIR=${dir}: could not take the lock`);
}

function tryCreate(file: string): boolean {
  try {
    writeFileSync(file, `${process.pid} ${startTime(process.pid) ?? ''}`.trim(), { flag: 'wx' });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/** Linux: field 22 of /proc/{pid}/stat, in clock ticks since boot; undefined elsewhere or when gone. */
function startTime(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
  } catch {
    return undefined;
  }
}

function isAlive(pid: number, started: number | undefined): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  const now = startTime(pid);
  if (started !== undefined && !Number.isNaN(started) && now !== undefined) return now === started;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
