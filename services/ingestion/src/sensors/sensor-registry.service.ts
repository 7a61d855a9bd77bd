import { Injectable } from '@nestjs/common';
import { type SensorAddress, type SensorLatest, sensorKey } from '@meetnet/contracts';
import { PipelineEventBus } from '../events/pipeline-events';

/**
 * Every sensor this instance knows: its description (retained `meta`), its latest values and
 * when it was last heard from. Announces each change as `sensor.updated`.
 */
@Injectable()
export class SensorRegistry {
  private readonly sensors = new Map<string, SensorLatest>();

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
      this.changed(sensor);
    });
    events.on('device.status', ({ address, status, receivedAt }) => {
      // A last will is the broker speaking for a vanished device: it is not a sign of life.
      if (!status.online) return;
      const sensor = this.entry(address);
      sensor.lastSeen = Math.max(sensor.lastSeen ?? 0, receivedAt);
    });
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
