import type { Domain, RejectReason } from '@meetnet/contracts';
import { FIELD_CONVERSIONS } from './field-mapping';

/** The body an airRohr station sends to its "own API": every sensor of one cycle, values as text. */
export interface PushBody {
  esp8266id: string;
  software_version?: string;
  sensordatavalues: Array<{ value_type: string; value: string | number }>;
}

export const PUSH_BODY_SCHEMA = {
  type: 'object',
  required: ['esp8266id', 'sensordatavalues'],
  properties: {
    esp8266id: { type: 'string', maxLength: 64 },
    software_version: { type: 'string', maxLength: 64 },
    sensordatavalues: {
      type: 'array',
      maxItems: 64,
      items: {
        type: 'object',
        required: ['value_type', 'value'],
        properties: {
          value_type: { type: 'string', maxLength: 64 },
          value: { anyOf: [{ type: 'string', maxLength: 32 }, { type: 'number' }] },
        },
      },
    },
  },
} as const;

interface Target {
  domain: Domain;
  field: string;
  convert?: keyof typeof FIELD_CONVERSIONS;
}

/**
 * The firmware's value types (opendata-stuttgart/sensors-software, see shared/formats/README.md
 * §3) and where each goes. `P1` is PM10 and `P2` PM2.5 for every particle sensor. A BME280 is the
 * station's weather sensor when it has one, else its air sensor's temperature and humidity;
 * its pressure is in Pa. DNMS's `LA_min` is no LA90, so it is not taken.
 */
const TARGETS: Array<[RegExp, Target[]]> = [
  [/^(SDS|PMS|HPM|NPM|SPS30|IPS)_P1$/, [{ domain: 'air', field: 'pm10' }]],
  [/^(SDS|PMS|HPM|NPM|SPS30|IPS)_P2$/, [{ domain: 'air', field: 'pm25' }]],
  [
    /^(BME280|SHT3X|HTU21D|DHT)_temperature$/,
    [
      { domain: 'weather', field: 'temperature' },
      { domain: 'air', field: 'temperature' },
    ],
  ],
  [
    /^(BME280|SHT3X|HTU21D|DHT)_humidity$/,
    [
      { domain: 'weather', field: 'humidity' },
      { domain: 'air', field: 'humidity' },
    ],
  ],
  [/^(BME280|BMP280)_pressure$/, [{ domain: 'weather', field: 'pressure', convert: 'pa_to_hpa' }]],
  [/^DNMS_noise_LAeq$/, [{ domain: 'noise', field: 'laeq' }]],
  [/^DNMS_noise_LA_max$/, [{ domain: 'noise', field: 'lamax' }]],
];

export interface StationReadings {
  /** Per domain the station has a sensor for, the values of this cycle. */
  byDomain: Map<Domain, Record<string, number>>;
  /** The sending interval the station reports, s (`interval`, in ms). */
  intervalS?: number;
  /** WiFi signal, dBm. */
  signalDbm?: number;
}

export type PushReadings =
  ({ ok: true } & StationReadings) | { ok: false; reason: RejectReason; detail: string };

/**
 * One cycle's values, sorted into the station's Meetnet sensors. A value type the station has
 * no sensor for, or that Meetnet does not measure (`samples`, `min_micro`…), is passed over.
 */
export function readPush(body: PushBody, sensors: Partial<Record<Domain, string>>): PushReadings {
  const byDomain = new Map<Domain, Record<string, number>>();
  let intervalS: number | undefined;
  let signalDbm: number | undefined;
  for (const { value_type: type, value } of body.sensordatavalues) {
    const number = typeof value === 'number' ? value : value.trim() === '' ? NaN : Number(value);
    if (!Number.isFinite(number)) {
      return { ok: false, reason: 'wrong_type', detail: `${type}: "${String(value)}" is not a number` };
    }
    if (type === 'interval') intervalS = Math.round(number / 1000);
    else if (type === 'signal') signalDbm = Math.round(number);
    const target = TARGETS.find(([pattern]) => pattern.test(type))?.[1].find((t) => sensors[t.domain]);
    if (!target) continue;
    const values = byDomain.get(target.domain) ?? {};
    values[target.field] = target.convert ? FIELD_CONVERSIONS[target.convert](number) : number;
    byDomain.set(target.domain, values);
  }
  if (byDomain.size === 0) {
    return { ok: false, reason: 'missing_field', detail: 'no value of a sensor this station has in Meetnet' };
  }
  return { ok: true, byDomain, intervalS, signalDbm };
}
