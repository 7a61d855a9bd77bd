import { observationToPoint } from './observation-point';

describe('observationToPoint', () => {
  it('writes one measurement per domain, sensor and city as tags, the device time in ms', () => {
    const point = observationToPoint({
      city: 'leuven',
      domain: 'mobility',
      sensorId: 'mob-0001',
      ts: 1_795_852_800_123,
      periodS: 300,
      values: { car: 120, v85: 48.5 },
    });
    expect(point.toLineProtocol()).toBe(
      'mobility,city=leuven,sensor_id=mob-0001 car=120,period_s=300i,v85=48.5 1795852800123',
    );
  });

  it('writes counts as floats, so a field never changes type between batches', () => {
    const line = observationToPoint({
      city: 'gent',
      domain: 'mobility',
      sensorId: 'm',
      ts: 1,
      periodS: 60,
      values: { car: 3 },
    }).toLineProtocol();
    expect(line).toContain('car=3,');
    expect(line).not.toContain('car=3i');
  });
});
