import type { BandScale } from '../bands';
import { BELAQI_SCALE, belaqiIndex } from '../belaqi';
import { type DomainSpec, fieldValue } from './domain-spec';

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

const AIR_FIELDS = {
  pm25: { unit: 'µg/m³', min: 0, max: 1000, decimals: 1 },
  pm10: { unit: 'µg/m³', min: 0, max: 2000, decimals: 1 },
  no2: { unit: 'µg/m³', min: 0, max: 2000, decimals: 1 },
  o3: { unit: 'µg/m³', min: 0, max: 1000, decimals: 1 },
  temperature: { unit: '°C', min: -40, max: 60, decimals: 1 },
  humidity: { unit: '%', min: 0, max: 100, decimals: 0 },
} as const;

/** Air-quality stations: pollutant concentrations, the box's own temperature and humidity. */
export const AIR = {
  name: 'air',
  fields: AIR_FIELDS,
  period: false,
  required: [],
  primaryField: 'no2',
  chartField: 'no2',
  marker: {
    radius: 7,
    shape: 'circle',
    // Each pollutant on the EEA index, and the Belgian index over all four.
    scales: { ...AIR_SCALES, belaqi: BELAQI_SCALE },
    defaultScale: 'no2',
    value: (quantity, values, periodS) =>
      quantity === 'belaqi' ? belaqiIndex(values)?.index : fieldValue(quantity, values, periodS),
  },
  smartDataModel: {
    type: 'AirQualityObserved',
    context:
      'https://raw.githubusercontent.com/smart-data-models/dataModel.Environment/master/context.jsonld',
    schema: 'https://smart-data-models.github.io/dataModel.Environment/AirQualityObserved/schema.json',
    interval: false,
    attributes: {
      pm25: { name: 'pm25', unitCode: 'GQ' },
      pm10: { name: 'pm10', unitCode: 'GQ' },
      no2: { name: 'no2', unitCode: 'GQ' },
      o3: { name: 'o3', unitCode: 'GQ' },
      temperature: { name: 'temperature', unitCode: 'CEL' },
      // The model's relative humidity is a fraction of 1.
      humidity: { name: 'relativeHumidity', unitCode: 'C62', factor: 0.01 },
    },
  },
  health: {
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
} as const satisfies DomainSpec<keyof typeof AIR_FIELDS>;
