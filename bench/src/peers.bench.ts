/**
 * Meetnet beside what a city already runs: Telegraf's mqtt_consumer → influxdb (agent
 * defaults, and tuned to a 1 s flush) and Node-RED's batched flow, in turns on one Mosquitto
 * and one influxd: the highest rate each stores in full, its CPU per message and memory,
 * publish → queryable at 2,000 and 10,000 msg/s, and an InfluxDB outage under load.
 */
import { writeRulesFile } from '@meetnet/tests/dist/alerts/alert-rules-file';
import { FaultProxy } from '@meetnet/tests/dist/support/fault-proxy';
import { freePort } from '@meetnet/tests/dist/support/free-port';
import { type BenchContext, type BenchSection, fmt, log, type TargetCheck } from './bench-context';
import { runStep, type StepResult } from './measure/ingest-step';
import { MeetnetSystem } from './systems/meetnet-system';
import { NodeRedSystem } from './systems/node-red-system';
import type { SystemUnderTest } from './systems/system-under-test';
import { installTelegraf, TelegrafSystem } from './systems/telegraf-system';

const STEPS = [1000, 2000, 5000, 10_000, 20_000, 50_000];
/** Stored in full: what a city compares first. Freshness is reported beside it. */
const STORED_IN_FULL = 0.999;
const OUTAGE_RATE = 2000;

type SystemKey = 'meetnet' | 'telegraf-default' | 'telegraf-flush1s' | 'node-red-batched';

interface PeerResult {
  key: SystemKey;
  label: string;
  steps: StepResult[];
  /** Highest rate whose messages were all stored within the drain (15 s after the last). */
  maxStoredInFull: number;
  /** Highest rate stored in full and fresh (lag p99 ≤ 2 s), as the ingest ladder counts it. */
  maxSustained: number;
  /** `drainS`: from InfluxDB back to the last message stored; null if not all were. */
  outage: { published: number; stored: number; lost: number; outageS: number; drainS: number | null };
}

export interface PeersResults {
  stepSeconds: number;
  outageS: number;
  systems: PeerResult[];
}

function systemsFor(context: BenchContext, writeUrl?: string): Record<SystemKey, SystemUnderTest> {
  const noAlerts = { ALERTS_RULES_FILE: writeRulesFile({}) };
  return {
    meetnet: new MeetnetSystem(context.brokerUrl, context.influxUrl, 'meetnet_peers', {
      ...noAlerts,
      ...(writeUrl ? { INFLUX_URL: writeUrl } : {}),
    }),
    'telegraf-default': new TelegrafSystem('default', context.brokerUrl, context.influxUrl, writeUrl),
    'telegraf-flush1s': new TelegrafSystem('flush1s', context.brokerUrl, context.influxUrl, writeUrl),
    'node-red-batched': new NodeRedSystem('batched', context.brokerUrl, context.influxUrl, writeUrl),
  };
}

const stepContext = (context: BenchContext) => ({
  brokerUrl: context.brokerUrl,
  sharedPids: context.sharedPids,
  sensors: 1000,
  connections: 100,
  drainCapMs: 15_000,
  // Past Telegraf's 10 s flush, which writes the last partial batch of a step.
  quietMs: 12_000,
});

async function ladder(
  system: SystemUnderTest,
  context: BenchContext,
  seconds: number,
): Promise<StepResult[]> {
  await system.start(1);
  const steps: StepResult[] = [];
  try {
    await runStep(system, stepContext(context), { rate: 1000, seconds: 3, qos: 1 });
    for (const rate of STEPS) {
      const step = await runStep(system, stepContext(context), { rate, seconds, qos: 1 });
      steps.push(step);
      log(
        `peers ${system.key} ${fmt(rate)}/s: stored ${(step.storedShare * 100).toFixed(2)} %, ` +
          `${fmt(step.cpuUsPerMsg[system.key] ?? Number.NaN)} µs/msg, queryable p99 ${fmt(step.visibleP99Ms)} ms`,
      );
      if (step.storedShare < STORED_IN_FULL) break;
    }
  } finally {
    await system.stop();
  }
  return steps;
}

