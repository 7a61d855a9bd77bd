import { readFileSync } from 'node:fs';

/** Samples a process's resident memory from /proc while a scenario runs. */
export class RssSampler {
  peakMb = 0;
  private timer: NodeJS.Timeout | undefined;

  start(pid: () => number | undefined, everyMs = 250): void {
    this.timer = setInterval(() => {
      const mb = rssMb(pid());
      if (mb !== undefined) this.peakMb = Math.max(this.peakMb, mb);
    }, everyMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }
}

export function rssMb(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Math.round(Number(match[1]) / 1024) : undefined;
  } catch {
    // The process is between a kill and its restart.
    return undefined;
  }
}
