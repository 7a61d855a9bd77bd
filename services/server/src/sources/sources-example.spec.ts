import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readSourcesFile } from './sources-file';

describe('infra/sources.example.json', () => {
  it('is a valid sources file once its secret files are in place', () => {
    const dir = mkdtempSync(join(tmpdir(), 'meetnet-sources-example-'));
    copyFileSync(resolve(__dirname, '../../../../infra/sources.example.json'), join(dir, 'sources.json'));
    for (const secret of [
      'ttn-api-key',
      'chirpstack-password',
      'chirpstack-ca.crt',
      'sc-12331981-password',
      'sc-1234567-password',
      'telraam-api-key',
    ]) {
      writeFileSync(join(dir, secret), 'x');
    }
    const { lorawan, stations, telraam } = readSourcesFile(join(dir, 'sources.json'));
    expect(lorawan.map((s) => [s.name, s.kind, s.devices.size])).toEqual([
      ['ttn-leuven', 'ttn-v3', 2],
      ['chirpstack-leuven', 'chirpstack-v4', 2],
    ]);
    expect([...stations.keys()]).toEqual(['esp8266-12331981', 'esp32-1234567']);
    expect(telraam.map((t) => [t.name, t.segments.length, t.baseUrl])).toEqual([
      ['telraam-leuven', 1, 'https://telraam-api.net/v1'],
    ]);
  });
});