/** InfluxDB refuses connections for `outageS` in the middle of a steady load. */
async function outage(key: SystemKey, context: BenchContext, outageS: number): Promise<PeerResult['outage']> {
  const upstream = new URL(context.influxUrl);
  const proxy = await FaultProxy.start(await freePort(), Number(upstream.port));
  const system = systemsFor(context, proxy.url)[key];
  await system.start(1);
  try {
    const seconds = outageS + 20;
    const since = Date.now();
    const step = runStep(
      system,
      { ...stepContext(context), drainCapMs: 60_000 },
      { rate: OUTAGE_RATE, seconds, qos: 1 },
    );
    await new Promise((resolve) => setTimeout(resolve, 5000));
    await proxy.setMode('refuse');
    await new Promise((resolve) => setTimeout(resolve, outageS * 1000));
    await proxy.setMode('pass');
    const recoveredAt = Date.now();
    const result = await step;
    // The step stops looking after 3 s without growth; a system retrying with backoff after
    // the outage needs longer. Wait until all is stored, or nothing more came for 20 s.
    let stored = await system.stored(since);
    let storedAt = Date.now();
    let lastGrowth = Date.now();
    while (stored < result.sent && Date.now() - lastGrowth < 20_000 && Date.now() - recoveredAt < 180_000) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      const now = await system.stored(since);
      if (now > stored) {
        stored = now;
        storedAt = lastGrowth = Date.now();
      }
    }
    const drainS = stored >= result.sent ? Math.round((storedAt - recoveredAt) / 100) / 10 : null;
    log(`peers ${key} outage ${outageS} s: stored ${stored} of ${result.sent}`);
    return { published: result.sent, stored, lost: Math.max(0, result.sent - stored), outageS, drainS };
  } finally {
    await system.stop();
    await proxy.close();
  }
}

export async function peersBench(context: BenchContext): Promise<BenchSection<PeersResults>> {
  installTelegraf();
  const stepSeconds = context.quick ? 5 : 10;
  const outageS = context.quick ? 30 : 120;
  const results: PeerResult[] = [];
  for (const [key, system] of Object.entries(systemsFor(context)) as [SystemKey, SystemUnderTest][]) {
    const steps = await ladder(system, context, stepSeconds);
    const full = steps.filter((s) => s.storedShare >= STORED_IN_FULL).map((s) => s.rate);
    results.push({
      key,
      label: system.label,
      steps,
      maxStoredInFull: Math.max(0, ...full),
      maxSustained: Math.max(0, ...steps.filter((s) => s.sustained).map((s) => s.rate)),
      outage: await outage(key, context, outageS),
    });
  }
  const json: PeersResults = { stepSeconds, outageS, systems: results };
  return { key: 'peers', json, markdown: peersMarkdown(json), targets: peersTargets(json) };
}

const at = (r: PeerResult, rate: number) => r.steps.find((s) => s.rate === rate);
const cpuAt = (r: PeerResult, rate: number) => at(r, rate)?.cpuUsPerMsg[r.key] ?? Number.NaN;

function peersTargets(results: PeersResults): TargetCheck[] {
  const of = (key: SystemKey) => results.systems.find((s) => s.key === key)!;
  const meetnet = of('meetnet');
  const telegraf = of('telegraf-default');
  const nodeRed = of('node-red-batched');
  const checks: TargetCheck[] = [2000, 10_000].map((rate) => ({
    target: `CPU per stored message ≤ Telegraf's default at ${fmt(rate)} msg/s`,
    measured: `${fmt(cpuAt(meetnet, rate))} vs ${fmt(cpuAt(telegraf, rate))} µs/msg`,
    met: cpuAt(meetnet, rate) <= cpuAt(telegraf, rate),
  }));
  checks.push({
    target:
      "max sustained rate (stored in full, lag p99 ≤ 2 s) ≥ 1.5× Telegraf's default and ≥ 2× Node-RED batched",
    measured: `${fmt(meetnet.maxSustained)} vs ${fmt(telegraf.maxSustained)} and ${fmt(nodeRed.maxSustained)} msg/s (ladder's top: ${fmt(STEPS.at(-1)!)})`,
    met:
      meetnet.maxSustained >= 1.5 * telegraf.maxSustained && meetnet.maxSustained >= 2 * nodeRed.maxSustained,
  });
  const p99 = at(meetnet, 10_000)?.visibleP99Ms ?? Number.NaN;
  checks.push({
    target: 'publish → queryable p99 ≤ 2 s at 10,000 msg/s (beside the peers)',
    measured: `${fmt(p99)} ms (Telegraf default ${fmt(at(telegraf, 10_000)?.visibleP99Ms ?? Number.NaN)} ms)`,
    met: p99 <= 2000,
  });
  checks.push({
    target: `0 acknowledged messages lost in a ${results.outageS} s InfluxDB outage`,
    measured: `${meetnet.outage.lost} lost (Telegraf default ${telegraf.outage.lost})`,
    met: meetnet.outage.lost === 0,
  });
  return checks;
}

