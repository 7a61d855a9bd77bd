import Ajv from 'ajv';
import { DateTime } from 'luxon';
import { type Domain, DOMAINS } from '@meetnet/contracts';
import { schemaMessage } from '../validation/schema-problem';
import { SeriesQueryError } from '../series/series-query';
import { ROLLUP_ZONE } from '../rollups/tier-plan';

export interface PlaybackQuery {
  layers: Domain[];
  /** The local day, `2026-12-01`, and its start (a Brussels midnight). */
  date: string;
  dayStart: number;
  /** [west, south, east, north]; unset: the whole fleet. */
  bbox?: [number, number, number, number];
}

interface RawQuery {
  layers: string;
  date: string;
  bbox?: string;
}

const validate = new Ajv({ strict: true }).compile<RawQuery>({
  type: 'object',
  additionalProperties: false,
  required: ['layers', 'date'],
  properties: {
    layers: { type: 'string', pattern: `^(${DOMAINS.join('|')})(,(${DOMAINS.join('|')}))*$`, maxLength: 100 },
    date: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
    bbox: { type: 'string', pattern: '^-?[\\d.]+(,-?[\\d.]+){3}$', maxLength: 100 },
  },
});

/** `layers=air,noise&date=2026-12-01[&bbox=w,s,e,n]`, each refusal naming the parameter. */
export function parsePlaybackQuery(input: Record<string, unknown>, now = Date.now()): PlaybackQuery {
  if (!validate(input)) throw new SeriesQueryError(schemaMessage(validate.errors?.[0], 'query'));
  const day = DateTime.fromISO(input.date, { zone: ROLLUP_ZONE });
  if (!day.isValid) throw new SeriesQueryError('date: not a valid date');
  if (day.toMillis() > now) throw new SeriesQueryError('date: a day that has begun, today or before');
  let bbox: PlaybackQuery['bbox'];
  if (input.bbox) {
    const [west, south, east, north] = input.bbox.split(',').map(Number) as [number, number, number, number];
    if (!(west >= -180 && east <= 180 && west < east && south >= -90 && north <= 90 && south < north)) {
      throw new SeriesQueryError('bbox: west,south,east,north in degrees, west < east and south < north');
    }
    bbox = [west, south, east, north];
  }
  return {
    layers: [...new Set(input.layers.split(','))] as Domain[],
    date: input.date,
    dayStart: day.startOf('day').toMillis(),
    ...(bbox ? { bbox } : {}),
  };
}
