import type { BandScale } from './bands';

/**
 * BelAQI, the Belgian air-quality index of IRCEL-CELINE, as revised in November 2022: ten
 * classes, the highest of four sub-indices (PM10, PM2.5, O3, NO2). Sources, all read on
 * 2026-12-01 and summarised with their disagreements in docs/public-map.md:
 * - the class limits: Table 2 (hourly means) and Table 1 (daily) of
 *   https://www.irceline.be/en/air-quality/measurements/air-quality-index-november-2022/info_nov2022,
 *   as transcribed by jdejaegh/python-irceline (belaqi.py @ 169bcd2) and printed on IRCEL's own
 *   legends (irceline/map_legends @ d0f6557, e.g. pm10_hmean_EN.svg, no2_24hmean_EN.svg);
 * - the names and colours: IRCEL's legends (index10_NL_landscape.svg, index_EN.svg).
 *
 * Meetnet computes the index from its own sensors: that is our computation with IRCEL's
 * method, not IRCEL's published index, and every label says so.
 */
export const BELAQI_SOURCE =
  'BelAQI (IRCEL-CELINE, herziening november 2022), berekend uit eigen metingen: https://www.irceline.be/nl/luchtkwaliteit/metingen/belaqi-luchtkwaliteitsindex-november-2022/informatie';

export const BELAQI_POLLUTANTS = ['pm10', 'pm25', 'o3', 'no2'] as const;
export type BelaqiPollutant = (typeof BELAQI_POLLUTANTS)[number];

export interface BelaqiClass {
  index: number;
  label: { nl: string; en: string; fr: string };
  colour: string;
  /** Set where IRCEL's own files disagree: the legend says so instead of guessing silently. */
  unconfirmed?: { nl: string; en: string };
}

export const BELAQI_CLASSES: readonly BelaqiClass[] = [
  { index: 1, label: { nl: 'Uitstekend', en: 'Excellent', fr: 'Excellent' }, colour: '#0000FF' },
  { index: 2, label: { nl: 'Zeer goed', en: 'Very good', fr: 'Très bon' }, colour: '#0099FF' },
  { index: 3, label: { nl: 'Goed', en: 'Good', fr: 'Bon' }, colour: '#009900' },
  { index: 4, label: { nl: 'Vrij goed', en: 'Fairly good', fr: 'Assez bon' }, colour: '#00FF00' },
  { index: 5, label: { nl: 'Middelmatig', en: 'Moderate', fr: 'Moyen' }, colour: '#FFFF00' },
  {
    index: 6,
    label: { nl: 'Ondermaats', en: 'Poor', fr: 'Médiocre' },
    // index_*, per-pollutant and 2024 index10_* legends; the belaqi_* map legends have #FF9900.
    colour: '#FFBB00',
    unconfirmed: {
      nl: 'kleur niet bevestigd: IRCEL gebruikt ook #FF9900',
      en: 'colour unconfirmed: IRCEL also uses #FF9900',
    },
  },
  { index: 7, label: { nl: 'Vrij slecht', en: 'Very poor', fr: 'Très médiocre' }, colour: '#FF6600' },
  { index: 8, label: { nl: 'Slecht', en: 'Bad', fr: 'Mauvais' }, colour: '#FF0000' },
  { index: 9, label: { nl: 'Zeer slecht', en: 'Very bad', fr: 'Très mauvais' }, colour: '#CC0000' },
  {
    index: 10,
    label: { nl: 'Uitermate slecht', en: 'Horrible', fr: 'Exécrable' },
    colour: '#990099',
  },
];

type Limits = readonly [number, number, number, number, number, number, number, number, number];

/** Upper limits (µg/m³, inclusive) of classes 1–9 on hourly means: the "current" index. */
export const BELAQI_HOURLY_LIMITS: Record<BelaqiPollutant, Limits> = {
  pm10: [10, 20, 35, 45, 60, 80, 95, 110, 140],
  pm25: [3.5, 7.5, 10, 15, 20, 35, 50, 60, 75],
  o3: [30, 65, 75, 90, 110, 150, 180, 210, 240],
  no2: [10, 15, 20, 30, 40, 45, 50, 60, 75],
};

/** Upper limits of classes 1–9 on daily means (O3: the day's highest running 8-hour mean). */
export const BELAQI_DAILY_LIMITS: Record<BelaqiPollutant, Limits> = {
  pm10: [5, 15, 25, 35, 45, 60, 70, 80, 100],
  pm25: [2.5, 5, 7.5, 10, 15, 25, 35, 40, 50],
  o3: [30, 60, 70, 80, 100, 130, 160, 190, 220],
  no2: [5, 10, 15, 20, 25, 30, 35, 40, 50],
};

export type BelaqiBasis = 'hourly' | 'daily';

/**
 * A pollutant's sub-index. No source states IRCEL's rounding, so this takes the value as
 * measured, unrounded, with each limit inclusive (python-irceline's reading): 10.0 µg/m³ PM10 in
 * an hour is class 1, 10.1 is class 2.
 */
export function belaqiSubIndex(
  pollutant: BelaqiPollutant,
  value: number,
  basis: BelaqiBasis = 'hourly',
): number {
  const limits = (basis === 'hourly' ? BELAQI_HOURLY_LIMITS : BELAQI_DAILY_LIMITS)[pollutant];
  const below = limits.findIndex((limit) => value <= limit);
  return below < 0 ? 10 : below + 1;
}

export interface BelaqiResult {
  /** 1 (excellent) to 10 (horrible). */
  index: number;
  /** The pollutant that set it (the highest sub-index). */
  pollutant: BelaqiPollutant;
  /**
   * Pollutants the station does not measure. IRCEL's rule for a partial index is not
   * published; Meetnet gives the highest of what it has and names what is missing.
   */
  missing: BelaqiPollutant[];
}

/** The overall index: the highest sub-index of the pollutants measured; undefined with none. */
export function belaqiIndex(
  values: Partial<Record<string, number>>,
  basis: BelaqiBasis = 'hourly',
): BelaqiResult | undefined {
  let result: BelaqiResult | undefined;
  const missing: BelaqiPollutant[] = [];
  for (const pollutant of BELAQI_POLLUTANTS) {
    const value = values[pollutant];
    if (value === undefined || !Number.isFinite(value) || value < 0) {
      missing.push(pollutant);
      continue;
    }
    const index = belaqiSubIndex(pollutant, value, basis);
    if (!result || index > result.index) result = { index, pollutant, missing };
  }
  return result;
}

/** The index as a colour scale for the map and its legend: class n is the band up to n. */
export const BELAQI_SCALE: BandScale = {
  id: 'belaqi-2022',
  unit: 'BelAQI',
  source: BELAQI_SOURCE,
  definedOn: 'hour',
  bands: BELAQI_CLASSES.map((c) => ({
    upTo: c.index === 10 ? null : c.index,
    colour: c.colour,
    label: { nl: `${c.index} · ${c.label.nl}`, en: `${c.index} · ${c.label.en}` },
    ...(c.unconfirmed ? { note: c.unconfirmed } : {}),
  })),
};
