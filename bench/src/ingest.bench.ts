/**
 * Ingest: the highest open-loop rate each system sustains (≥ 99.9 % stored, lag p99 ≤ 2 s),
 * with CPU per message and memory, against the broker's own delivery limit and Node-RED.
 * Every system takes its turn on the same broker and InfluxDB, round after round.
 */
import { type BenchContext, type BenchSection, fmt, log, type TargetCheck } from './bench-context';
import { runStep, type StepResult } from './measure/ingest-step';
import { MosquittoSubCounter, MqttJsCounter } from './systems/counting-systems';
import { MeetnetSystem } from './systems/meetnet-system';
import { NodeRedSystem } from './systems/node-red-system';
import type { SystemUnderTest } from './systems/system-under-test';

const STEPS = [1000, 2000, 5000, 10_000, 20_000, 50_000];
const SENSORS = 1000;
/** Sensors share connections ten to one: many connections, as a city's fleet has. */
const CONNECTIONS = 100;
const WARM_UP = { rate: 1000, seconds: 3 };

interface Ladder {
  system: string;
  qos: 0 | 1;
  round: number;
  steps: StepResult[];
  /** Highest step sustained; 0 when not even the first was. */
  maxSustained: number;
}

export interface IngestResults {
  sensors: number;
  connections: number;
  stepSeconds: number;
  rounds: number;
  ladders: Ladder[];
  maxSustained: Record<string, Record<'qos0' | 'qos1', number>>;
}

async function runLadder(
  system: SystemUnderTest,
  context: BenchContext,
  qos: 0 | 1,
  round: number,
  stepSeconds: number,
  bisections: number,
): Promise<Ladder> {
  const stepContext = {
    brokerUrl: context.brokerUrl,
    sharedPids: context.sharedPids,
    sensors: SENSORS,
    connections: CONNECTIONS,
    drainCapMs: context.quick ? 15_000 : 30_000,
  };
  await system.start(qos);
  const steps: StepResult[] = [];
  try {
    await runStep(system, stepContext, { ...WARM_UP, qos });
    const run = async (rate: number) => {
      const step = await runStep(system, stepContext, { rate, seconds: stepSeconds, qos });
      steps.push(step);
      log(
        `${system.key} QoS ${qos} ${fmt(rate)}/s: stored ${(step.storedShare * 100).toFixed(2)} %, lag p99 ${fmt(step.lagP99Ms)} ms, ` +
          `${fmt(step.cpuUsPerMsg[system.key] ?? Number.NaN)} µs/msg${step.sustained ? '' : ' — not sustained'}`,
      );
      return step.sustained;
    };
    let [sustained, failed] = [0, 0];
    for (const rate of STEPS) {
      if (!(await run(rate))) {
        failed = rate;
        break;
      }
      sustained = rate;
    }
    // The steps are far apart (10k, 20k): halve the gap, so ratios are not all 1× or 2×.
    for (let i = 0; i < bisections && sustained > 0 && failed > 0; i++) {
      const rate = Math.round((sustained + failed) / 2 / 500) * 500;
      if (rate === sustained || rate === failed) break;
      if (await run(rate)) sustained = rate;
      else failed = rate;
    }
  } finally {
    await system.stop();
  }
  const sustained = steps.filter((s) => s.sustained).map((s) => s.rate);
  return { system: system.key, qos, round, steps, maxSustained: Math.max(0, ...sustained) };
}

export async function ingestBench(context: BenchContext): Promise<BenchSection<IngestResults>> {
  const systems: SystemUnderTest[] = [
    new MqttJsCounter(context.brokerUrl),
    new MosquittoSubCounter(context.brokerUrl),
    new MeetnetSystem(context.brokerUrl, context.influxUrl),
    new NodeRedSystem('default', context.brokerUrl, context.influxUrl),
    new NodeRedSystem('batched', context.brokerUrl, context.influxUrl),
  ];
  const rounds = context.quick ? 1 : 2;
  const stepSeconds = context.quick ? 5 : 10;
  const ladders: Ladder[] = [];
  for (let round = 1; round <= rounds; round++) {
    for (const qos of [1, 0] as const) {
      for (const system of systems) {
        // The cross-check needs one round; its turns are better spent on the systems compared.
        if (system instanceof MosquittoSubCounter && round > 1) continue;
        log(`ingest round ${round}, QoS ${qos}: ${system.label}`);
        ladders.push(await runLadder(system, context, qos, round, stepSeconds, context.quick ? 1 : 2));
      }
    }
  }
  // A rate counts as sustained only if every round sustained it.
  const maxSustained: IngestResults['maxSustained'] = {};
  for (const system of systems) {
    const of = (qos: 0 | 1) =>
      Math.min(...ladders.filter((l) => l.system === system.key && l.qos === qos).map((l) => l.maxSustained));
    maxSustained[system.key] = { qos1: of(1), qos0: of(0) };
  }
  const json: IngestResults = {
    sensors: SENSORS,
    connections: CONNECTIONS,
    stepSeconds,
    rounds,
    ladders,
    maxSustained,
  };
  return { key: 'ingest', json, markdown: ingestMarkdown(json, systems), targets: ingestTargets(json) };
}

