#!/usr/bin/env node
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { findMunicipality } from '@meetnet/contracts';
import { connectAsync } from 'mqtt';
import { Random } from '../random';
import { airReading, mobilityReading, noiseReading, weatherReading } from '../readings';
import { createUpstreamFleet, type UpstreamDevice } from './upstream-fleet';
import { chirpstackEvent, sensorCommunityPush, telraamRow, ttnUplink } from './upstream-formats';

const USAGE = `meetnet-sim-upstream: simulated devices that reach Meetnet through other systems:
LoRaWAN uplinks as The Things Stack and ChirpStack publish them, Sensor.Community pushes, and a
Telraam-shaped API to poll.

Options:
  --network-server URL  the broker playing TTN's and ChirpStack's (default mqtt://127.0.0.1:1885)
  --meetnet URL         Meetnet, for the stations' pushes (default http://127.0.0.1:8080)
  --telraam-port N      serve the Telraam-shaped API on 127.0.0.1:N (default 8095)
  --per-kind N          devices of each kind (default 5)
  --interval S          seconds between uplinks and pushes (default 30)
  --city NAME|NIS       Flemish municipality (default Leuven)
  --seed TEXT           same seed, same fleet (default meetnet)
  --write-sources DIR   write the sources file for this fleet (and its secrets) to DIR, and exit
  --help`;

const TTN_APP = 'meetnet-sim@ttn';
const CHIRPSTACK_APP = 'sim-chirpstack';
const TELRAAM_KEY = 'sim-telraam-key';
const HOUR = 3_600_000;

