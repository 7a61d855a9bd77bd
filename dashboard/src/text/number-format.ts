import { type Domain, domainSpec } from '@contracts/domains';

/**
 * A reading as people here write it: to the decimals its field declares, with the locale's
 * decimal sign (nl-BE: 22,5). A field the domain does not know is shown as it came.
 */
export function formatReading(domain: Domain, field: string, value: number, locale: string): string {
  const decimals = domainSpec(domain).fields[field]?.decimals;
  return new Intl.NumberFormat(locale, {
    maximumFractionDigits: decimals ?? 20,
    minimumFractionDigits: 0,
  }).format(value);
}
