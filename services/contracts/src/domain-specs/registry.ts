import { AIR } from './air';
import type { DomainSpec, FieldSpec } from './domain-spec';
import { MOBILITY } from './mobility';
import { NOISE } from './noise';
import { WEATHER } from './weather';

/**
 * Every sensor domain Meetnet knows, by name. Schemas, the live subscription, health
 * defaults, the API's enums, the map and the simulators iterate this; none names a domain.
 */
export const DOMAIN_SPECS = {
  air: AIR,
  noise: NOISE,
  mobility: MOBILITY,
  weather: WEATHER,
} as const satisfies { [name: string]: DomainSpec };

export type Domain = keyof typeof DOMAIN_SPECS;
export const DOMAINS = Object.keys(DOMAIN_SPECS) as readonly Domain[];

export function isDomain(value: string): value is Domain {
  return Object.hasOwn(DOMAIN_SPECS, value);
}

/** A domain's spec, widened: for code that works on any domain by its name. */
export function domainSpec(domain: Domain): DomainSpec {
  return DOMAIN_SPECS[domain];
}

export type FieldOf<D extends Domain> = keyof (typeof DOMAIN_SPECS)[D]['fields'] & string;
export type ObservationField = { [D in Domain]: FieldOf<D> }[Domain];

/** Each domain's fields with units and ranges. */
export const DOMAIN_FIELDS = Object.fromEntries(
  DOMAINS.map((domain) => [domain, DOMAIN_SPECS[domain].fields]),
) as { [D in Domain]: (typeof DOMAIN_SPECS)[D]['fields'] };

/** The field a domain's health rules judge (and the simulators' faults disturb). */
export const PRIMARY_FIELD = Object.fromEntries(
  DOMAINS.map((domain) => [domain, DOMAIN_SPECS[domain].primaryField]),
) as { [D in Domain]: FieldOf<D> };

/** The period (seconds) a domain with `period` states for its counts, levels or rain. */
export const PERIOD_S = { min: 1, max: 86_400 } as const;

export type { FieldSpec };
