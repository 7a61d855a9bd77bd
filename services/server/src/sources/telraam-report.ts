/** One hour of one Telraam segment, in Meetnet's mobility fields. */
export interface TrafficHour {
  /** Epoch ms, the hour's start (UTC). */
  at: number;
  values: Record<string, number>;
}

export type TrafficReport = { ok: true; hours: TrafficHour[] } | { ok: false; detail: string };

/** Telraam's windows reach three months at most; ours stay well inside. */
export const MAX_WINDOW_MS = 80 * 86_400_000;

/** `POST /reports/traffic`'s body: one segment, hourly, `time_end` exclusive. */
export function trafficRequest(segment: string, from: Date, to: Date): Record<string, string> {
  const iso = (at: Date) => `${at.toISOString().slice(0, 19)}Z`;
  return { level: 'segments', format: 'per-hour', id: segment, time_start: iso(from), time_end: iso(to) };
}

const COUNTS = ['car', 'bike', 'pedestrian', 'heavy'] as const;

/** A number, or nothing: Telraam writes missing numbers as `""` or null (its live snapshot does). */
function looseNumber(value: unknown): number | undefined {
  const number =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && value.trim() !== ''
        ? Number(value)
        : NaN;
  return Number.isFinite(number) ? number : undefined;
}

/**
 * The report's hourly rows for this segment. Counts are already scaled up by `uptime` (counts ×
 * uptime are whole numbers), so they are rounded to vehicles and not scaled again; `uptime` is
 * kept, as a percentage, to mark an hour as an estimate.
 */
export function readTrafficReport(body: unknown, segment: string): TrafficReport {
  if (typeof body !== 'object' || body === null || !Array.isArray((body as { report?: unknown }).report)) {
    return { ok: false, detail: 'no report[] in the answer' };
  }
  const hours: TrafficHour[] = [];
  for (const row of (body as { report: unknown[] }).report) {
    if (typeof row !== 'object' || row === null) continue;
    const r = row as Record<string, unknown>;
    if (String(r['segment_id']) !== segment || (r['interval'] !== undefined && r['interval'] !== 'hourly'))
      continue;
    const at = typeof r['date'] === 'string' ? Date.parse(r['date']) : NaN;
    if (Number.isNaN(at)) continue;
    const values: Record<string, number> = {};
    for (const count of COUNTS) {
      const value = looseNumber(r[count]);
      if (value !== undefined) values[count] = Math.round(value);
    }
    const v85 = looseNumber(r['v85']);
    if (v85 !== undefined && v85 > 0) values['v85'] = v85;
    const uptime = looseNumber(r['uptime']);
    if (uptime !== undefined) values['uptime'] = Math.round(Math.min(1, Math.max(0, uptime)) * 100);
    // An hour Telraam did not count at all says nothing: it is not a zero.
    if (COUNTS.some((count) => count in values) && uptime !== 0) hours.push({ at, values });
  }
  return { ok: true, hours };
}
