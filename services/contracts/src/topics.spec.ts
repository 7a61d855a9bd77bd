import { buildTopic, parseTopic, sharedFilter } from './topics';

describe('topics', () => {
  it('parses what it builds', () => {
    const address = { city: 'sint-niklaas', domain: 'mobility', sensorId: 'mob-0042' } as const;
    for (const kind of ['obs', 'status', 'meta'] as const) {
      expect(parseTopic(buildTopic(address, kind))).toEqual({ ...address, kind });
    }
  });

  it.each([
    ['another prefix', 'other/leuven/air/a1/obs'],
    ['an unknown domain', 'meetnet/leuven/water/a1/obs'],
    ['an unknown kind', 'meetnet/leuven/air/a1/cmd'],
    ['too few levels', 'meetnet/leuven/air/obs'],
    ['too many levels', 'meetnet/leuven/air/a1/obs/extra'],
    ['an upper-case city', 'meetnet/Leuven/air/a1/obs'],
    ['an empty sensor id', 'meetnet/leuven/air//obs'],
    ['a backslash in the sensor id', 'meetnet/leuven/air/a1\\/obs'],
    ['a comma in the sensor id', 'meetnet/leuven/air/a,1/obs'],
    ['a space in the sensor id', 'meetnet/leuven/air/a 1/obs'],
    ['a 65-character sensor id', `meetnet/leuven/air/${'a'.repeat(65)}/obs`],
  ])('refuses %s', (_name, topic) => {
    expect(parseTopic(topic)).toBeNull();
  });

  it('builds MQTT 5 shared-subscription filters', () => {
    expect(sharedFilter('meetnet', 'meetnet/+/+/+/obs')).toBe('$share/meetnet/meetnet/+/+/+/obs');
  });
});
