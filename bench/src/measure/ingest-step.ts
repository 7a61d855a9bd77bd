import { startLoad } from '../load/load-process';
import type { LoadOptions } from '../load/open-loop-publisher';
import type { SystemUnderTest } from '../systems/system-under-test';
import { ProcessMeter } from './proc-stats';
import { LatencyHistogram } from './latency-histogram';
import { percentile } from './stats';

/** What "sustained" means in the issue: nearly everything stored, and stored soon. */
export const SUSTAINED_SHARE = 0.999;
export const SUSTAINED_LAG_P99_MS = 2000;

export interface StepResult {
  rate: number;
  qos: 0 | 1;
  sent: number;
  stored: number;
  storedShare: number;
  /** How far the stored count trailed the sent one, in seconds of load, over the step and its drain. */
  lagP50Ms: number;
  lagP99Ms: number;
  /**
   * Publish → stored (queryable) per message: message k, sent at t0 + k/rate, counts as
   * visible at the first sample whose count passed k. An upper bound by up to one sample.
   */
  visibleP50Ms: number;
  visibleP99Ms: number;
  sustained: boolean;
  achievedRate: number;
  /** The generator's worst delay behind its schedule: large means the machine, not the system, was full. */
  generatorBehindMs: number;
  payloadBytes: number;
  /** CPU microseconds per message sent, per process. */
  cpuUsPerMsg: Record<string, number>;
  peakRssMb: Record<string, number>;
}

export interface StepContext {
  brokerUrl: string;
  /** Processes every system shares (the broker, InfluxDB), measured alongside. */
  sharedPids: Record<string, number | undefined>;
  sensors: number;
  connections: number;
  /** How long to wait for stragglers once the last message has left. */
  drainCapMs: number;
  /** How often the stored count is read. */
  sampleMs?: number;
  /**
   * The step ends once nothing more was stored for this long (3 s): longer for a system that
   * writes its last partial batch on a timer (Telegraf's 10 s flush).
   */
  quietMs?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One step of the ladder: an open-loop load at `rate` for `seconds`, the system's stored count
 * sampled four times a second, until all is stored or nothing more arrives.
 */
export async function runStep(
  system: SystemUnderTest,
  context: StepContext,
  load: Pick<LoadOptions, 'rate' | 'seconds' | 'qos'>,
): Promise<StepResult> {
  // Every message of this step has a send time (its point's time) at or after this.
  const since = Date.now();
  await system.stored(since);
  const running = startLoad({
    brokerUrl: context.brokerUrl,
    sensors: context.sensors,
    connections: context.connections,
    ...load,
  });
  const meter = new ProcessMeter({ ...system.pids(), ...context.sharedPids });
  meter.start();
  await running.started;
  const samples: { at: number; stored: number }[] = [];
  let finished: Awaited<typeof running.done> | undefined;
  void running.done.then((result) => (finished = result));
  let lastGrowth = Date.now();
  for (;;) {
    await sleep(context.sampleMs ?? 250);
    const stored = await system.stored(since);
    const at = Date.now();
    if (stored > (samples.at(-1)?.stored ?? 0)) lastGrowth = at;
    samples.push({ at, stored });
    if (!finished) continue;
    if (stored >= finished.sent) break;
    if (at - lastGrowth > (context.quietMs ?? 3000) || at - finished.finishedAt > context.drainCapMs) break;
  }
  const result = await running.done;
  const usage = { ...meter.stop(), generator: { cpuS: result.cpuS, peakRssMb: Number.NaN } };
  const stored = samples.at(-1)?.stored ?? 0;
  const lags = samples.map(({ at, stored: n }) => {
    const due = Math.min(result.sent, ((at - result.t0) * load.rate) / 1000);
    return n >= due ? 0 : at - (result.t0 + (n * 1000) / load.rate);
  });
  const lagP99Ms = Math.round(percentile(lags, 99));
  const visible = new LatencyHistogram();
  let previous = 0;
  for (const { at, stored: n } of samples) {
    for (let k = previous; k < Math.min(n, result.sent); k++)
      visible.add(at - (result.t0 + (k * 1000) / load.rate));
    previous = Math.max(previous, n);
  }
  const storedShare = result.sent > 0 ? stored / result.sent : 0;
  return {
    ...load,
    sent: result.sent,
    stored,
    storedShare: Number(storedShare.toFixed(5)),
    lagP50Ms: Math.round(percentile(lags, 50)),
    lagP99Ms,
    visibleP50Ms: visible.percentile(50),
    visibleP99Ms: visible.percentile(99),
    sustained: storedShare >= SUSTAINED_SHARE && lagP99Ms <= SUSTAINED_LAG_P99_MS,
    achievedRate: result.achievedRate,
    generatorBehindMs: result.maxBehindMs,
    payloadBytes: result.meanPayloadBytes,
    cpuUsPerMsg: Object.fromEntries(
      Object.entries(usage).map(([name, u]) => [name, Math.round((u.cpuS * 1e6) / Math.max(1, result.sent))]),
    ),
    peakRssMb: Object.fromEntries(Object.entries(usage).map(([name, u]) => [name, u.peakRssMb])),
  };
}
