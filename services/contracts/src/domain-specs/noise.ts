import type { BandScale } from '../bands';
import { type DomainSpec, fieldValue } from './domain-spec';

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

const NOISE_FIELDS = {
  laeq: { unit: 'dB(A)', min: 0, max: 150, decimals: 1 },
  lamax: { unit: 'dB(A)', min: 0, max: 150, decimals: 1 },
  la90: { unit: 'dB(A)', min: 0, max: 150, decimals: 1 },
} as const;

/** Sound level meters: levels over a period the meter states. */
export const NOISE = {
  name: 'noise',
  fields: NOISE_FIELDS,
  period: true,
  required: ['laeq'],
  primaryField: 'laeq',
  chartField: 'laeq',
  marker: {
    radius: 6,
    shape: 'triangle',
    scales: { laeq: NOISE_SCALE },
    defaultScale: 'laeq',
    value: fieldValue,
  },
  smartDataModel: {
    type: 'NoiseLevelObserved',
    context:
      'https://raw.githubusercontent.com/smart-data-models/dataModel.Environment/master/context.jsonld',
    schema: 'https://smart-data-models.github.io/dataModel.Environment/NoiseLevelObserved/schema.json',
    interval: true,
    // Names from the acoustic glossary, as the model's naming rule asks; dB is UN/CEFACT 2N.
    attributes: {
      laeq: { name: 'LAeq', unitCode: '2N' },
      lamax: { name: 'LAmax', unitCode: '2N' },
      la90: { name: 'LA90', unitCode: '2N' },
    },
  },
  health: {
    plausible: { laeq: [25, 115], lamax: [25, 140], la90: [15, 110] },
    spikeJump: 20,
    driftDelta: 8,
  },
} as const satisfies DomainSpec<keyof typeof NOISE_FIELDS>;
