import {
  buildTopic,
  type MetaPayload,
  type MobilityObservationPayload,
  type SensorAddress,
} from '@meetnet/contracts';

/** The city every benchmark sensor reports for, so a count never mixes with other data. */
export const BENCH_CITY = 'bench';
/** Mobility: its `car` count is an integer field every system stores as it comes. */
export const BENCH_DOMAIN = 'mobility';
/** The field that carries each message's per-sensor sequence number. */
export const SEQUENCE_FIELD = 'car';

export function benchSensor(index: number): SensorAddress {
  return { city: BENCH_CITY, domain: BENCH_DOMAIN, sensorId: `s${String(index).padStart(5, '0')}` };
}

/**
 * A traffic counter's five-minute report as the contracts define it (about 120 bytes): the
 * send time in `ts`, the per-sensor sequence number in `car`, plausible values elsewhere.
 */
export function observationPayload(seq: number, sentAtMs: number): string {
  const payload: MobilityObservationPayload = {
    ts: new Date(sentAtMs).toISOString(),
    periodS: 300,
    [SEQUENCE_FIELD]: seq % 100_000,
    bike: 20 + (seq % 37),
    pedestrian: seq % 11,
    heavy: seq % 7,
    v85: 40 + (seq % 25) / 2,
  };
  return JSON.stringify(payload);
}

/** A grid over Leuven, the dashboard's default view, so the map has to draw every one. */
export function metaPayload(index: number, count: number): string {
  const columns = Math.ceil(Math.sqrt(count * 1.8));
  const rows = Math.ceil(count / columns);
  const [west, south, east, north] = [4.64, 50.84, 4.77, 50.91];
  const payload: MetaPayload = {
    name: `Teller ${index}`,
    lat: south + ((Math.floor(index / columns) + 0.5) / rows) * (north - south),
    lon: west + (((index % columns) + 0.5) / columns) * (east - west),
    model: 'bench-counter',
    intervalS: 300,
  };
  return JSON.stringify(payload);
}

export const observationTopic = (index: number) => buildTopic(benchSensor(index), 'obs');
export const metaTopic = (index: number) => buildTopic(benchSensor(index), 'meta');
