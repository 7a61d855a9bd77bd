import {
  chownSync,
  closeSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname } from 'node:path';

/**
 * Writes beside the target and renames, so a reader (Mosquitto on SIGHUP) never sees half a
 * file. The new file keeps the old one's owner and group: Mosquitto in its container runs as
 * uid 1883 and re-reads these files on reload; a root-owned 0640 copy would lock every device out.
 */
export function writeFileAtomic(path: string, content: string, mode: number): void {
  mkdirSync(dirname(path), { recursive: true });
  const previous = ownerOf(path);
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, content, { mode });
  if (previous) {
    try {
      chownSync(temporary, previous.uid, previous.gid);
    } catch (error) {
      // Not root and not the owner: the file would change hands, and the broker may lose it.
      unlinkSync(temporary);
      throw new Error(
        `cannot keep ${path} owned by uid ${previous.uid}: ${(error as NodeJS.ErrnoException).code ?? 'error'} (run as root or as that user)`,
        { cause: error },
      );
    }
  }
  renameSync(temporary, path);
}

function ownerOf(path: string): { uid: number; gid: number } | undefined {
  try {
    const { uid, gid } = statSync(path);
    return { uid, gid };
  } catch {
    return undefined;
  }
}

/**
 * Runs `change` while holding `{dir}/.lock` (created exclusively), so two commands at once
 * (two admins, a script) cannot interleave their read-modify-write and lose an account.
 * A lock left by a process that died is taken over.
 */
export function withFileLock<T>(lockPath: string, change: () => T, timeoutMs = 10_000): T {
  mkdirSync(dirname(lockPath), { recursive: true });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const fd = openSync(lockPath, 'wx', 0o600);
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (holderIsGone(lockPath)) {
        unlinkSync(lockPath);
        continue;
      }
      if (Date.now() > deadline) {
        throw new Error(`${lockPath} is held by another process; try again`, { cause: error });
      }
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
    }
  }
  try {
    return change();
  } finally {
    unlinkSync(lockPath);
  }
}

function holderIsGone(lockPath: string): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(lockPath, 'utf8'));
  } catch {
    return false;
  }
  if (!Number.isInteger(pid) || pid <= 0) return true;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
