import { DOMAIN_FIELDS, DOMAINS, type Domain, type FieldSpec, isLevelField } from '@meetnet/contracts';

/** One field of one sensor over one hour or Brussels day. */
export interface RollupCell {
  /** The hour's or day's start, epoch ms. */
  t: number;
  count: number;
  sum: number;
  min: number;
  max: number;
  /** Σ 10^(L/10), for levels in dB: what energetic means are made of. */
  energy?: number;
}

export const ROLLUP_STATS = ['count', 'sum', 'min', 'max', 'energy'] as const;
export type RollupStat = (typeof ROLLUP_STATS)[number];

/** The rollup's field names for a raw field: `pm25_count`, `pm25_sum`, … */
export const statField = (field: string, stat: RollupStat): string => `${field}_${stat}`;

/** Each domain's fields, and which of them are levels. */
export const ROLLED_FIELDS: ReadonlyArray<{ domain: Domain; field: string; level: boolean }> =
  DOMAINS.flatMap((domain) =>
    Object.entries(DOMAIN_FIELDS[domain] as Record<string, FieldSpec>).map(([field, spec]) => ({
      domain,
      field,
      level: isLevelField(spec),
    })),
  );

/**
 * One sensor's cells of one hour or day as a line of line protocol: `f_count` is an integer,
 * the rest floats, so no field ever changes type between runs. A run over the same hour writes
 * the same point again, which overwrites it.
 */
export function rollupLine(
  domain: string,
  city: string,
  sensorId: string,
  t: number,
  cells: ReadonlyMap<string, Omit<RollupCell, 't'>>,
): string {
  const fields: string[] = [];
  for (const [field, cell] of cells) {
    fields.push(
      `${statField(field, 'count')}=${Math.round(cell.count)}i`,
      `${statField(field, 'sum')}=${cell.sum}`,
      `${statField(field, 'min')}=${cell.min}`,
      `${statField(field, 'max')}=${cell.max}`,
    );
    if (cell.energy !== undefined) fields.push(`${statField(field, 'energy')}=${cell.energy}`);
  }
  // Tag values passed the topic patterns on the way in ([a-z0-9-]): nothing to escape.
  return `${domain},city=${city},sensor_id=${sensorId} ${fields.join(',')} ${t}`;
}

/** Cells of many sensors, fields and hours (or days), folded as rows come, then written as lines. */
export class RollupFold {
  private readonly byWindow = new Map<
    string,
    { domain: string; city: string; sensorId: string; t: number; cells: Map<string, Omit<RollupCell, 't'>> }
  >();

  private cellOf(
    domain: string,
    city: string,
    sensorId: string,
    t: number,
    field: string,
  ): Omit<RollupCell, 't'> {
    const key = `${domain},${city},${sensorId},${t}`;
    let point = this.byWindow.get(key);
    if (!point) this.byWindow.set(key, (point = { domain, city, sensorId, t, cells: new Map() }));
    let cell = point.cells.get(field);
    if (!cell) point.cells.set(field, (cell = { count: 0, sum: 0, min: Infinity, max: -Infinity }));
    return cell;
  }

  /** Some readings (one, or a rollup's cell) of one field in one window. */
  add(
    domain: string,
    city: string,
    sensorId: string,
    t: number,
    field: string,
    part: Omit<RollupCell, 't'>,
  ): void {
    const cell = this.cellOf(domain, city, sensorId, t, field);
    cell.count += part.count;
    cell.sum += part.sum;
    cell.min = Math.min(cell.min, part.min);
    cell.max = Math.max(cell.max, part.max);
    if (part.energy !== undefined) cell.energy = (cell.energy ?? 0) + part.energy;
  }

  /** One statistic of a finer rollup's cell: sums add up, minima and maxima keep the extreme. */
  addStat(
    domain: string,
    city: string,
    sensorId: string,
    t: number,
    field: string,
    stat: RollupStat,
    value: number,
  ): void {
    const cell = this.cellOf(domain, city, sensorId, t, field);
    if (stat === 'min') cell.min = Math.min(cell.min, value);
    else if (stat === 'max') cell.max = Math.max(cell.max, value);
    else if (stat === 'energy') cell.energy = (cell.energy ?? 0) + value;
    else cell[stat] += value;
  }

  /** Every sensor's cells, by window start. */
  *points(): Generator<{
    domain: string;
    city: string;
    sensorId: string;
    t: number;
    cells: ReadonlyMap<string, Omit<RollupCell, 't'>>;
  }> {
    yield* this.byWindow.values();
  }

  lines(): string[] {
    const lines: string[] = [];
    for (const point of this.byWindow.values()) {
      for (const [field, cell] of point.cells) if (!(cell.count > 0)) point.cells.delete(field);
      if (point.cells.size > 0)
        lines.push(rollupLine(point.domain, point.city, point.sensorId, point.t, point.cells));
    }
    return lines;
  }
}
