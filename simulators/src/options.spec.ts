import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OptionsError, parseOptions } from './options';

const NOW = Date.parse('2026-11-28T12:00:00Z');

describe('parseOptions', () => {
  it('defaults to 300 sensors in Leuven on the local broker, one connection each', () => {
    const options = parseOptions([], {}, NOW);
    expect(options).toMatchObject({
      url: 'mqtt://127.0.0.1:1883',
      sensors: 300,
      intervalS: 5,
      accel: 1,
      start: NOW,
      connections: 0,
    });
    expect(options !== 'help' && options.city.properties.nis).toBe('24062');
  });

  it('starts an accelerated clock in the past, so it never overtakes the real one', () => {
    const options = parseOptions(['--accel', '60', '--duration', '60'], {}, NOW);
    expect(options !== 'help' && options.start).toBe(NOW - 60 * 60 * 1000);
  });

  it('shares connections for big fleets', () => {
    const options = parseOptions(['--sensors', '10000'], {}, NOW);
    expect(options !== 'help' && options.connections).toBe(100);
  });

  it('connects every device with its own account when given credentials, even a big fleet', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'meetnet-sim-')), 'credentials.json');
    writeFileSync(file, JSON.stringify({ 'leuven.air.air-0001': 'secret' }));
    const options = parseOptions(['--sensors', '5000', '--credentials', file], {}, NOW);
    expect(options !== 'help' && options.connections).toBe(0);
    expect(options !== 'help' && options.credentials).toEqual({ 'leuven.air.air-0001': 'secret' });
    expect(() => parseOptions(['--credentials', file, '--connections', '10'], {}, NOW)).toThrow(
      '--connections: each device connects with its own account when --credentials is given',
    );
    writeFileSync(file, '["secret"]');
    expect(() => parseOptions(['--credentials', file], {}, NOW)).toThrow(/expected \{"city.domain.id"/);
  });

  it.each([
    [['--sensors', '0'], '--sensors=0: must be a whole number from 1 to 10000'],
    [['--sensors', '20000'], '--sensors=20000: must be a whole number from 1 to 10000'],
    [['--interval', '0.5'], '--interval=0.5: must be a whole number from 1 to 86400'],
    [['--city', 'Atlantis'], '--city=Atlantis: not a Flemish municipality (name or NIS code)'],
    [['--url', 'http://x'], '--url=http://x: must be an mqtt://, mqtts://, ws:// or wss:// URL'],
    [['--start', 'soon'], '--start=soon: must be an ISO 8601 date'],
  ])('refuses %j, naming the option', (argv, message) => {
    expect(() => parseOptions(argv, {}, NOW)).toThrow(new OptionsError(message));
  });
});
