import { Injectable } from '@nestjs/common';
import { flux, fluxDateTime } from '@influxdata/influxdb-client';
import type { DeadLetter, SensorAddress } from '@meetnet/contracts';
import { InfluxConnection } from '../influx/influx-connection.service';
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
  constructor(private readonly influx: InfluxConnection) {}

  async recent(address: SensorAddress): Promise<DeadLetter[]> {
    const since = new Date(Date.now() - REJECTS_DAYS * 86_400_000).toISOString();
    const rows = await this.influx.rows<{ _value: string }>(
      flux`from(bucket: ${this.influx.bucket})
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