function peersMarkdown(results: PeersResults): string {
  const lines = [
    `QoS 1, 1,000 sensors over 100 connections, steps of ${results.stepSeconds} s, one system at a time on the shared Mosquitto and influxd. ` +
      `"Stored in full" is the highest step whose messages were all (≥ 99.9 %) stored within 15 s of the last one, whatever the delay; "sustained" adds the ingest ladder's freshness rule (the stored count trails the sent one by ≤ 2 s at p99). The ladder's top step is ${fmt(STEPS.at(-1)!)} msg/s. Publish → queryable is read four times a second. ` +
      `The outage turn publishes ${fmt(OUTAGE_RATE)} msg/s while InfluxDB refuses connections for ${results.outageS} s, and counts what is stored once nothing more arrives for 20 s (at most 3 minutes after InfluxDB is back). ` +
      'Telegraf v1.37.2 (built from the Go module proxy), configured as a city would: `topic_parsing` for measurement and tags, `json_time_key = "ts"`, QoS 1, a persistent session.',
    '',
    '| system | sustained up to (msg/s) | stored in full up to (msg/s) | CPU µs/msg at 2,000 · 10,000 | RSS MB (peak) | publish → queryable p50 / p99 at 2,000 (ms) | at 10,000 (ms) | outage: stored of published (drain s) |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of results.systems) {
    const two = at(r, 2000);
    const ten = at(r, 10_000);
    const rss = Math.max(0, ...r.steps.map((s) => s.peakRssMb[r.key] ?? 0));
    lines.push(
      `| ${r.label} | ${fmt(r.maxSustained)} | ${fmt(r.maxStoredInFull)} | ${fmt(cpuAt(r, 2000))} · ${fmt(cpuAt(r, 10_000))} | ${fmt(rss)} | ` +
        `${two ? `${fmt(two.visibleP50Ms)} / ${fmt(two.visibleP99Ms)}` : '–'} | ${ten ? `${fmt(ten.visibleP50Ms)} / ${fmt(ten.visibleP99Ms)}` : '–'} | ` +
        `${fmt(r.outage.stored)} of ${fmt(r.outage.published)}${r.outage.lost > 0 ? ` (**${fmt(r.outage.lost)} lost**)` : ''} (${r.outage.drainS ?? '–'}) |`,
    );
  }
  lines.push('', '<details><summary>Every step</summary>', '');
  lines.push(
    '| system | msg/s | generator achieved | stored | CPU µs/msg: system · mosquitto · influxd | queryable p50 / p99 (ms) |',
    '| --- | ---: | ---: | ---: | --- | ---: |',
  );
  for (const r of results.systems) {
    for (const s of r.steps) {
      const cpu = [r.key, 'mosquitto', 'influxd'].map((p) => fmt(s.cpuUsPerMsg[p] ?? Number.NaN)).join(' · ');
      lines.push(
        `| ${r.key} | ${fmt(s.rate)} | ${fmt(s.achievedRate)} | ${(s.storedShare * 100).toFixed(2)} % | ${cpu} | ${fmt(s.visibleP50Ms)} / ${fmt(s.visibleP99Ms)} |`,
      );
    }
  }
  lines.push('', '</details>');
  return lines.join('\n');
}
