/**
 * Group commit: what acknowledging after the fsync (SPOOL_ACK_AFTER=fsync, the default) costs
 * against acknowledging once written (`write`, the bound before: ≤ 100 ms of acknowledged
 * messages lost at a power cut), in turns on one broker and InfluxDB at 2,000 and 10,000 msg/s.
 */
import { writeRulesFile } from '@meetnet/tests/dist/alerts/alert-rules-file';
import { type BenchContext, type BenchSection, fmt, log, type TargetCheck } from './bench-context';
import { runStep, type StepResult } from './measure/ingest-step';
import { MeetnetSystem } from './systems/meetnet-system';

const RATES = [2000, 10_000];
const SENSORS = 1000;
const CONNECTIONS = 100;
const MODES = ['write', 'fsync'] as const;
type AckMode = (typeof MODES)[number];

interface Turn {
  mode: AckMode;
  round: number;
  rate: number;
  step: StepResult;
  /** Receipt → PUBACK in the service (meetnet_mqtt_ack_delay_seconds), over the step. */
  ackP50Ms: number;
  ackP99Ms: number;
}

export interface GroupCommitResults {
  sensors: number;
  stepSeconds: number;
  rounds: number;
  turns: Turn[];
}

/** The ack-delay histogram's cumulative buckets: upper bound (s) → count. */
async function ackBuckets(url: string): Promise<Map<number, number>> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const buckets = new Map<number, number>();
  for (const m of text.matchAll(/^meetnet_mqtt_ack_delay_seconds_bucket\{le="([^"]+)"\} (\d+)$/gm)) {
    buckets.set(m[1] === '+Inf' ? Number.POSITIVE_INFINITY : Number(m[1]), Number(m[2]));
  }
  return buckets;
}

/** A quantile of the difference of two cumulative histograms, interpolated inside its bucket (ms). */
export function histogramQuantileMs(
  before: Map<number, number>,
  after: Map<number, number>,
  q: number,
): number {
  const bounds = [...after.keys()].sort((a, b) => a - b);
  const counts = bounds.map((b) => (after.get(b) ?? 0) - (before.get(b) ?? 0));
  const total = counts.at(-1) ?? 0;
  if (total === 0) return Number.NaN;
  const rank = q * total;
  let lower = 0;
  for (let i = 0; i < bounds.length; i++) {
    const below = i === 0 ? 0 : counts[i - 1]!;
    if (counts[i]! >= rank) {
      const upper = bounds[i]!;
      if (!Number.isFinite(upper)) return lower * 1000;
      const share = counts[i]! === below ? 0 : (rank - below) / (counts[i]! - below);
      return (lower + (upper - lower) * share) * 1000;
    }
    lower = bounds[i]!;
  }
  return lower * 1000;
}

export async function groupCommitBench(context: BenchContext): Promise<BenchSection<GroupCommitResults>> {
  const rounds = 2;
  const stepSeconds = context.quick ? 10 : 30;
  const turns: Turn[] = [];
  for (let round = 1; round <= rounds; round++) {
    // Alternate which mode goes first, so neither always meets a warmer InfluxDB.
    const order = round % 2 === 1 ? MODES : [...MODES].reverse();
    for (const rate of RATES) {
      for (const mode of order) {
        const system = new MeetnetSystem(context.brokerUrl, context.influxUrl, `meetnet_gc_${mode}`, {
          SPOOL_ACK_AFTER: mode,
          // No alert rules: their job's queries would be charged to the message path.
          ALERTS_RULES_FILE: writeRulesFile({}),
        });
        await system.start();
        try {
          const stepContext = {
            brokerUrl: context.brokerUrl,
            sharedPids: context.sharedPids,
            sensors: SENSORS,
            connections: CONNECTIONS,
            drainCapMs: 15_000,
          };
          await runStep(system, stepContext, { rate: 1000, seconds: 3, qos: 1 });
          const before = await ackBuckets(system.service!.url);
          const step = await runStep(system, stepContext, { rate, seconds: stepSeconds, qos: 1 });
          const after = await ackBuckets(system.service!.url);
          const turn: Turn = {
            mode,
            round,
            rate,
            step,
            ackP50Ms: Number(histogramQuantileMs(before, after, 0.5).toFixed(2)),
            ackP99Ms: Number(histogramQuantileMs(before, after, 0.99).toFixed(2)),
          };
          turns.push(turn);
          log(
            `group commit ${mode} ${fmt(rate)}/s round ${round}: stored ${(step.storedShare * 100).toFixed(2)} %, ` +
              `${fmt(step.cpuUsPerMsg['meetnet'] ?? Number.NaN)} µs/msg, ack p50 ${turn.ackP50Ms} ms p99 ${turn.ackP99Ms} ms`,
          );
        } finally {
          await system.stop();
        }
      }
    }
  }
  const json: GroupCommitResults = { sensors: SENSORS, stepSeconds, rounds, turns };
  return { key: 'groupcommit', json, markdown: groupCommitMarkdown(json), targets: groupCommitTargets(json) };
}

