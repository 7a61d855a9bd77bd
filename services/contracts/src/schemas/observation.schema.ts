import type { ValidateFunction } from 'ajv';
import {
  type DOMAIN_SPECS,
  type Domain,
  DOMAINS,
  domainSpec,
  type FieldOf,
  type FieldSpec,
  PERIOD_S,
} from '../domains';
import { ajv } from './ajv';
import { TIMESTAMP_SCHEMA, type Timestamp } from './timestamp.schema';

type Spec<D extends Domain> = (typeof DOMAIN_SPECS)[D];
type RequiredField<D extends Domain> = Spec<D>['required'][number];

/** A domain's observation as a device sends it, typed from its spec. */
export type ObservationPayloadOf<D extends Domain> = { ts: Timestamp } & (Spec<D>['period'] extends true
  ? { periodS: number }
  : unknown) &
  Record<RequiredField<D>, number> &
  Partial<Record<FieldOf<D>, number>>;

export type ObservationPayloadByDomain = { [D in Domain]: ObservationPayloadOf<D> };
export type ObservationPayload = ObservationPayloadByDomain[Domain];
export type AirObservationPayload = ObservationPayloadOf<'air'>;
export type NoiseObservationPayload = ObservationPayloadOf<'noise'>;
export type MobilityObservationPayload = ObservationPayloadOf<'mobility'>;
export type WeatherObservationPayload = ObservationPayloadOf<'weather'>;

function fieldSchema(spec: FieldSpec) {
  return { type: spec.integer ? 'integer' : 'number', minimum: spec.min, maximum: spec.max };
}

/** Built from the domain's spec so units and ranges are written down once. */
export function observationJsonSchema(domain: Domain) {
  const spec = domainSpec(domain);
  const required = ['ts', ...(spec.period ? ['periodS'] : []), ...spec.required];
  return {
    $id: `meetnet/observation/${domain}`,
    type: 'object',
    additionalProperties: false,
    required,
    // At least one measurement: a message with only `ts` says nothing.
    minProperties: required.length + (spec.required.length > 0 ? 0 : 1),
    properties: {
      ts: TIMESTAMP_SCHEMA,
      ...(spec.period ? { periodS: { type: 'integer', minimum: PERIOD_S.min, maximum: PERIOD_S.max } } : {}),
      ...Object.fromEntries(Object.entries(spec.fields).map(([name, field]) => [name, fieldSchema(field)])),
    },
  };
}

export const observationValidators = Object.fromEntries(
  DOMAINS.map((domain) => [domain, ajv.compile(observationJsonSchema(domain))]),
) as { [D in Domain]: ValidateFunction<ObservationPayloadByDomain[D]> };
