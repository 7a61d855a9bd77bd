import { Inject, Injectable } from '@nestjs/common';
import { flux, fluxDateTime, InfluxDB, type QueryApi } from '@influxdata/influxdb-client';
import type { DeadLetter, SensorAddress } from '@meetnet/contracts';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { REJECTED_MEASUREMENT } from '../ingestion/dead-letter';

/** How far back and how many a technician sees; enough to tell a firmware bug from a blip. */
export const REJECTS_SHOWN = 50;
const REJECTS_DAYS = 30;

/**
 * A sensor's refused messages, newest first, from the dead letters the spool shipped to
 * InfluxDB (so they outlive a restart and every instance sees the same ones).
 */
@Injectable()
export class RejectedMessagesReader {
  private readonly queryApi: QueryApi;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    const { influx } = config;
    this.queryApi = new InfluxDB({ url: influx.url, token: influx.readToken, timeout: 30_000 }).getQueryApi(
      influx.org,
    );
  }

  async recent(address: SensorAddress): Promise<DeadLetter[]> {
    const since = new Date(Date.now() - REJECTS_DAYS * 86_400_000).toISOString();
    const rows = await this.queryApi.collectRows<{ _value: string }>(
      flux`from(bucket: ${this.config.influx.bucket})
  |> range(start: ${fluxDateTime(since)})
  |> filter(fn: (r) => r._measurement == ${REJECTED_MEASUREMENT} and r.city == ${address.city} and r.domain == ${address.domain} and r.sensor_id == ${address.sensorId} and r._field == "letter")
  |> group()
  |> sort(columns: ["_time"], desc: true)
  |> limit(n: ${REJECTS_SHOWN})`,
    );
    return rows.flatMap((row) => {
      try {
        return [JSON.parse(row._value) as DeadLetter];
      } catch {
        return [];
      }
    });
  }
}
