import { type Domain, domainSpec } from '@meetnet/contracts';

const round1 = (value: number) => Math.round(value * 10) / 10;

/**
 * A valid observation of any domain, from its spec alone: `periodS` where it applies, the
 * required fields and the first few others, each inside its health-plausible (and physical)
 * range at the point `at` (0–1) gives. A new domain needs nothing here.
 */
export function validObservationOf(domain: Domain, at: () => number): Record<string, number> {
  const spec = domainSpec(domain);
  const names = [...new Set([...spec.required, ...Object.keys(spec.fields).slice(0, 3)])];
  const values = Object.fromEntries(
    names.map((name) => {
      const field = spec.fields[name]!;
      const [low, high] = spec.health.plausible[name] ?? [field.min, field.max];
      const value = low + at() * (Math.min(high, low + 200) - low);
      return [name, field.integer ? Math.floor(value) : round1(value)];
    }),
  );
  return { ...(spec.period ? { periodS: 300 } : {}), ...values };
}
