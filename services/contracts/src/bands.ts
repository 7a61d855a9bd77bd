import type { Domain } from './domains';

/**
 * Colour classes shared by the API, the map and its legend, so they always agree. A value
 * belongs to the first band whose `upTo` it does not exceed; the last band is open-ended.
 */
export interface Band {
  /** Upper bound of the band (inclusive); null for the open-ended last band. */
  upTo: number | null;
  colour: string;
  label: { nl: string; en: string };
}

export interface BandScale {
  id: string;
  unit: string;
  /** Where the bands come from. */
  source: string;
  bands: readonly Band[];
}

const EAQI_LABELS = [
  { nl: 'Goed', en: 'Good' },
  { nl: 'Redelijk', en: 'Fair' },
  { nl: 'Matig', en: 'Moderate' },
  { nl: 'Slecht', en: 'Poor' },
  { nl: 'Zeer slecht', en: 'Very poor' },
  { nl: 'Extreem slecht', en: 'Extremely poor' },
] as const;
const EAQI_COLOURS = ['#50f0e6', '#50ccaa', '#f0e641', '#ff5050', '#960032', '#7d2181'] as const;

function eaqi(id: string, limits: readonly [number, number, number, number, number]): BandScale {
  return {
    id,
    unit: 'µg/m³',
    source: 'European Air Quality Index (EEA), bands as revised in 2024',
    bands: EAQI_LABELS.map((label, i) => ({ upTo: limits[i] ?? null, colour: EAQI_COLOURS[i]!, label })),
  };
}

/** EEA European Air Quality Index, 2024 bands, per pollutant. */
export const AIR_SCALES = {
  pm25: eaqi('eaqi-pm25', [5, 15, 50, 90, 140]),
  pm10: eaqi('eaqi-pm10', [15, 45, 120, 195, 270]),
  no2: eaqi('eaqi-no2', [10, 25, 60, 100, 150]),
  o3: eaqi('eaqi-o3', [60, 100, 120, 160, 180]),
} as const;
export type AirScalePollutant = keyof typeof AIR_SCALES;

/** LAeq in 5 dB(A) classes, as on the strategic noise maps of the EU noise directive. */
export const NOISE_SCALE: BandScale = {
  id: 'laeq-5db',
  unit: 'dB(A)',
  source: '5 dB(A) classes of END strategic noise maps; sequential colours',
  bands: [
    { upTo: 45, colour: '#1a9850', label: { nl: '< 45 dB(A)', en: '< 45 dB(A)' } },
    { upTo: 50, colour: '#66bd63', label: { nl: '45–50 dB(A)', en: '45–50 dB(A)' } },
    { upTo: 55, colour: '#a6d96a', label: { nl: '50–55 dB(A)', en: '50–55 dB(A)' } },
    { upTo: 60, colour: '#fee08b', label: { nl: '55–60 dB(A)', en: '55–60 dB(A)' } },
    { upTo: 65, colour: '#fdae61', label: { nl: '60–65 dB(A)', en: '60–65 dB(A)' } },
    { upTo: 70, colour: '#f46d43', label: { nl: '65–70 dB(A)', en: '65–70 dB(A)' } },
    { upTo: 75, colour: '#d73027', label: { nl: '70–75 dB(A)', en: '70–75 dB(A)' } },
    { upTo: null, colour: '#7f0000', label: { nl: '≥ 75 dB(A)', en: '≥ 75 dB(A)' } },
  ],
};

/** Motor vehicles (cars + heavy) per hour. */
export const MOBILITY_SCALE: BandScale = {
  id: 'vehicles-per-hour',
  unit: 'voertuigen/uur',
  source: 'Meetnet classes for urban streets',
  bands: [
    { upTo: 100, colour: '#edf8fb', label: { nl: '< 100 per uur', en: '< 100 per hour' } },
    { upTo: 300, colour: '#b3cde3', label: { nl: '100–300 per uur', en: '100–300 per hour' } },
    { upTo: 600, colour: '#8c96c6', label: { nl: '300–600 per uur', en: '300–600 per hour' } },
    { upTo: 1000, colour: '#8856a7', label: { nl: '600–1000 per uur', en: '600–1000 per hour' } },
    { upTo: null, colour: '#810f7c', label: { nl: '≥ 1000 per uur', en: '≥ 1000 per hour' } },
  ],
};

export const NO_DATA_COLOUR = '#9e9e9e';

/** Index of the band a value falls in. */
export function bandIndex(scale: BandScale, value: number): number {
  const index = scale.bands.findIndex((band) => band.upTo === null || value <= band.upTo);
  return index < 0 ? scale.bands.length - 1 : index;
}

export function bandColour(scale: BandScale, value: number | undefined): string {
  return value === undefined || !Number.isFinite(value)
    ? NO_DATA_COLOUR
    : scale.bands[bandIndex(scale, value)]!.colour;
}

/** The quantity a domain's marker is coloured by, from its latest values. */
export function markerValue(
  domain: Domain,
  values: Partial<Record<string, number>>,
  periodS: number | undefined,
  pollutant: AirScalePollutant = 'no2',
): number | undefined {
  switch (domain) {
    case 'air':
      return values[pollutant];
    case 'noise':
      return values['laeq'];
    case 'mobility': {
      if (!periodS || (values['car'] === undefined && values['heavy'] === undefined)) return undefined;
      return (((values['car'] ?? 0) + (values['heavy'] ?? 0)) * 3600) / periodS;
    }
  }
}

export function markerScale(domain: Domain, pollutant: AirScalePollutant = 'no2'): BandScale {
  switch (domain) {
    case 'air':
      return AIR_SCALES[pollutant];
    case 'noise':
      return NOISE_SCALE;
    case 'mobility':
      return MOBILITY_SCALE;
  }
}
