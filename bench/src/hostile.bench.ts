/**
 * One hostile device beside an honest fleet: 1,000 sensors sending 2,000 msg/s, first alone,
 * then while one device sends hostile messages as fast as its connection allows. The service
 * runs with its shipped per-device budget (10 msg/s, burst 100); the figure is the honest
 * fleet's stored share with the attacker against without it, in the same run.
 */
import { REJECT_REASONS } from '@meetnet/contracts';
import { type BenchContext, type BenchSection, fmt, log } from './bench-context';
import { ATTACKER, type AttackerResult, HOSTILE_PAYLOADS, startAttacker } from './load/hostile-device';
import { runStep, type StepResult } from './measure/ingest-step';
import { MeetnetSystem } from './systems/meetnet-system';

const RATE = 2000;
const TARGET_RATIO = 0.99;

interface HostileResult {
  alone: StepResult;
  attacked: StepResult;
  attacker: AttackerResult;
  /** Refusals during the attacked step, by reason (all of them the attacker's). */
  refused: Record<string, number>;
  serviceDisconnects: number;
}

export async function hostileBench(context: BenchContext): Promise<BenchSection<HostileResult>> {
  const seconds = context.quick ? 20 : 60;
  const system = new MeetnetSystem(context.brokerUrl, context.influxUrl, 'meetnet_hostile', {
    // The shipped defaults, which the test helper raises for fault tests.
    INGEST_DEVICE_RATE_PER_S: '10',
    INGEST_DEVICE_BURST: '100',
  });
  const step = {
    brokerUrl: context.brokerUrl,
    sharedPids: context.sharedPids,
    sensors: 1000,
    connections: 100,
    drainCapMs: 15_000,
  };
  await system.start();
  try {
    const service = system.service!;
    const alone = await runStep(system, step, { rate: RATE, seconds, qos: 1 });
    log(`honest fleet alone: ${(alone.storedShare * 100).toFixed(3)} % stored`);
    const before = await refusals(service.metric);
    const attack = startAttacker({ brokerUrl: context.brokerUrl, seconds: seconds + 2, window: 500 });
    await attack.started;
    const attacked = await runStep(system, step, { rate: RATE, seconds, qos: 1 });
    const attacker = await attack.done;
    const after = await refusals(service.metric);
    const refused = Object.fromEntries(
      REJECT_REASONS.map((r) => [r, after[r]! - before[r]!]).filter(([, n]) => Number(n) > 0),
    ) as Record<string, number>;
    const serviceDisconnects = await service.metric('meetnet_mqtt_disconnects_total');
    log(
      `with the attacker (${fmt(attacker.ratePerS)} msg/s, ${attacker.mbPerS} MB/s): ${(attacked.storedShare * 100).toFixed(3)} % stored`,
    );
    const result = { alone, attacked, attacker, refused, serviceDisconnects };
    return { key: 'hostile', json: result, markdown: render(result, seconds), targets: targets(result) };
  } finally {
    await system.stop();
  }
}

async function refusals(metric: (sample: string) => Promise<number>): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const reason of REJECT_REASONS) {
    counts[reason] = await metric(`meetnet_ingest_rejected_total{reason="${reason}"}`);
  }
  return counts;
}

const ratioOf = (r: HostileResult) => r.attacked.storedShare / Math.max(1e-9, r.alone.storedShare);

function targets(r: HostileResult): BenchSection['targets'] {
  return [
    {
      target: `honest stored share with one hostile device ≥ ${TARGET_RATIO * 100} % of without (2,000 msg/s)`,
      measured: `${(ratioOf(r) * 100).toFixed(2)} %`,
      met: ratioOf(r) >= TARGET_RATIO,
    },
    {
      target: 'no honest message lost with the attacker',
      measured: `${fmt(r.attacked.sent - r.attacked.stored)} lost`,
      met: r.attacked.stored >= r.attacked.sent,
    },
  ];
}

function render(r: HostileResult, seconds: number): string {
  const row = (label: string, s: StepResult) =>
    `| ${label} | ${fmt(s.sent)} | ${fmt(s.stored)} | ${(s.storedShare * 100).toFixed(3)} % | ${fmt(s.visibleP50Ms)} / ${fmt(s.visibleP99Ms)} | ${fmt(s.cpuUsPerMsg['meetnet'] ?? Number.NaN)} | ${fmt(s.peakRssMb['meetnet'] ?? Number.NaN)} |`;
  return [
    `1,000 honest sensors over 100 connections, ${fmt(RATE)} msg/s at QoS 1 for ${seconds} s, first alone, then beside one hostile device (\`${ATTACKER.city}/${ATTACKER.domain}/${ATTACKER.sensorId}\`) publishing at QoS 1 with 500 unacknowledged messages in flight, as fast as the broker takes them, cycling through: ${HOSTILE_PAYLOADS.map((p) => p.kind).join(', ')}. The service runs with its shipped per-device budget (10 msg/s, burst 100).`,
    '',
    '| honest fleet | sent | stored | stored share | publish → queryable p50 / p99 (ms) | service CPU (µs per honest msg) | service peak RSS (MB) |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    row('alone', r.alone),
    row('beside the attacker', r.attacked),
    '',
    `Stored share with the attacker: **${(ratioOf(r) * 100).toFixed(2)} %** of without. The attacker sent ${fmt(r.attacker.sent)} messages (${fmt(r.attacker.ratePerS)} msg/s, ${r.attacker.mbPerS} MB/s); the service refused them as ${Object.entries(
      r.refused,
    )
      .map(([reason, n]) => `${reason} ${fmt(n)}`)
      .join(', ')}; service disconnects from the broker: ${fmt(r.serviceDisconnects)}.`,
  ].join('\n');
}