const { values } = parseArgs({
  options: {
    'network-server': { type: 'string', default: 'mqtt://127.0.0.1:1885' },
    meetnet: { type: 'string', default: 'http://127.0.0.1:8080' },
    'telraam-port': { type: 'string', default: '8095' },
    'per-kind': { type: 'string', default: '5' },
    interval: { type: 'string', default: '30' },
    city: { type: 'string', default: 'Leuven' },
    seed: { type: 'string', default: 'meetnet' },
    'write-sources': { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const city = findMunicipality(values.city);
const perKind = Number(values['per-kind']);
const intervalS = Number(values.interval);
const telraamPort = Number(values['telraam-port']);
if (
  !city ||
  !(perKind >= 1 && perKind <= 100) ||
  !(intervalS >= 1) ||
  !(telraamPort > 0 && telraamPort < 65_536)
) {
  process.stderr.write(`meetnet-sim-upstream: bad options\n\n${USAGE}\n`);
  process.exit(2);
}
const fleet = createUpstreamFleet(city, perKind, values.seed);
const ofKind = (kind: UpstreamDevice['kind']) => fleet.filter((d) => d.kind === kind);
const passwordOf = (station: string) => `sim-${station}-password`;
const log = (text: string) => process.stderr.write(`[meetnet-sim-upstream] ${text}\n`);

/** The sources file that maps this fleet, as a city would write it. */
function writeSources(dir: string): void {
  mkdirSync(dir, { recursive: true });
  const place = (d: UpstreamDevice) => ({
    city: d.sensor.city,
    name: d.sensor.meta.name,
    lat: d.sensor.meta.lat,
    lon: d.sensor.meta.lon,
  });
  const decentlab = {
    pm25: { path: 'pm2_5_mass_concentration.value' },
    pm10: { path: 'pm10_mass_concentration.value' },
    temperature: { path: 'air_temperature.value' },
    humidity: { path: 'air_humidity.value' },
  };
  const sources = [
    {
      name: 'sim-ttn',
      kind: 'ttn-v3',
      broker: { url: values['network-server'] },
      application: TTN_APP,
      profiles: { 'decentlab-dl-pm': { domain: 'air', intervalS, fields: decentlab } },
      devices: ofKind('ttn').map((d) => ({
        device: d.upstreamId,
        profile: 'decentlab-dl-pm',
        sensorId: d.sensor.sensorId,
        ...place(d),
      })),
    },
    {
      name: 'sim-chirpstack',
      kind: 'chirpstack-v4',
      broker: { url: values['network-server'] },
      application: CHIRPSTACK_APP,
      profiles: {
        'milesight-ws302': {
          domain: 'noise',
          intervalS,
          fields: { laeq: { path: 'LAeq' }, lamax: { path: 'LAFmax' } },
        },
      },
      devices: ofKind('chirpstack').map((d) => ({
        device: d.upstreamId,
        profile: 'milesight-ws302',
        sensorId: d.sensor.sensorId,
        ...place(d),
      })),
    },
    {
      name: 'sim-sensor-community',
      kind: 'sensor-community',
      stations: ofKind('sensor-community').map((d) => {
        writeFileSync(join(dir, `${d.upstreamId}.password`), passwordOf(d.upstreamId));
        return {
          station: d.upstreamId,
          passwordFile: `${d.upstreamId}.password`,
          ...place(d),
          // The firmware sends every 30 s at the fastest (145 by default).
          intervalS: Math.max(30, intervalS),
          sensors: { air: d.sensor.sensorId, ...(d.weather ? { weather: d.weather.sensorId } : {}) },
        };
      }),
    },
    {
      name: 'sim-telraam',
      kind: 'telraam',
      apiKeyFile: 'telraam.key',
      baseUrl: `http://127.0.0.1:${telraamPort}/v1`,
      pollIntervalS: 60,
      backfillDays: 1,
      segments: ofKind('telraam').map((d) => ({
        segment: d.upstreamId,
        sensorId: d.sensor.sensorId,
        ...place(d),
      })),
    },
  ];
  writeFileSync(join(dir, 'telraam.key'), TELRAAM_KEY);
  writeFileSync(join(dir, 'sources.json'), `${JSON.stringify({ sources }, null, 2)}\n`);
}

/** Telraam's `POST /v1/reports/traffic`, answered from the simulated counts of each hour. */
function serveTelraam(): void {
  const segments = new Map(ofKind('telraam').map((d) => [d.upstreamId, d]));
  createServer((request, response) => {
    let text = '';
    request.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    request.on('end', () => {
      const body = (() => {
        try {
          return JSON.parse(text) as { id?: string; time_start?: string; time_end?: string };
        } catch {
          return {};
        }
      })();
      const device = segments.get(String(body.id));
      if (request.headers['x-api-key'] !== TELRAAM_KEY || request.url !== '/v1/reports/traffic' || !device) {
        response.writeHead(request.headers['x-api-key'] === TELRAAM_KEY ? 404 : 403).end('{"message":"no"}');
        return;
      }
      const report = [];
      const end = Math.min(Date.parse(body.time_end ?? ''), Math.floor(Date.now() / HOUR) * HOUR);
      for (let at = Date.parse(body.time_start ?? ''); at < end; at += HOUR) {
        const random = new Random(`${device.upstreamId}:${at}`);
        report.push(
          telraamRow(
            device.upstreamId,
            at,
            mobilityReading(device.sensor, at, 3600, random),
            0.6 + 0.4 * random.uniform(),
          ),
        );
      }
      response
        .writeHead(200, { 'Content-Type': 'application/json' })
        .end(JSON.stringify({ status_code: 200, message: 'ok', report }));
    });
  }).listen(telraamPort, '127.0.0.1', () => log(`Telraam-shaped API on http://127.0.0.1:${telraamPort}/v1`));
}

async function run(): Promise<void> {
  const random = new Random(`${values.seed}:upstream-readings`);
  const broker = await connectAsync(values['network-server'], {
    protocolVersion: 4,
    reconnectPeriod: 1000,
    clientId: `meetnet-sim-network-server-${process.pid}`,
  });
  serveTelraam();
  let cycle = 0;
  const tick = async () => {
    cycle += 1;
    const now = Date.now();
    for (const d of ofKind('ttn')) {
      const uplink = ttnUplink(TTN_APP, d.upstreamId, cycle, now, airReading(d.sensor, now, 0.3, random));
      await broker.publishAsync(`v3/${TTN_APP}/devices/${d.upstreamId}/up`, JSON.stringify(uplink), {
        qos: 1,
      });
    }
    for (const d of ofKind('chirpstack')) {
      const event = chirpstackEvent(
        CHIRPSTACK_APP,
        d.upstreamId,
        cycle,
        now,
        noiseReading(d.sensor, now, intervalS, random),
      );
      await broker.publishAsync(
        `application/${CHIRPSTACK_APP}/device/${d.upstreamId}/event/up`,
        JSON.stringify(event),
        { qos: 1 },
      );
    }
    for (const d of ofKind('sensor-community')) {
      const weather = d.weather ? weatherReading(d.weather, now, intervalS, 0.3, random) : undefined;
      const push = sensorCommunityPush(
        d.upstreamId,
        airReading(d.sensor, now, 0.3, random),
        weather,
        intervalS * 1000,
      );
      await fetch(`${values.meetnet}/api/v1/sources/sensor-community`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'X-Sensor': d.upstreamId,
          Authorization: `Basic ${Buffer.from(`${d.upstreamId}:${passwordOf(d.upstreamId)}`).toString('base64')}`,
        },
        body: JSON.stringify(push),
      }).then(
        (response) => response.ok || log(`push of ${d.upstreamId}: ${response.status}`),
        (error: Error) => log(`push of ${d.upstreamId}: ${error.message}`),
      );
    }
  };
  log(`${fleet.length} upstream devices in ${city!.properties.name}, every ${intervalS} s`);
  await tick();
  setInterval(() => void tick(), intervalS * 1000);
  const stop = () => void broker.endAsync().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (values['write-sources']) writeSources(values['write-sources']);
else void run();
