import { deviceUsername, parseDeviceAddress, parseDeviceUsername } from './device-username';

describe('device usernames', () => {
  it('round-trips an address, dots in the sensor id included', () => {
    const address = { city: 'sint-niklaas', domain: 'noise', sensorId: 'N.07_b' } as const;
    expect(deviceUsername(address)).toBe('sint-niklaas.noise.N.07_b');
    expect(parseDeviceUsername('sint-niklaas.noise.N.07_b')).toEqual(address);
  });

  it.each(['leuven.air', 'leuven.water.x', 'Leuven.air.x', 'leuven.air.a/b', 'leuven.air.#', 'root'])(
    'refuses %s',
    (name) => expect(parseDeviceUsername(name)).toBeNull(),
  );

  it('reads city/domain/id as operators type it', () => {
    expect(parseDeviceAddress(' leuven/air/AQ-1 ')).toEqual({
      city: 'leuven',
      domain: 'air',
      sensorId: 'AQ-1',
    });
    expect(parseDeviceAddress('leuven/air/AQ-1/obs')).toBeNull();
  });
});
