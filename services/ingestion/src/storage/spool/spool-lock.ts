import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * One service instance per spool directory: two writers would interleave segments and two
 * shippers would each commit the other's offsets. A lock left by a dead process is taken over.
 */
export function lockSpool(dir: string): () => void {
  const file = join(dir, 'lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    if (tryCreate(file)) return () => unlinkSync(file);
    const owner = Number(readFileSync(file, 'utf8'));
    if (owner !== process.pid && isAlive(owner)) {
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
    writeFileSync(file, String(process.pid), { flag: 'wx' });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
