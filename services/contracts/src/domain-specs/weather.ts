import type { BandScale } from '../bands';
import { type DomainSpec, fieldValue } from './domain-spec';

/** Air temperature in 5 °C classes, blue through red, centred on a Flemish summer's day. */
export const TEMPERATURE_SCALE: BandScale = {
  id: 'temperature-5c',
  unit: '°C',
  source: 'Meetnet classes for air temperature (5 °C steps)',
  bands: [
    { upTo: -5, colour: '#313695', label: { nl: '< −5 °C', en: '< −5 °C' } },
    { upTo: 0, colour: '#4575b4', label: { nl: '−5–0 °C', en: '−5–0 °C' } },
    { upTo: 5, colour: '#74add1', label: { nl: '0–5 °C', en: '0–5 °C' } },
    { upTo: 10, colour: '#abd9e9', label: { nl: '5–10 °C', en: '5–10 °C' } },
    { upTo: 15, colour: '#e0f3f8', label: { nl: '10–15 °C', en: '10–15 °C' } },
    { upTo: 20, colour: '#fee090', label: { nl: '15–20 °C', en: '15–20 °C' } },
    { upTo: 25, colour: '#fdae61', label: { nl: '20–25 °C', en: '20–25 °C' } },
    { upTo: 30, colour: '#f46d43', label: { nl: '25–30 °C', en: '25–30 °C' } },
    { upTo: null, colour: '#a50026', label: { nl: '≥ 30 °C', en: '≥ 30 °C' } },
  ],
};

const WEATHER_FIELDS = {
  temperature: { unit: '°C', min: -40, max: 60, decimals: 1 },
  humidity: { unit: '%', min: 0, max: 100, decimals: 0 },
  // The lowest and highest sea-level pressures ever recorded, with a margin.
  pressure: { unit: 'hPa', min: 850, max: 1090, decimals: 1 },
  windSpeed: { unit: 'm/s', min: 0, max: 75, decimals: 1 },
  windDirection: { unit: '°', min: 0, max: 360, decimals: 0 },
  rain: { unit: 'mm', min: 0, max: 500, decimals: 1 },
} as const;

/** Weather stations (Sensor.Community's BME280 boxes, LoRaWAN stations): rain is per period. */
export const WEATHER = {
  name: 'weather',
  fields: WEATHER_FIELDS,
  period: true,
  required: [],
  primaryField: 'temperature',
  chartField: 'temperature',
  marker: {
    radius: 6,
    shape: 'diamond',
    scales: { temperature: TEMPERATURE_SCALE },
    defaultScale: 'temperature',
    value: fieldValue,
  },
  smartDataModel: {
    type: 'WeatherObserved',
    context: 'https://raw.githubusercontent.com/smart-data-models/dataModel.Weather/master/context.jsonld',
    schema: 'https://smart-data-models.github.io/dataModel.Weather/WeatherObserved/schema.json',
    interval: false,
    attributes: {
      temperature: { name: 'temperature', unitCode: 'CEL' },
      humidity: { name: 'relativeHumidity', unitCode: 'C62', factor: 0.01 },
      pressure: { name: 'atmosphericPressure', unitCode: 'A97' },
      windSpeed: { name: 'windSpeed', unitCode: 'MTS' },
      windDirection: { name: 'windDirection', unitCode: 'DD' },
      rain: { name: 'precipitation', unitCode: 'MMT' },
    },
  },
  health: {
    plausible: {
      temperature: [-25, 42],
      humidity: [5, 100],
      pressure: [950, 1060],
      windSpeed: [0, 45],
      windDirection: [0, 360],
      rain: [0, 100],
    },
    // A reading every few minutes: the air does not warm 8 °C in that time.
    spikeJump: 8,
    driftDelta: 4,
  },
} as const satisfies DomainSpec<keyof typeof WEATHER_FIELDS>;
