import { readFileSync } from 'node:fs';
import { rssMb } from '@meetnet/tests/dist/faults/rss-sampler';

export { rssMb };

/** Linux reports CPU time in clock ticks of 1/100 s (USER_HZ) on every architecture we run on. */
const TICKS_PER_S = 100;

/** User + system CPU seconds a process has used so far, from /proc; undefined once it is gone. */
export function cpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and parentheses: count fields after its closing one.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_S;
  } catch {
    return undefined;
  }
}

/** CPU and peak memory of a set of named processes over one measured stretch. */
export class ProcessMeter {
  private readonly cpuAtStart = new Map<string, number>();
  private readonly peakRss = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly pids: Record<string, number | undefined>) {}

  start(): void {
    for (const [name, pid] of Object.entries(this.pids)) {
      this.cpuAtStart.set(name, cpuSeconds(pid) ?? 0);
      this.peakRss.set(name, rssMb(pid) ?? 0);
    }
    this.timer = setInterval(() => {
      for (const [name, pid] of Object.entries(this.pids)) {
        this.peakRss.set(name, Math.max(this.peakRss.get(name) ?? 0, rssMb(pid) ?? 0));
      }
    }, 250);
  }

  /** CPU seconds used since start and peak RSS, per process. */
  stop(): Record<string, { cpuS: number; peakRssMb: number }> {
    if (this.timer) clearInterval(this.timer);
    return Object.fromEntries(
      Object.entries(this.pids).map(([name, pid]) => [
        name,
        {
          cpuS: Math.max(0, (cpuSeconds(pid) ?? 0) - (this.cpuAtStart.get(name) ?? 0)),
          peakRssMb: this.peakRss.get(name) ?? 0,
        },
      ]),
    );
  }
}

/** The first child of a process (influxd under its start script), from /proc. */
export function firstChildPid(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(' ');
    return children[0] ? Number(children[0]) : undefined;
  } catch {
    return undefined;
  }
}
