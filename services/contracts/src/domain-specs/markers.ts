import type { BandScale } from '../bands';
import { type Domain, DOMAINS, domainSpec } from './registry';

/** The scale a choice names in this domain, or the domain's default when it has no such scale. */
function scaleKey(domain: Domain, choice: string | undefined): string {
  const { marker } = domainSpec(domain);
  return choice !== undefined && Object.hasOwn(marker.scales, choice) ? choice : marker.defaultScale;
}

/** The colour scale a domain's markers use, for the map's colour choice (e.g. a pollutant). */
export function markerScale(domain: Domain, choice?: string): BandScale {
  return domainSpec(domain).marker.scales[scaleKey(domain, choice)]!;
}

/** The quantity a domain's marker is coloured by, from its latest values. */
export function markerValue(
  domain: Domain,
  values: Partial<Record<string, number>>,
  periodS: number | undefined,
  choice?: string,
): number | undefined {
  return domainSpec(domain).marker.value(scaleKey(domain, choice), values, periodS);
}

/** Scales the map can choose between, for domains that have more than one. */
export function markerChoices(): string[] {
  return DOMAINS.flatMap((domain) => {
    const scales = Object.keys(domainSpec(domain).marker.scales);
    return scales.length > 1 ? scales : [];
  });
}

/** What the sensor panel charts: the map's colour choice when it is a field, else the domain's chart field. */
export function chartFieldOf(domain: Domain, choice?: string): string {
  const spec = domainSpec(domain);
  return choice !== undefined && Object.hasOwn(spec.fields, choice) ? choice : spec.chartField;
}

/** The choice the map starts with: the default scale of the first domain that offers several. */
export function defaultMarkerChoice(): string {
  const domain = DOMAINS.find((d) => Object.keys(domainSpec(d).marker.scales).length > 1);
  return domain ? domainSpec(domain).marker.defaultScale : '';
}
