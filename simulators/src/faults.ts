import { type Domain, type ObservationPayload, PRIMARY_FIELD, type StatusPayload } from '@meetnet/contracts';
import type { SimulatedSensor } from './fleet';
import { SIMULATED_DOMAINS } from './readings';
import { Random } from './random';

/** What a simulated device can do wrong; each has a health rule that must catch it. */
export const FAULT_KINDS = [
  'dropout',
  'stuck',
  'drift',
  'spikes',
  'low_battery',
  'weak_signal',
  'clock_skew',
  'malformed',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** Faults that change the primary reading: only for domains whose simulation allows them. */
const VALUE_FAULTS: readonly FaultKind[] = ['stuck', 'drift', 'spikes'];
const valueFaultsOf = (domain: Domain) => SIMULATED_DOMAINS[domain].valueFaults;
const SPIKE_EVERY = 6;
const CLOCK_SKEW_MS = -20 * 60_000;

/** Named, deterministic fault mixes; `health-ci` is what the integration test runs. */
export const FAULT_SCENARIOS: Record<string, string> = {
  'health-ci': 'dropout:2,stuck:2,drift:2,spikes:2,low_battery:2,weak_signal:2,clock_skew:2,malformed:2',
  'health-demo':
    'dropout:2%,stuck:2%,drift:2%,spikes:2%,low_battery:3%,weak_signal:3%,clock_skew:1%,malformed:1%',
};

export type FaultSpec = Array<{ kind: FaultKind; count: number } | { kind: FaultKind; share: number }>;

export class FaultSpecError extends Error {}

/** `stuck:3,drift:5%` → kinds with a count or a share of the fleet. */
export function parseFaultSpec(text: string): FaultSpec {
  return text.split(',').map((part) => {
    const match = /^([a-z_]+):(\d+(?:\.\d+)?)(%?)$/.exec(part.trim());
    const kind = match?.[1] as FaultKind | undefined;
    if (!match || !kind || !(FAULT_KINDS as readonly string[]).includes(kind)) {
      throw new FaultSpecError(
        `"${part}": expected kind:count or kind:percent%, kinds ${FAULT_KINDS.join(', ')}`,
      );
    }
    const amount = Number(match[2]);
    return match[3] ? { kind, share: amount / 100 } : { kind, count: Math.round(amount) };
  });
}

/**
 * Which device gets which fault: the same seed gives the same choice, each device at most one
 * fault, value faults only where the reading varies all day.
 */
export function assignFaults(
  fleet: readonly SimulatedSensor[],
  spec: FaultSpec,
  seed: string,
): Map<string, FaultKind> {
  const random = new Random(`${seed}:faults`);
  const order = fleet.map((sensor) => ({ sensor, rank: random.uniform() })).sort((a, b) => a.rank - b.rank);
  const assigned = new Map<string, FaultKind>();
  const keyOf = (s: SimulatedSensor) => `${s.city}/${s.domain}/${s.sensorId}`;
  for (const entry of spec) {
    const eligible = order.filter(
      ({ sensor }) =>
        !assigned.has(keyOf(sensor)) &&
        (!VALUE_FAULTS.includes(entry.kind) || valueFaultsOf(sensor.domain) !== undefined),
    );
    // A share is a wish (a small fleet gets fewer faults); a count is a promise.
    const wanted =
      'count' in entry ? entry.count : Math.min(eligible.length, Math.round(entry.share * fleet.length));
    if (eligible.length < wanted) {
      throw new FaultSpecError(
        `${entry.kind}: wanted ${wanted} devices, only ${eligible.length} left to give it to`,
      );
    }
    for (const { sensor } of eligible.slice(0, wanted)) assigned.set(keyOf(sensor), entry.kind);
  }
  return assigned;
}

/** One faulty device's behaviour, from the moment its fault starts. */
export class FaultyBehaviour {
  private readings = 0;
  private frozen: ObservationPayload | undefined;

  constructor(
    readonly kind: FaultKind,
    private readonly sensor: SimulatedSensor,
  ) {}

  /** The status to publish when the fault starts, if it shows there. */
  status(): StatusPayload | undefined {
    if (this.kind === 'low_battery') return { online: true, battery: 8, signalDbm: -70 };
    if (this.kind === 'weak_signal') return { online: true, battery: 90, signalDbm: -118 };
    return undefined;
  }

  /** The observation as the faulty device sends it; a string is sent as is (malformed). */
  observation(healthy: ObservationPayload): ObservationPayload | string {
    this.readings += 1;
    const faults = valueFaultsOf(this.sensor.domain);
    const field = faults ? PRIMARY_FIELD[this.sensor.domain] : undefined;
    const values = healthy as unknown as Record<string, number>;
    switch (this.kind) {
      case 'stuck':
        this.frozen ??= healthy;
        return { ...this.frozen, ts: healthy.ts };
      case 'drift':
        return field
          ? withField(healthy, field, values[field]! + faults!.driftPerReading * this.readings)
          : healthy;
      case 'spikes':
        return field && this.readings % SPIKE_EVERY === 0
          ? withField(healthy, field, values[field]! + faults!.spike)
          : healthy;
      case 'clock_skew':
        return { ...healthy, ts: Number(healthy.ts) + CLOCK_SKEW_MS };
      case 'malformed':
        // Every other message cut off mid-way, as a flaky modem sends it.
        return this.readings % 2 === 0 ? JSON.stringify(healthy).slice(0, 20) : healthy;
      case 'dropout':
      case 'low_battery':
      case 'weak_signal':
        return healthy;
    }
  }
}

function withField(payload: ObservationPayload, field: string, value: number): ObservationPayload {
  return { ...payload, [field]: Math.round(value * 10) / 10 };
}
