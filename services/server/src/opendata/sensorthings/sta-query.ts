/** A request the SensorThings façade cannot answer: 400 with the reason. */
export class StaQueryError extends Error {}

export const MAX_TOP = 1000;
export const DEFAULT_TOP = 100;

export interface TimeBound {
  ms: number;
  inclusive: boolean;
}

/** The query options Meetnet's read-only SensorThings answers (OGC 18-088 §9.3). */
export interface StaOptions {
  top: number;
  skip: number;
  count: boolean;
  /** Observations only: by phenomenonTime. */
  order: 'asc' | 'desc';
  /** Observations only: `phenomenonTime` (or `resultTime`, the same here) bounds. */
  from?: TimeBound;
  to?: TimeBound;
  expand: Array<{ navigation: string; options: StaOptions }>;
}

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/;

function integer(name: string, raw: string | undefined, fallback: number, max: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value > max) throw new StaQueryError(`${name}: an integer from 0 to ${max}`);
  return value;
}

/**
 * `$filter` on time only: comparisons of `phenomenonTime` (or `resultTime`) joined by `and`,
 * which is what a client paging through a time series sends. Anything else is refused by
 * name rather than half-applied.
 */
function timeFilter(raw: string): Pick<StaOptions, 'from' | 'to'> {
  const bounds: Pick<StaOptions, 'from' | 'to'> = {};
  for (const clause of raw.split(/\s+and\s+/i)) {
    const match = /^\(?\s*(phenomenonTime|resultTime)\s+(gt|ge|lt|le|eq)\s+(\S+?)\s*\)?$/.exec(clause.trim());
    if (!match || !ISO.test(match[3]!)) {
      throw new StaQueryError(
        `$filter: only phenomenonTime (or resultTime) compared with gt, ge, lt, le or eq to an ISO 8601 time, joined by and: "${clause.slice(0, 80)}"`,
      );
    }
    const ms = Date.parse(match[3]!);
    const op = match[2]!;
    if (op === 'gt' || op === 'ge' || op === 'eq') bounds.from = { ms, inclusive: op !== 'gt' };
    if (op === 'lt' || op === 'le' || op === 'eq') bounds.to = { ms, inclusive: op !== 'lt' };
  }
  return bounds;
}

/** `Datastreams,Observations($top=1;$orderby=phenomenonTime desc)`: split at top-level commas. */
function expansions(raw: string): StaOptions['expand'] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] === '(') depth++;
    if (raw[i] === ')') depth--;
    if (raw[i] === ',' && depth === 0) {
      parts.push(raw.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(raw.slice(start));
  return parts.map((part) => {
    const match = /^\s*([A-Za-z]+)(?:\((.*)\))?\s*$/.exec(part);
    if (!match) throw new StaQueryError(`$expand: cannot read "${part.slice(0, 80)}"`);
    const nested = Object.fromEntries(
      (match[2] ?? '')
        .split(';')
        .filter(Boolean)
        .map((option) => {
          const at = option.indexOf('=');
          return [option.slice(0, at).trim(), option.slice(at + 1).trim()];
        }),
    );
    return { navigation: match[1]!, options: parseStaOptions(nested, 1) };
  });
}

const KNOWN = ['$top', '$skip', '$count', '$orderby', '$filter', '$expand', '$select', '$resultFormat'];

export function parseStaOptions(query: Record<string, unknown>, depth = 0): StaOptions {
  for (const key of Object.keys(query)) {
    if (!KNOWN.includes(key)) throw new StaQueryError(`${key}: not a SensorThings query option`);
    if (typeof query[key] !== 'string') throw new StaQueryError(`${key}: given more than once`);
  }
  const text = query as Record<string, string | undefined>;
  if (text['$select'] !== undefined || text['$resultFormat'] !== undefined) {
    throw new StaQueryError('$select and $resultFormat are not supported here: every property is sent');
  }
  const orderby = text['$orderby']?.trim();
  if (orderby !== undefined && !/^(phenomenonTime|resultTime|@iot\.id|id)(\s+(asc|desc))?$/.test(orderby)) {
    throw new StaQueryError('$orderby: phenomenonTime (or @iot.id) asc or desc');
  }
  if (text['$count'] !== undefined && !['true', 'false'].includes(text['$count'])) {
    throw new StaQueryError('$count: true or false');
  }
  if (depth > 0 && text['$expand'] !== undefined) throw new StaQueryError('$expand: one level deep here');
  return {
    top: integer('$top', text['$top'], DEFAULT_TOP, MAX_TOP),
    skip: integer('$skip', text['$skip'], 0, 1_000_000),
    count: text['$count'] === 'true',
    order: orderby?.endsWith('desc') ? 'desc' : 'asc',
    ...(text['$filter'] ? timeFilter(text['$filter']) : {}),
    expand: text['$expand'] ? expansions(text['$expand']) : [],
  };
}