const mean = (values: number[]) =>
  values.length === 0 ? Number.NaN : values.reduce((sum, v) => sum + v, 0) / values.length;

function summary(results: GroupCommitResults, mode: AckMode, rate: number) {
  const of = results.turns.filter((t) => t.mode === mode && t.rate === rate);
  return {
    stored: Math.min(...of.map((t) => t.step.storedShare)),
    sustained: of.every((t) => t.step.sustained),
    cpu: mean(of.map((t) => t.step.cpuUsPerMsg['meetnet'] ?? Number.NaN)),
    ackP50: mean(of.map((t) => t.ackP50Ms)),
    ackP99: Math.max(...of.map((t) => t.ackP99Ms)),
    visibleP99: Math.max(...of.map((t) => t.step.visibleP99Ms)),
    rss: Math.max(...of.map((t) => t.step.peakRssMb['meetnet'] ?? 0)),
  };
}

function groupCommitTargets(results: GroupCommitResults): TargetCheck[] {
  return RATES.map((rate) => {
    const write = summary(results, 'write', rate);
    const fsync = summary(results, 'fsync', rate);
    const cpuRatio = fsync.cpu / write.cpu;
    return {
      target: `group commit at ${fmt(rate)} msg/s: every message stored, sustained as before, CPU per message within 1.25× of acknowledging before fsync`,
      measured: `stored ${(fsync.stored * 100).toFixed(2)} % (before ${(write.stored * 100).toFixed(2)} %), CPU ${fmt(fsync.cpu)} vs ${fmt(write.cpu)} µs/msg (${fmt(cpuRatio, 2)}×), PUBACK p99 ${fmt(fsync.ackP99, 1)} ms`,
      met: fsync.sustained && (!write.sustained || fsync.stored >= write.stored - 0.001) && cpuRatio <= 1.25,
    };
  });
}

function groupCommitMarkdown(results: GroupCommitResults): string {
  const lines = [
    `${results.sensors} sensors over ${CONNECTIONS} connections, QoS 1, ${results.stepSeconds} s per step, ${results.rounds} rounds in alternating order; ` +
      'one service at a time on the shared Mosquitto and influxd. "before" is `SPOOL_ACK_AFTER=write` (acknowledged once written, fsync every 100 ms), ' +
      '"group commit" the default (acknowledged after the fsync covering it; ≤ `SPOOL_GROUP_COMMIT_MS` (5) ms or 1,000 lines per fsync). ' +
      'PUBACK delay is measured in the service, from the message handed to it to its PUBACK handed to the socket (`meetnet_mqtt_ack_delay_seconds`, interpolated in its buckets).',
    '',
    '| msg/s | acknowledged | stored (worst round) | sustained | service CPU µs/msg (mean of rounds) | PUBACK delay p50 (mean) / p99 (worst) (ms) | publish → queryable p99 (ms) | RSS MB |',
    '| ---: | --- | ---: | :---: | ---: | ---: | ---: | ---: |',
  ];
  for (const rate of RATES) {
    for (const mode of MODES) {
      const s = summary(results, mode, rate);
      lines.push(
        `| ${fmt(rate)} | ${mode === 'write' ? 'before: once written' : 'group commit: after fsync'} | ${(s.stored * 100).toFixed(2)} % | ${s.sustained ? 'yes' : '**no**'} | ${fmt(s.cpu)} | ${fmt(s.ackP50, 2)} / ${fmt(s.ackP99, 2)} | ${fmt(s.visibleP99)} | ${fmt(s.rss)} |`,
      );
    }
  }
  lines.push('', '<details><summary>Every turn</summary>', '');
  lines.push(
    '| round | msg/s | mode | generator achieved | stored | CPU µs/msg: service · mosquitto · influxd | PUBACK p50 / p99 (ms) | lag p99 (ms) |',
    '| ---: | ---: | --- | ---: | ---: | --- | ---: | ---: |',
  );
  for (const t of results.turns) {
    const cpu = ['meetnet', 'mosquitto', 'influxd']
      .map((p) => fmt(t.step.cpuUsPerMsg[p] ?? Number.NaN))
      .join(' · ');
    lines.push(
      `| ${t.round} | ${fmt(t.rate)} | ${t.mode} | ${fmt(t.step.achievedRate)} | ${(t.step.storedShare * 100).toFixed(2)} % | ${cpu} | ${t.ackP50Ms} / ${t.ackP99Ms} | ${fmt(t.step.lagP99Ms)} |`,
    );
  }
  lines.push('', '</details>');
  return lines.join('\n');
}
