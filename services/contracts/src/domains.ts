/**
 * The three sensor domains and their observation fields: the single place where units and
 * physical ranges are defined. Schemas, InfluxDB field names, the simulators and the
 * dashboard's legends all read from here.
 */
export const DOMAINS = ['air', 'noise', 'mobility'] as const;
export type Domain = (typeof DOMAINS)[number];

export function isDomain(value: string): value is Domain {
  return (DOMAINS as readonly string[]).includes(value);
}

export interface FieldSpec {
  /** Unit as shown to people. */
  unit: string;
  /** Lowest physically possible value (inclusive). */
  min: number;
  /** Highest physically plausible value (inclusive); anything above is a broken sensor. */
  max: number;
  /** Counts are whole numbers. */
  integer?: boolean;
  label: { nl: string; en: string };
}

export const AIR_FIELDS = {
  pm25: {
    unit: 'µg/m³',
    min: 0,
    max: 1000,
    label: { nl: 'Fijn stof PM2,5', en: 'Particulate matter PM2.5' },
  },
  pm10: { unit: 'µg/m³', min: 0, max: 2000, label: { nl: 'Fijn stof PM10', en: 'Particulate matter PM10' } },
  no2: { unit: 'µg/m³', min: 0, max: 2000, label: { nl: 'Stikstofdioxide NO₂', en: 'Nitrogen dioxide NO₂' } },
  o3: { unit: 'µg/m³', min: 0, max: 1000, label: { nl: 'Ozon O₃', en: 'Ozone O₃' } },
  temperature: { unit: '°C', min: -40, max: 60, label: { nl: 'Temperatuur', en: 'Temperature' } },
  humidity: { unit: '%', min: 0, max: 100, label: { nl: 'Relatieve vochtigheid', en: 'Relative humidity' } },
} as const satisfies Record<string, FieldSpec>;

export const NOISE_FIELDS = {
  laeq: {
    unit: 'dB(A)',
    min: 0,
    max: 150,
    label: { nl: 'Equivalent geluidsniveau LAeq', en: 'Equivalent level LAeq' },
  },
  lamax: {
    unit: 'dB(A)',
    min: 0,
    max: 150,
    label: { nl: 'Maximaal geluidsniveau LAmax', en: 'Maximum level LAmax' },
  },
  la90: {
    unit: 'dB(A)',
    min: 0,
    max: 150,
    label: { nl: 'Achtergrondniveau LA90', en: 'Background level LA90' },
  },
} as const satisfies Record<string, FieldSpec>;

export const MOBILITY_FIELDS = {
  car: { unit: 'voertuigen', min: 0, max: 100_000, integer: true, label: { nl: 'Auto’s', en: 'Cars' } },
  bike: { unit: 'fietsers', min: 0, max: 100_000, integer: true, label: { nl: 'Fietsers', en: 'Cyclists' } },
  pedestrian: {
    unit: 'voetgangers',
    min: 0,
    max: 100_000,
    integer: true,
    label: { nl: 'Voetgangers', en: 'Pedestrians' },
  },
  heavy: {
    unit: 'voertuigen',
    min: 0,
    max: 100_000,
    integer: true,
    label: { nl: 'Vrachtverkeer', en: 'Heavy vehicles' },
  },
  v85: { unit: 'km/h', min: 0, max: 250, label: { nl: 'V85-snelheid', en: 'V85 speed' } },
} as const satisfies Record<string, FieldSpec>;

export const DOMAIN_FIELDS = {
  air: AIR_FIELDS,
  noise: NOISE_FIELDS,
  mobility: MOBILITY_FIELDS,
} as const satisfies Record<Domain, Record<string, FieldSpec>>;

export type AirField = keyof typeof AIR_FIELDS;
export type NoiseField = keyof typeof NOISE_FIELDS;
export type MobilityField = keyof typeof MOBILITY_FIELDS;
export type ObservationField = AirField | NoiseField | MobilityField;

/** Noise and mobility readings are aggregates over a period (seconds) the device states. */
export const PERIOD_S = { min: 1, max: 86_400 } as const;

/** Domains whose observations must carry `periodS`. */
export const DOMAINS_WITH_PERIOD: readonly Domain[] = ['noise', 'mobility'];

/**
 * The quantity that varies all day on a working sensor of each domain: health rules judge
 * flat-lining, spikes and drift on it, and the simulators inject those faults into it.
 */
export const PRIMARY_FIELD: Record<Domain, string> = { air: 'no2', noise: 'laeq', mobility: 'v85' };
