import type { ValidateFunction } from 'ajv';
import {
  type AirField,
  DOMAIN_FIELDS,
  DOMAINS_WITH_PERIOD,
  type Domain,
  type FieldSpec,
  type MobilityField,
  type NoiseField,
  PERIOD_S,
} from '../domains';
import { ajv } from './ajv';
import { TIMESTAMP_SCHEMA, type Timestamp } from './timestamp.schema';

export type AirObservationPayload = { ts: Timestamp } & Partial<Record<AirField, number>>;
export type NoiseObservationPayload = { ts: Timestamp; periodS: number; laeq: number } & Partial<
  Record<Exclude<NoiseField, 'laeq'>, number>
>;
export type MobilityObservationPayload = { ts: Timestamp; periodS: number } & Partial<
  Record<MobilityField, number>
>;

export interface ObservationPayloadByDomain {
  air: AirObservationPayload;
  noise: NoiseObservationPayload;
  mobility: MobilityObservationPayload;
}
export type ObservationPayload = ObservationPayloadByDomain[Domain];

/** Fields a domain cannot do without, besides `ts` (and `periodS` where it applies). */
const REQUIRED_FIELDS: Record<Domain, readonly string[]> = { air: [], noise: ['laeq'], mobility: [] };

function fieldSchema(spec: FieldSpec) {
  return { type: spec.integer ? 'integer' : 'number', minimum: spec.min, maximum: spec.max };
}

/** Built from DOMAIN_FIELDS so units and ranges are written down once. */
export function observationJsonSchema(domain: Domain) {
  const hasPeriod = DOMAINS_WITH_PERIOD.includes(domain);
  const fields = DOMAIN_FIELDS[domain] as Record<string, FieldSpec>;
  const required = ['ts', ...(hasPeriod ? ['periodS'] : []), ...REQUIRED_FIELDS[domain]];
  const measurementsRequired = REQUIRED_FIELDS[domain].length;
  return {
    $id: `meetnet/observation/${domain}`,
    type: 'object',
    additionalProperties: false,
    required,
    // At least one measurement: a message with only `ts` says nothing.
    minProperties: required.length + (measurementsRequired > 0 ? 0 : 1),
    properties: {
      ts: TIMESTAMP_SCHEMA,
      ...(hasPeriod ? { periodS: { type: 'integer', minimum: PERIOD_S.min, maximum: PERIOD_S.max } } : {}),
      ...Object.fromEntries(Object.entries(fields).map(([name, spec]) => [name, fieldSchema(spec)])),
    },
  };
}

export const observationValidators: { [D in Domain]: ValidateFunction<ObservationPayloadByDomain[D]> } = {
  air: ajv.compile<AirObservationPayload>(observationJsonSchema('air')),
  noise: ajv.compile<NoiseObservationPayload>(observationJsonSchema('noise')),
  mobility: ajv.compile<MobilityObservationPayload>(observationJsonSchema('mobility')),
};
