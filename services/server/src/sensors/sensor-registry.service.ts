import { Injectable } from '@nestjs/common';
import { type MetaPayload, type SensorAddress, type SensorLatest, sensorKey } from '@meetnet/contracts';
import { PipelineEventBus } from '../events/pipeline-events';
import type { StoredLatest } from '../storage/influx-latest.reader';

/**
 * Every sensor the deployment knows: its description (retained `meta`), its latest values and
 * when it was last heard from, from this instance's messages and, with several instances,
 * from the others' (`peer.*` facts). Announces a change this instance made as
 * `sensor.updated`, one a peer made as `peer.sensor.updated` (the peer announced it already).
 */
@Injectable()
export class SensorRegistry {
  private readonly sensors = new Map<string, SensorLatest>();
  /** What each sensor says of itself (retained `meta`): the one copy the service keeps. */
  private readonly metas = new Map<string, MetaPayload>();

  constructor(private readonly events: PipelineEventBus) {
    events.onFact('observation.accepted', (o, origin) => {
      const sensor = this.entry(o);
      // A peer's fact may arrive after a newer local one (or a restored one): newest wins.
      if (origin === 'peer' && sensor.ts !== undefined && sensor.ts > o.ts) return;
      sensor.ts = o.ts;
      sensor.values = o.values;
      sensor.periodS = o.periodS;
      sensor.lastSeen = Date.now();
      this.changed(sensor, origin);
    });
    events.onFact('device.meta', ({ address, meta }, origin) => {
      const sensor = this.entry(address);
      sensor.name = meta.name;
      sensor.lat = meta.lat;
      sensor.lon = meta.lon;
      this.metas.set(sensor.key, meta);
      this.changed(sensor, origin);
    });
    events.onFact('device.retired', ({ address }) => {
      const key = sensorKey(address);
      this.sensors.delete(key);
      this.metas.delete(key);
    });
    events.onFact('device.status', ({ address, status, receivedAt }) => {
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
      this.changed(sensor, 'local');
    }
  }

  /** Seconds between readings, as the sensor declared it; undefined before its `meta`. */
  declaredIntervalS(key: string): number | undefined {
    return this.metas.get(key)?.intervalS;
  }

  /** Epoch ms of the sensor's newest observation, stored or live; undefined if none. */
  latestTs(key: string): number | undefined {
    return this.sensors.get(key)?.ts;
  }

  /** The sensor's own description; undefined before its `meta`. */
  meta(key: string): MetaPayload | undefined {
    return this.metas.get(key);
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

  private changed(sensor: SensorLatest, origin: 'local' | 'peer'): void {
    this.events.emit(origin === 'local' ? 'sensor.updated' : 'peer.sensor.updated', sensor);
  }
}
