import { Injectable } from '@nestjs/common';
import { type SensorAddress, type SensorLatest, sensorKey } from '@meetnet/contracts';
import { PipelineEventBus } from '../events/pipeline-events';
import type { StoredLatest } from '../storage/influx-latest.reader';

/**
 * Every sensor this instance knows: its description (retained `meta`), its latest values and
 * when it was last heard from. Announces each change as `sensor.updated`.
 */
@Injectable()
export class SensorRegistry {
  private readonly sensors = new Map<string, SensorLatest>();
  /** What each sensor's `meta` says of its reporting interval: what a query will read. */
  private readonly intervals = new Map<string, number>();

  constructor(private readonly events: PipelineEventBus) {
    events.on('observation.accepted', (o) => {
      const sensor = this.entry(o);
      sensor.ts = o.ts;
      sensor.values = o.values;
      sensor.periodS = o.periodS;
      sensor.lastSeen = Date.now();
      this.changed(sensor);
    });
    events.on('device.meta', ({ address, meta }) => {
      const sensor = this.entry(address);
      sensor.name = meta.name;
      sensor.lat = meta.lat;
      sensor.lon = meta.lon;
      this.intervals.set(sensor.key, meta.intervalS);
      this.changed(sensor);
    });
    events.on('device.retired', ({ address }) => {
      const key = sensorKey(address);
      this.sensors.delete(key);
      this.intervals.delete(key);
    });
    events.on('device.status', ({ address, status, receivedAt }) => {
      // A last will is the broker speaking for a vanished device: it is not a sign of life.
      if (!status.online) return;
      const sensor = this.entry(address);
      sensor.lastSeen = Math.max(sensor.lastSeen ?? 0, receivedAt);
    });
  }

  /**
   * Latest values stored before a restart (InfluxDB), so no sensor is forgotten; whatever
   * arrived since start-up is newer and wins.
   */
  restore(latest: readonly StoredLatest[]): void {
    for (const stored of latest) {
      const sensor = this.entry(stored);
      if (sensor.ts !== undefined && sensor.ts >= stored.ts) continue;
      sensor.ts = stored.ts;
      sensor.values = { ...stored.values };
      sensor.periodS = stored.periodS;
      sensor.lastSeen = Math.max(sensor.lastSeen ?? 0, stored.ts);
      this.changed(sensor);
    }
  }

  /** Seconds between readings, as the sensor declared it; undefined before its `meta`. */
  declaredIntervalS(key: string): number | undefined {
    return this.intervals.get(key);
  }

  all(): SensorLatest[] {
    return [...this.sensors.values()];
  }

  private entry(address: SensorAddress): SensorLatest {
    const key = sensorKey(address);
    let sensor = this.sensors.get(key);
    if (!sensor) {
      sensor = { key, city: address.city, domain: address.domain, sensorId: address.sensorId, values: {} };
      this.sensors.set(key, sensor);
    }
    return sensor;
  }

  private changed(sensor: SensorLatest): void {
    this.events.emit('sensor.updated', sensor);
  }
}
