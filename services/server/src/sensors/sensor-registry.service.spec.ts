import type { SensorLatest } from '@meetnet/contracts';
import { pino } from 'pino';
import { PipelineEventBus } from '../events/pipeline-events';
import { SensorRegistry } from './sensor-registry.service';

const address = { city: 'leuven', domain: 'air', sensorId: 'a1' } as const;

function setup() {
  const events = new PipelineEventBus(pino({ level: 'silent' }));
  const registry = new SensorRegistry(events);
  const updates: SensorLatest[] = [];
  events.on('sensor.updated', (s) => updates.push({ ...s }));
  return { events, registry, updates };
}

describe('SensorRegistry', () => {
  it('joins a sensor’s description and its latest values, announcing each change', () => {
    const { events, registry, updates } = setup();
    events.emit('device.meta', {
      address,
      meta: { name: 'Naamsestraat', lat: 50.87, lon: 4.7, model: 'AQ-2', intervalS: 5 },
    });
    events.emit('observation.accepted', { ...address, ts: 1_795_852_800_000, values: { no2: 20 } });
    expect(registry.all()).toEqual([
      expect.objectContaining({
        key: 'leuven/air/a1',
        name: 'Naamsestraat',
        lat: 50.87,
        ts: 1_795_852_800_000,
        values: { no2: 20 },
      }),
    ]);
    expect(updates.map((u) => u.values)).toEqual([{}, { no2: 20 }]);
  });

  it('counts a status as a sign of life, but not the last will the broker publishes for a lost device', () => {
    const { events, registry } = setup();
    events.emit('device.status', { address, status: { online: true }, receivedAt: 1000 });
    events.emit('device.status', { address, status: { online: false }, receivedAt: 5000 });
    expect(registry.all()[0]!.lastSeen).toBe(1000);
  });

  it('restores stored latest values after a restart, but never over newer ones', () => {
    const { events, registry } = setup();
    events.emit('observation.accepted', { ...address, ts: 2_000, values: { no2: 30 } });
    registry.restore([
      { ...address, ts: 1_000, values: { no2: 10 } },
      { city: 'leuven', domain: 'noise', sensorId: 'n1', ts: 1_500, values: { laeq: 55 }, periodS: 60 },
    ]);
    const byKey = new Map(registry.all().map((s) => [s.key, s]));
    expect(byKey.get('leuven/air/a1')).toMatchObject({ ts: 2_000, values: { no2: 30 } });
    expect(byKey.get('leuven/noise/n1')).toMatchObject({
      ts: 1_500,
      values: { laeq: 55 },
      periodS: 60,
      lastSeen: 1_500,
    });
  });
});
