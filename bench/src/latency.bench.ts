/**
 * Publish → queryable: how long after a device sends a reading it can be read back from
 * InfluxDB, at a trickle, a city's load and a busy hour; beside it the broker's own delivery
 * to a counting subscriber, sampled the same way (the floor of the method).
 */
import { type BenchContext, type BenchSection, fmt, log, type TargetCheck } from './bench-context';
import { runStep, type StepResult } from './measure/ingest-step';
import { MqttJsCounter } from './systems/counting-systems';
import { MeetnetSystem } from './systems/meetnet-system';
import type { SystemUnderTest } from './systems/system-under-test';

const RATES = [50, 2000, 10_000];
const TARGET_P99_MS = 2000;

export async function latencyBench(context: BenchContext): Promise<BenchSection> {
  const seconds = context.quick ? 10 : 30;
  const systems: SystemUnderTest[] = [
    new MqttJsCounter(context.brokerUrl),
    new MeetnetSystem(context.brokerUrl, context.influxUrl, 'meetnet_latency'),
  ];
  const results: Record<string, StepResult[]> = {};
  for (const system of systems) {
    await system.start(1);
    try {
      results[system.key] = [];
      for (const rate of RATES) {
        const step = await runStep(
          system,
          {
            brokerUrl: context.brokerUrl,
            sharedPids: context.sharedPids,
            sensors: 1000,
            connections: 100,
            drainCapMs: 15_000,
            sampleMs: 50,
          },
          { rate, seconds, qos: 1 },
        );
        results[system.key]!.push(step);
        log(
          `${system.key} at ${fmt(rate)} msg/s: visible p50 ${step.visibleP50Ms} ms, p99 ${step.visibleP99Ms} ms`,
        );
      }
    } finally {
      await system.stop();
    }
  }
  const meetnet = results['meetnet']!;
  const targets: TargetCheck[] = meetnet.map((s) => ({
    target: `publish → queryable p99 ≤ 2 s at ${fmt(s.rate)} msg/s`,
    measured: `${fmt(s.visibleP99Ms)} ms`,
    met: s.visibleP99Ms <= TARGET_P99_MS,
  }));
  const markdown = [
    `QoS 1, 1,000 sensors over 100 connections, ${seconds} s per rate. A message counts as queryable at the first read of the stored count (every 50 ms, InfluxQL \`count\`) that includes it, so each figure is an upper bound by up to one read. The counting subscriber, read the same way, shows the floor of the method. Meetnet flushes its batches to InfluxDB every second (\`INFLUX_FLUSH_INTERVAL_MS\`, default 1000; Telegraf’s default is 10 s).`,
    '',
    '| rate (msg/s) | broker → counting subscriber p50 / p99 (ms) | Meetnet publish → queryable p50 / p99 (ms) | stored |',
    '| ---: | ---: | ---: | ---: |',
    ...RATES.map((rate, i) => {
      const floor = results['mqttjs-counter']![i]!;
      const m = meetnet[i]!;
      return `| ${fmt(rate)} | ${fmt(floor.visibleP50Ms)} / ${fmt(floor.visibleP99Ms)} | ${fmt(m.visibleP50Ms)} / ${fmt(m.visibleP99Ms)} | ${(m.storedShare * 100).toFixed(2)} % |`;
    }),
  ].join('\n');
  return { key: 'latency', json: results, markdown, targets };
}
