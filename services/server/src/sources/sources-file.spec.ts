import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSourcesFile, SourcesFileError } from './sources-file';

const dir = mkdtempSync(join(tmpdir(), 'meetnet-sources-spec-'));
writeFileSync(join(dir, 'key'), 'NNSXS.SECRET\n');

const device = {
  device: 'dev1',
  profile: 'dl-pm',
  city: 'leuven',
  sensorId: 'dlpm-1',
  name: 'A',
  lat: 50.8,
  lon: 4.7,
};
const source = (overrides: Record<string, unknown> = {}) => ({
  name: 'ttn-leuven',
  kind: 'ttn-v3',
  broker: { url: 'mqtts://eu1.cloud.thethings.network:8883', username: 'app@ttn', passwordFile: 'key' },
  application: 'app@ttn',
  profiles: { 'dl-pm': { domain: 'air', intervalS: 600, fields: { pm25: { path: 'pm2_5.value' } } } },
  devices: [device],
  ...overrides,
});

function problemsOf(content: unknown): string[] {
  const file = join(dir, `sources-${Math.random()}.json`);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  try {
    readSourcesFile(file);
  } catch (error) {
    if (error instanceof SourcesFileError) return error.problems;
    throw error;
  }
  return [];
}

describe('the sources file', () => {
  it('reads the secret from its file and joins each device with its profile', () => {
    const file = join(dir, 'good.json');
    writeFileSync(file, JSON.stringify({ sources: [source()] }));
    const [read] = readSourcesFile(file).lorawan;
    expect(read?.broker).toEqual({
      url: 'mqtts://eu1.cloud.thethings.network:8883',
      username: 'app@ttn',
      password: 'NNSXS.SECRET',
    });
    expect(read?.devices.get('dev1')).toMatchObject({ domain: 'air', intervalS: 600, sensorId: 'dlpm-1' });
  });

  it('names the entry and the property of a bad value', () => {
    expect(problemsOf({ sources: [source({ kind: 'lorawan' })] })).toEqual([
      'sources[0] (ttn-leuven) kind: must be one of ttn-v3, chirpstack-v4, sensor-community, telraam',
    ]);
    expect(problemsOf({ sources: [source({ devices: [{ ...device, lat: 95 }] })] })).toEqual([
      'sources[0] (ttn-leuven) devices/0/lat: must be <= 90',
    ]);
    expect(problemsOf({ sources: [source({ colour: 'red' })] })).toEqual([
      'sources[0] (ttn-leuven) colour: unknown property',
    ]);
  });

  it("refuses a field the profile's domain does not have, an undefined profile and a device mapped twice", () => {
    const profiles = { 'dl-pm': { domain: 'air', intervalS: 600, fields: { laeq: { path: 'x' } } } };
    expect(problemsOf({ sources: [source({ profiles })] })).toEqual([
      'sources[0] (ttn-leuven) profiles.dl-pm: "laeq" is not a air field',
    ]);
    expect(problemsOf({ sources: [source({ devices: [{ ...device, profile: 'ws302' }] })] })).toEqual([
      'sources[0] (ttn-leuven) devices[0]: profile "ws302" is not defined',
    ]);
    expect(
      problemsOf({ sources: [source({ devices: [device, { ...device, sensorId: 'dlpm-2' }] })] }),
    ).toEqual(['sources[0] (ttn-leuven) devices[1]: device "dev1" is mapped twice']);
  });

  it('names a secret file it cannot read, and a file that is not JSON', () => {
    expect(
      problemsOf({ sources: [source({ broker: { url: 'mqtt://ns:1883', passwordFile: 'missing' } })] }),
    ).toEqual(['sources[0] (ttn-leuven) broker.passwordFile: missing cannot be read (ENOENT)']);
    expect(problemsOf('{"sources": [')[0]).toMatch(/^not JSON/);
  });
});
