import type { BandScale } from '../bands';
import type { DomainSpec } from './domain-spec';

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

const MOBILITY_FIELDS = {
  car: { unit: 'voertuigen', min: 0, max: 100_000, integer: true, decimals: 0 },
  bike: { unit: 'fietsers', min: 0, max: 100_000, integer: true, decimals: 0 },
  pedestrian: { unit: 'voetgangers', min: 0, max: 100_000, integer: true, decimals: 0 },
  heavy: { unit: 'voertuigen', min: 0, max: 100_000, integer: true, decimals: 0 },
  v85: { unit: 'km/h', min: 0, max: 250, decimals: 1 },
  // The share of the period actually counted (Telraam's `uptime`): its counts are scaled up
  // from it, so a low one marks the hour as an estimate.
  uptime: { unit: '%', min: 0, max: 100, decimals: 0 },
} as const;

/** Traffic counters: counts per mode over a period, and the V85 speed. */
export const MOBILITY = {
  name: 'mobility',
  fields: MOBILITY_FIELDS,
  period: true,
  required: [],
  // Speed varies all day on a working counter; counts fall to zero at night.
  primaryField: 'v85',
  chartField: 'car',
  marker: {
    radius: 5,
    shape: 'square',
    scales: { vehiclesPerHour: MOBILITY_SCALE },
    defaultScale: 'vehiclesPerHour',
    // The map shows traffic, not one count: motor vehicles per hour, from the counting period.
    value: (_quantity, values, periodS) => {
      if (!periodS || (values['car'] === undefined && values['heavy'] === undefined)) return undefined;
      return (((values['car'] ?? 0) + (values['heavy'] ?? 0)) * 3600) / periodS;
    },
    tooltipField: 'v85',
  },
  smartDataModel: {
    type: 'TrafficFlowObserved',
    context:
      'https://raw.githubusercontent.com/smart-data-models/dataModel.Transportation/master/context.jsonld',
    schema: 'https://smart-data-models.github.io/dataModel.Transportation/TrafficFlowObserved/schema.json',
    interval: true,
    // The model has no V85 (a percentile, not averageVehicleSpeed) and no pedestrians: those
    // leave through OSLO Verkeersmetingen, which has both.
    attributes: {},
    derived: (values): Record<string, number> =>
      values['car'] === undefined && values['heavy'] === undefined
        ? {}
        : { intensity: (values['car'] ?? 0) + (values['heavy'] ?? 0) },
  },
  health: {
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
} as const satisfies DomainSpec<keyof typeof MOBILITY_FIELDS>;
