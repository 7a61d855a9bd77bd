import { type Domain, PRIMARY_FIELD } from '@meetnet/contracts';

/** Per domain: which quantity tells most about the sensor, and what is plausible for it. */
export interface DomainThresholds {
  /** Checked for flat-lining, spikes and drift: it varies all day on a working sensor. */
  primaryField: string;
  /** Narrower than the physical ranges the schema enforces: possible, but not here. */
  plausible: Record<string, [number, number]>;
  /** A step between two readings of the primary field that no real sensor makes. */
  spikeJump: number;
  /** How far the primary field may wander from its neighbours' median within the window. */
  driftDelta: number;
}

export interface HealthThresholds {
  /** Silent (no message at all) for this many intervals: offline. */
  offlineFactor: number;
  /** No observation for this many intervals, while still talking: stale. */
  staleFactor: number;
  /** This many identical readings of the primary field in a row: flat-lining. */
  flatlineReadings: number;
  /** Readings a spike stays reported, and the span over which drift is measured. */
  windowReadings: number;
  lowBatteryPct: number;
  weakSignalDbm: number;
  clockSkewS: number;
  /** Share of a sensor's recent messages that were refused. */
  rejectShare: number;
  rejectMinMessages: number;
  /** Assumed reporting interval until a sensor's meta says otherwise. */
  defaultIntervalS: number;
  domains: Record<Domain, DomainThresholds>;
}

export const DEFAULT_DOMAIN_THRESHOLDS: Record<Domain, DomainThresholds> = {
  air: {
    primaryField: PRIMARY_FIELD.air,
    plausible: {
      pm25: [0, 500],
      pm10: [0, 800],
      no2: [0, 400],
      o3: [0, 400],
      temperature: [-30, 45],
      humidity: [5, 100],
    },
    spikeJump: 60,
    driftDelta: 15,
  },
  noise: {
    primaryField: PRIMARY_FIELD.noise,
    plausible: { laeq: [25, 115], lamax: [25, 140], la90: [15, 110] },
    spikeJump: 20,
    driftDelta: 8,
  },
  mobility: {
    primaryField: PRIMARY_FIELD.mobility,
    plausible: {
      v85: [0, 160],
      car: [0, 20_000],
      heavy: [0, 5000],
      bike: [0, 20_000],
      pedestrian: [0, 50_000],
    },
    spikeJump: 60,
    driftDelta: 25,
  },
};
