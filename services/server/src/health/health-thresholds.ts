import { type Domain, DOMAINS, domainSpec } from '@meetnet/contracts';

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

/** Each domain's defaults, from its spec. */
export const DEFAULT_DOMAIN_THRESHOLDS = Object.fromEntries(
  DOMAINS.map((domain) => {
    const { primaryField, health } = domainSpec(domain);
    return [
      domain,
      {
        primaryField,
        plausible: { ...health.plausible },
        spikeJump: health.spikeJump,
        driftDelta: health.driftDelta,
      },
    ];
  }),
) as Record<Domain, DomainThresholds>;
