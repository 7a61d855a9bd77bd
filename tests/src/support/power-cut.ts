import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from './paths';

const SOURCE = join(REPO_ROOT, 'tests/src/support/power-cut/unsynced-ledger.c');

/**
 * A machine that loses power keeps only what was fsynced. We cannot cut a real machine's power
 * in CI, nor mount a FUSE filesystem without its kernel module, so the service runs with an
 * LD_PRELOAD layer (unsynced-ledger.c) that records how much of each spool file every fsync
 * covered; after a SIGKILL, `cutPower` truncates each file to that and deletes files never
 * synced. This is the loss model of ext4 with data=ordered for append-only files: the unsynced
 * tail goes, a synced prefix stays, a rename survives once its source was synced.
 */
export interface PowerCutDisk {
  /** The environment that puts the service's spool on this "disk". */
  env: Record<string, string>;
  /** After the process is dead: drop what no fsync covered. */
  cutPower: () => PowerCutLoss;
}

export interface PowerCutLoss {
  filesTruncated: number;
  filesRemoved: number;
  bytesLost: number;
}

/** Compiles the layer once per source version (gcc), cached outside the repo as influxd is. */
export function unsyncedLedgerLibrary(): string {
  const source = readFileSync(SOURCE);
  const hash = createHash('sha256').update(source).digest('hex').slice(0, 12);
  const dir = join(process.env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache'), 'meetnet', 'power-cut');
  const library = join(dir, `unsynced-ledger-${hash}.so`);
  if (!existsSync(library)) {
    mkdirSync(dir, { recursive: true });
    const building = `${library}.${process.pid}`;
    execFileSync('gcc', ['-shared', '-fPIC', '-O2', '-Wall', '-o', building, SOURCE, '-ldl']);
    execFileSync('mv', [building, library]);
  }
  return library;
}

/** `spoolDir` must be where the service's SPOOL_DIR will be; the ledger sits beside it. */
export function powerCutDisk(spoolDir: string): PowerCutDisk {
  mkdirSync(spoolDir, { recursive: true });
  const watched = realpathSync(spoolDir);
  const ledger = `${watched}.fsync-ledger`;
  return {
    env: {
      LD_PRELOAD: unsyncedLedgerLibrary(),
      MEETNET_POWER_CUT_DIR: watched,
      MEETNET_POWER_CUT_LEDGER: ledger,
      // libuv could submit fsync through io_uring, past the layer; then nothing would count as
      // synced and every test would fail, never pass wrongly. Off, every fsync goes through libc.
      UV_USE_IO_URING: '0',
    },
    cutPower: () => cutPower(watched, ledger),
  };
}

function durableSizes(ledger: string): Map<string, number> {
  const durable = new Map<string, number>();
  if (!existsSync(ledger)) return durable;
  for (const record of readFileSync(ledger, 'utf8').split('\n')) {
    const [kind, a, b] = record.split('\t');
    if (kind === 'sync' && a !== undefined && b !== undefined) {
      durable.set(b, Math.max(durable.get(b) ?? 0, Number(a)));
    } else if (kind === 'rename' && a !== undefined && b !== undefined) {
      const size = durable.get(a);
      durable.delete(a);
      if (size === undefined) durable.delete(b);
      else durable.set(b, size);
    }
  }
  return durable;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(path) : [path];
  });
}

function cutPower(dir: string, ledger: string): PowerCutLoss {
  const durable = durableSizes(ledger);
  const loss: PowerCutLoss = { filesTruncated: 0, filesRemoved: 0, bytesLost: 0 };
  for (const file of filesUnder(dir)) {
    const size = statSync(file).size;
    const kept = durable.get(file);
    if (kept === undefined) {
      rmSync(file);
      loss.filesRemoved += 1;
      loss.bytesLost += size;
    } else if (size > kept) {
      truncateSync(file, kept);
      loss.filesTruncated += 1;
      loss.bytesLost += size - kept;
    }
  }
  // What survived is on disk for good: the next boot's ledger starts from it.
  const survivors = filesUnder(dir).map((file) => `sync\t${statSync(file).size}\t${file}\n`);
  writeFileSync(ledger, survivors.join(''));
  return loss;
}
