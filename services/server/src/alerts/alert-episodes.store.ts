import { Injectable } from '@nestjs/common';
import { flux, fluxDateTime, Point } from '@influxdata/influxdb-client';
import { type AlertEpisode, isDomain, parseDeviceAddress } from '@meetnet/contracts';
import { InfluxConnection } from '../influx/influx-connection.service';
import { ObservationSpool } from '../storage/observation-spool.service';

const EPISODES = 'alert_episode';
const MARKS = 'alert_mark';

interface EpisodeRow {
  _time: string;
  rule_id: string;
  city: string;
  domain: string;
  sensor_id: string;
  rule_version?: number;
  rule_name?: string;
  end?: number;
  peak?: number;
  peak_at?: number;
  unit?: string;
  threshold?: number;
  coverage?: number;
  ack_by?: string;
  ack_at?: number;
  resolved_by?: string;
}

/**
 * Episodes in InfluxDB, one point each, timed at the episode's start: every change (peak,
 * acknowledgement, end) overwrites the same point, so writing one twice is harmless. Written
 * through the spool, so they survive an InfluxDB outage like observations do. Beside them, each
 * rule's mark: the end of the latest window it judged, where a restarted service carries on.
 */
@Injectable()
export class AlertEpisodesStore {
  constructor(
    private readonly influx: InfluxConnection,
    private readonly spool: ObservationSpool,
  ) {}

  record(episode: AlertEpisode): void {
    const address = parseDeviceAddress(episode.key);
    if (!address) return;
    const point = new Point(EPISODES)
      .tag('rule_id', episode.ruleId)
      .tag('city', address.city)
      .tag('domain', address.domain)
      .tag('sensor_id', address.sensorId)
      .intField('rule_version', episode.ruleVersion)
      .stringField('rule_name', episode.ruleName)
      .intField('end', episode.end ?? 0)
      .floatField('peak', episode.peak)
      .intField('peak_at', episode.peakAt)
      .stringField('unit', episode.unit)
      .floatField('threshold', episode.threshold)
      .floatField('coverage', episode.coverage)
      .stringField('ack_by', episode.acknowledgedBy ?? '')
      .intField('ack_at', episode.acknowledgedAt ?? 0)
      .stringField('resolved_by', episode.resolvedBy ?? '')
      .timestamp(episode.start);
    void this.spool.appendLine(point.toLineProtocol()!);
  }

  mark(ruleId: string, judgedUntil: number): void {
    void this.spool.appendLine(
      new Point(MARKS)
        .tag('rule_id', ruleId)
        .intField('judged_until', judgedUntil)
        .timestamp(Date.now())
        .toLineProtocol()!,
    );
  }

  async marks(sinceMs: number): Promise<Map<string, number>> {
    const rows = await this.influx.rows<{
      rule_id: string;
      _value: number;
    }>(flux`from(bucket: ${this.influx.bucket})
  |> range(start: ${fluxDateTime(new Date(sinceMs).toISOString())})
  |> filter(fn: (r) => r._measurement == ${MARKS} and r._field == "judged_until")
  |> group(columns: ["rule_id"])
  |> max()`);
    return new Map(rows.map((row) => [row.rule_id, row._value]));
  }

  /** Episodes that started in [from, to) (and any still open that started earlier than `to`), newest first. */
  async between(from: number, to: number, ruleId?: string): Promise<AlertEpisode[]> {
    const ruleFilter = ruleId === undefined ? flux`true` : flux`r.rule_id == ${ruleId}`;
    const rows = await this.influx.rows<EpisodeRow>(flux`from(bucket: ${this.influx.bucket})
  |> range(start: ${fluxDateTime(new Date(from).toISOString())}, stop: ${fluxDateTime(new Date(to).toISOString())})
  |> filter(fn: (r) => r._measurement == ${EPISODES} and ${ruleFilter})
  |> pivot(rowKey: ["_time"], columnKey: ["_field"], valueColumn: "_value")
  |> group()
  |> sort(columns: ["_time"], desc: true)
  |> limit(n: 10000)`);
    return rows.flatMap((row) => {
      const episode = episodeOf(row);
      return episode ? [episode] : [];
    });
  }
}

function episodeOf(row: EpisodeRow): AlertEpisode | undefined {
  if (!isDomain(row.domain)) return undefined;
  const key = `${row.city}/${row.domain}/${row.sensor_id}`;
  const start = Date.parse(row._time);
  return {
    id: episodeId(row.rule_id, key, start),
    ruleId: row.rule_id,
    ruleVersion: row.rule_version ?? 1,
    ruleName: row.rule_name ?? row.rule_id,
    key,
    city: row.city,
    domain: row.domain,
    sensorId: row.sensor_id,
    start,
    ...(row.end ? { end: row.end } : {}),
    peak: row.peak ?? 0,
    peakAt: row.peak_at ?? start,
    unit: row.unit ?? '',
    threshold: row.threshold ?? 0,
    coverage: row.coverage ?? 0,
    ...(row.ack_by ? { acknowledgedBy: row.ack_by, acknowledgedAt: row.ack_at } : {}),
    ...(row.resolved_by ? { resolvedBy: row.resolved_by } : {}),
  };
}

export function episodeId(ruleId: string, key: string, start: number): string {
  return `${ruleId}~${key.replaceAll('/', '~')}~${start}`;
}