/** Meetnet's rate over another's; when the other sustained no step, a lower bound. */
function ratio(meetnet: number, other: number): { text: string; value: number } {
  if (other === 0) return { text: `> ${fmt(meetnet / STEPS[0]!, 1)}×`, value: meetnet / STEPS[0]! };
  return { text: `${fmt(meetnet / other, 2)}×`, value: meetnet / other };
}

function ingestTargets(results: IngestResults): TargetCheck[] {
  const m = results.maxSustained;
  const checks: TargetCheck[] = [];
  for (const qos of ['qos1', 'qos0'] as const) {
    const meetnet = m['meetnet']![qos];
    const limit = ratio(meetnet, m['mqttjs-counter']![qos]);
    const nodeRed = ratio(meetnet, m['node-red-default']![qos]);
    const batched = ratio(meetnet, m['node-red-batched']![qos]);
    const label = qos === 'qos1' ? 'QoS 1' : 'QoS 0';
    checks.push(
      {
        target: `ingest ≥ 0.5× the broker → counting subscriber limit (${label})`,
        measured: limit.text,
        met: limit.value >= 0.5,
      },
      {
        target: `ingest ≥ 10× Node-RED's default flow (${label})`,
        measured: nodeRed.text,
        met: nodeRed.value >= 10,
      },
      {
        target: `ingest ≥ 2× Node-RED's batched flow (${label})`,
        measured: batched.text,
        met: batched.value >= 2,
      },
    );
  }
  return checks;
}

function ingestMarkdown(results: IngestResults, systems: SystemUnderTest[]): string {
  const lines: string[] = [];
  const rate = (n: number) => (n === 0 ? `< ${fmt(STEPS[0]!)}` : fmt(n));
  lines.push(
    `Open-loop load of ${fmt(results.sensors)} sensors over ${results.connections} connections, steps of ${results.stepSeconds} s (${STEPS.map((s) => fmt(s)).join(', ')} msg/s), ` +
      `then one or two steps halving the gap between the last rate sustained and the first not, ${results.rounds} round(s), each system in turn on the same Mosquitto and InfluxDB. A step is sustained when ≥ 99.9 % of its messages are stored ` +
      '(counted, for the subscribers that only count) and the stored count trails the sent one by ≤ 2 s at p99; a system’s rate is the highest step it sustained in every round.',
    '',
    '| system | max sustained, QoS 1 (msg/s) | max sustained, QoS 0 (msg/s) | CPU µs/msg at 2,000 msg/s, QoS 1 (its own process) | peak RSS (MB) |',
    '| --- | ---: | ---: | ---: | ---: |',
  );
  for (const system of systems) {
    const m = results.maxSustained[system.key]!;
    const step = results.ladders
      .filter((l) => l.system === system.key && l.qos === 1)
      .flatMap((l) => l.steps)
      .find((s) => s.rate === 2000);
    const peak = Math.max(
      0,
      ...results.ladders
        .filter((l) => l.system === system.key)
        .flatMap((l) => l.steps.map((s) => s.peakRssMb[system.key] ?? 0)),
    );
    lines.push(
      `| ${system.label} | ${rate(m.qos1)} | ${rate(m.qos0)} | ${step ? fmt(step.cpuUsPerMsg[system.key] ?? Number.NaN) : '–'} | ${fmt(peak)} |`,
    );
  }
  lines.push('', '<details><summary>Every step</summary>', '');
  lines.push(
    '| system | round | QoS | offered msg/s | generator achieved | stored | lag p50 / p99 (ms) | CPU µs/msg: system · mosquitto · influxd · generator | RSS MB | sustained |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | :---: |',
  );
  for (const ladder of results.ladders) {
    for (const s of ladder.steps) {
      const cpu = [ladder.system, 'mosquitto', 'influxd', 'generator']
        .map((p) => fmt(s.cpuUsPerMsg[p] ?? Number.NaN))
        .join(' · ');
      lines.push(
        `| ${ladder.system} | ${ladder.round} | ${s.qos} | ${fmt(s.rate)} | ${fmt(s.achievedRate)} | ${(s.storedShare * 100).toFixed(2)} % | ${fmt(s.lagP50Ms)} / ${fmt(s.lagP99Ms)} | ${cpu} | ${fmt(s.peakRssMb[ladder.system] ?? Number.NaN)} | ${s.sustained ? 'yes' : '**no**'} |`,
      );
    }
  }
  lines.push('', '</details>');
  return lines.join('\n');
}
