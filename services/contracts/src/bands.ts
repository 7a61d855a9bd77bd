/**
 * Colour classes shared by the API, the map and its legend, so they always agree. A value
 * belongs to the first band whose `upTo` it does not exceed; the last band is open-ended.
 */
export interface Band {
  /** Upper bound of the band (inclusive); null for the open-ended last band. */
  upTo: number | null;
  colour: string;
  label: { nl: string; en: string };
  /** What the sources leave open about this band, shown in the legend next to it. */
  note?: { nl: string; en: string };
}

export interface BandScale {
  id: string;
  unit: string;
  /** Where the bands come from. */
  source: string;
  /** The averaging period the bands are defined on (BelAQI: hourly means); the legend says it. */
  definedOn?: 'hour';
  bands: readonly Band[];
}

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
