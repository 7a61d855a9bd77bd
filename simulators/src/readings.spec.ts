import { findMunicipality, observationValidators } from '@meetnet/contracts';
import { createFleet } from './fleet';
import { Random } from './random';
import { reading } from './readings';

describe('readings', () => {
  const fleet = createFleet(findMunicipality('Gent')!, 60, 'readings', 60);

  it('always satisfy the contract schema, around the clock and the week', () => {
    const random = new Random('readings');
    const start = Date.parse('2026-11-23T00:00:00+01:00');
    for (let ts = start; ts < start + 7 * 86_400_000; ts += 1_800_000) {
      for (const sensor of fleet) {
        const payload = reading(sensor, ts, 60, 0.4, random);
        const validate = observationValidators[sensor.domain];
        if (!validate(payload))
          throw new Error(`${sensor.sensorId} at ${ts}: ${JSON.stringify(validate.errors)}`);
      }
    }
  });

  it('counts more cars at 8h on a weekday than at 3h', () => {
    const counter = fleet.find((s) => s.domain === 'mobility')!;
    const total = (iso: string) => {
      const random = new Random('cars');
      let cars = 0;
      for (let i = 0; i < 20; i++)
        cars += (reading(counter, Date.parse(iso), 300, 0.4, random) as { car: number }).car;
      return cars;
    };
    expect(total('2026-11-25T08:00:00+01:00')).toBeGreaterThan(4 * total('2026-11-25T03:00:00+01:00'));
  });

  it('makes NO2 follow traffic', () => {
    const station = fleet.find((s) => s.domain === 'air')!;
    const mean = (iso: string) => {
      const random = new Random('no2');
      let sum = 0;
      for (let i = 0; i < 50; i++)
        sum += (reading(station, Date.parse(iso), 60, 0.4, random) as { no2: number }).no2;
      return sum / 50;
    };
    expect(mean('2026-11-25T08:00:00+01:00')).toBeGreaterThan(mean('2026-11-25T03:00:00+01:00') + 10);
  });
});
