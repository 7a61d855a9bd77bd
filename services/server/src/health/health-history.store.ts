import { Injectable } from '@nestjs/common';
import { flux, fluxDateTime, Point } from '@influxdata/influxdb-client';
import { type HealthChange, isProblem, parseDeviceAddress, type Problem } from '@meetnet/contracts';
import { InfluxConnection } from '../influx/influx-connection.service';
import { ObservationSpool } from '../storage/observation-spool.service';

const MEASUREMENT = 'sensor_health';

export interface StoredProblem {
  key: string;
  problem: Problem;
  since: number;
  detail: string;
}

interface HealthRow {
  _time: string;
  city: string;
  domain: string;
  sensor_id: string;
  problem: string;
  active?: number;
  detail?: string;
}

/**
 * Problem starts and ends, in InfluxDB: "offline since 03:12" survives a restart and every
 * sensor has a history. Written through the spool like observations, so a change is kept
 * through an InfluxDB outage of any length; bucket and measurement never come from a request.
 */
@Injectable()
export class HealthHistoryStore {
  constructor(
    private readonly influx: InfluxConnection,
    private readonly spool: ObservationSpool,
  ) {}

  /** Queued on the spool in order; a full spool delays the lines, it never drops them. */
  record(changes: HealthChange[]): void {
    for (const change of changes) {
      const address = parseDeviceAddress(change.key);
      if (!address) continue;
      void this.spool.appendLine(
        new Point(MEASUREMENT)
          .tag('city', address.city)
          .tag('domain', address.domain)
          .tag('sensor_id', address.sensorId)
          .tag('problem', change.problem)
          .intField('active', change.active ? 1 : 0)
          .stringField('detail', change.detail)
          .timestamp(change.at)
          .toLineProtocol()!,
      );
    }
  }

  /** The problems whose latest record says active, with when they began. */
  async activeProblems(sinceDays: number): Promise<StoredProblem[]> {
    const rows = await this.rows(
      flux`from(bucket: ${this.influx.bucket})
  |> range(start: ${fluxDateTime(new Date(Date.now() - sinceDays * 86_400_000).toISOString())})
  |> filter(fn: (r) => r._measurement == ${MEASUREMENT})
  |> group(columns: ["city", "domain", "sensor_id", "problem", "_field"])
  |> last()
  |> pivot(rowKey: ["_time"], columnKey: ["_field"], valueColumn: "_value")`,
    );
    return rows
      .filter((row) => row.active === 1 && isProblem(row.problem))
      .map((row) => ({
        key: keyOf(row),
        problem: row.problem as Problem,
        since: Date.parse(row._time),
        detail: row.detail ?? '',
      }));
  }

  /** One sensor's starts and ends, newest first. */
  async history(
    address: { city: string; domain: string; sensorId: string },
    sinceDays: number,
  ): Promise<HealthChange[]> {
    const rows = await this.rows(
      flux`from(bucket: ${this.influx.bucket})
  |> range(start: ${fluxDateTime(new Date(Date.now() - sinceDays * 86_400_000).toISOString())})
  |> filter(fn: (r) => r._measurement == ${MEASUREMENT} and r.city == ${address.city} and r.domain == ${address.domain} and r.sensor_id == ${address.sensorId})
  |> pivot(rowKey: ["_time", "problem"], columnKey: ["_field"], valueColumn: "_value")
  |> group()
  |> sort(columns: ["_time"], desc: true)
  |> limit(n: 500)`,
    );
    return rows
      .filter((row) => isProblem(row.problem))
      .map((row) => ({
        key: keyOf(row),
        problem: row.problem as Problem,
        active: row.active === 1,
        at: Date.parse(row._time),
        detail: row.detail ?? '',
      }));
  }

  private rows(query: ReturnType<typeof flux>): Promise<HealthRow[]> {
    return this.influx.rows<HealthRow>(query);
  }
}

function keyOf(row: HealthRow): string {
  return `${row.city}/${row.domain}/${row.sensor_id}`;
}
