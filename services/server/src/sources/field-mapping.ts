/**
 * Unit conversions a city may need between a device's payload and Meetnet's units. ppb → µg/m³
 * at 20 °C and 101.325 kPa (the EU's reference conditions for gases): µg/m³ = ppb × M / 24.055
 * (see shared/formats/README.md §5: NO2 M 46.0055, O3 M 47.9982).
 */
export const FIELD_CONVERSIONS = {
  ppb_no2_to_ugm3: (ppb: number) => (ppb * 46.0055) / 24.055,
  ppb_o3_to_ugm3: (ppb: number) => (ppb * 47.9982) / 24.055,
  pa_to_hpa: (pa: number) => pa / 100,
} as const;

export interface FieldMapping {
  /** Dots into the decoded payload, such as `pm2_5_mass_concentration.value`. */
  path: string;
  convert?: keyof typeof FIELD_CONVERSIONS;
  /** Multiplied after the conversion, for a device that reports tenths or counts per minute. */
  scale?: number;
}

export type MappedValues =
  | { ok: true; values: Record<string, number> }
  | { ok: false; reason: 'wrong_type' | 'missing_field'; detail: string };

/**
 * Reads each mapped field from a decoded payload. A field the payload leaves out is left out
 * (devices omit what they could not measure); a value that is not a number is refused, and so
 * is a payload that gives none of the mapped fields.
 */
export function mapFields(
  decoded: Record<string, unknown>,
  fields: Record<string, FieldMapping>,
): MappedValues {
  const values: Record<string, number> = {};
  for (const [field, mapping] of Object.entries(fields)) {
    const raw = valueAt(decoded, mapping.path);
    if (raw === undefined || raw === null) continue;
    if (typeof raw !== 'number' || !Number.isFinite(raw)) {
      return { ok: false, reason: 'wrong_type', detail: `${mapping.path} is not a number (for ${field})` };
    }
    const converted = mapping.convert ? FIELD_CONVERSIONS[mapping.convert](raw) : raw;
    values[field] = converted * (mapping.scale ?? 1);
  }
  if (Object.keys(values).length === 0) {
    return {
      ok: false,
      reason: 'missing_field',
      detail: `none of ${Object.values(fields)
        .map((m) => m.path)
        .join(', ')} in the payload`,
    };
  }
  return { ok: true, values };
}

function valueAt(object: Record<string, unknown>, path: string): unknown {
  let at: unknown = object;
  for (const key of path.split('.')) {
    if (typeof at !== 'object' || at === null || !Object.hasOwn(at, key)) return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return at;
}
