/**
 * What an upstream source costs per message: the service's CPU for a native observation against
 * a TTN uplink of the same readings (parsed, mapped, deduplicated, then the native path), at the
 * same rate, in the same run. Sensor.Community pushes are HTTP requests and Telraam hours come a
 * week at a time, so the LoRaWAN bridge is the adapter that meets a native device's rates.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDatabase } from '@meetnet/tests/dist/support/influxd';
import { startMosquitto } from '@meetnet/tests/dist/support/mosquitto';
import { type ServiceInstance, startService } from '@meetnet/tests/dist/support/service';
import { waitFor } from '@meetnet/tests/dist/support/wait-for';
import { connectAsync, type MqttClient } from 'mqtt';
import { type BenchContext, type BenchSection, fmt, log } from './bench-context';
import { cpuSeconds } from './measure/proc-stats';

const DEVICES = 100;
const RATE = 1000;
const APP = 'meetnet-bench@ttn';

interface KindResult {
  kind: string;
  messages: number;
  accepted: number;
  /** The service's CPU over the step, less what it uses idle over as long. */
  cpuS: number;
  cpuUsPerMessage: number;
}

interface SourcesResult {
  /** CPU seconds per second the service uses with no message at all (timers, health, metrics). */
  idleCpuPerS: number;
  rate: number;
  seconds: number;
  native: KindResult;
  ttn: KindResult;
  /** TTN's CPU per message over the native one's. */
  ratio: number;
}

const reading = (i: number) => ({ pm25: 5 + (i % 20), pm10: 9 + (i % 30), temperature: 12.5, humidity: 61 });

function ttnUplink(device: number, fCnt: number, at: number): string {
  const values = reading(fCnt);
  const decentlab = (value: number) => ({ displayName: 'x', value, unit: 'µg⋅m⁻³' });
  return JSON.stringify({
    end_device_ids: { device_id: `dl-${device}`, dev_eui: `70B3D57BA000${String(device).padStart(4, '0')}` },
    received_at: new Date(at).toISOString(),
    uplink_message: {
      session_key_id: 'bench',
      f_port: 1,
      f_cnt: fCnt,
      decoded_payload: {
        pm2_5_mass_concentration: decentlab(values.pm25),
        pm10_mass_concentration: decentlab(values.pm10),
        air_temperature: decentlab(values.temperature),
        air_humidity: decentlab(values.humidity),
      },
      rx_metadata: [{ gateway_ids: { gateway_id: 'gw' }, rssi: -90, snr: 7 }],
      received_at: new Date(at).toISOString(),
    },
  });
}

/** Publishes `make(i)` at RATE per second for `seconds`, QoS 1, and waits for every PUBACK. */
async function publishAtRate(
  client: MqttClient,
  seconds: number,
  make: (i: number) => [string, string],
): Promise<number> {
  const total = RATE * seconds;
  let sent = 0;
  let acknowledged = 0;
  await new Promise<void>((done) => {
    const timer = setInterval(() => {
      for (let n = 0; n < RATE / 100 && sent < total; n++, sent++) {
        const [topic, payload] = make(sent);
        client.publish(topic, payload, { qos: 1 }, () => {
          acknowledged += 1;
          if (acknowledged === total) done();
        });
      }
      if (sent >= total) clearInterval(timer);
    }, 10);
  });
  return total;
}

async function idleCpuPerS(service: ServiceInstance, seconds: number): Promise<number> {
  const pid = service.process.child.pid;
  const before = cpuSeconds(pid) ?? 0;
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  return ((cpuSeconds(pid) ?? 0) - before) / seconds;
}

async function measure(
  kind: string,
  service: ServiceInstance,
  idlePerS: number,
  run: () => Promise<number>,
): Promise<KindResult> {
  const pid = service.process.child.pid;
  const startedAt = Date.now();
  const acceptedBefore = await service.metric('meetnet_ingest_accepted_total{domain="air"}');
  const cpuBefore = cpuSeconds(pid) ?? 0;
  const messages = await run();
  const accepted = await waitFor(
    `${kind}: every message taken in`,
    async () => {
      const now = (await service.metric('meetnet_ingest_accepted_total{domain="air"}')) - acceptedBefore;
      return now >= messages ? now : undefined;
    },
    60_000,
  );
  const cpuS = (cpuSeconds(pid) ?? 0) - cpuBefore - (idlePerS * (Date.now() - startedAt)) / 1000;
  const result = { kind, messages, accepted, cpuS, cpuUsPerMessage: (cpuS * 1e6) / messages };
  log(`${kind}: ${fmt(messages)} messages, ${fmt(result.cpuUsPerMessage, 1)} µs of CPU each`);
  return result;
}

export async function sourcesBench(context: BenchContext): Promise<BenchSection<SourcesResult>> {
  const seconds = context.quick ? 15 : 60;
  const networkServer = await startMosquitto();
  const dir = mkdtempSync(join(tmpdir(), 'meetnet-bench-sources-'));
  const devices = Array.from({ length: DEVICES }, (_, i) => ({
    device: `dl-${i}`,
    profile: 'dl-pm',
    city: 'leuven',
    sensorId: `ttn-bench-${i}`,
    name: `TTN ${i}`,
    lat: 50.87,
    lon: 4.7,
  }));
  const fields = {
    pm25: { path: 'pm2_5_mass_concentration.value' },
    pm10: { path: 'pm10_mass_concentration.value' },
    temperature: { path: 'air_temperature.value' },
    humidity: { path: 'air_humidity.value' },
  };
  const sources = {
    sources: [
      {
        name: 'bench-ttn',
        kind: 'ttn-v3',
        broker: { url: networkServer.url },
        application: APP,
        profiles: { 'dl-pm': { domain: 'air', intervalS: 60, fields } },
        devices,
      },
    ],
  };
  writeFileSync(join(dir, 'sources.json'), JSON.stringify(sources));
  const service = await startService({
    MQTT_URL: context.brokerUrl,
    INFLUX_URL: context.influxUrl,
    INFLUX_BUCKET: await createDatabase(context.influxUrl, 'meetnet_sources_bench'),
    SOURCES_FILE: join(dir, 'sources.json'),
    LOG_LEVEL: 'warn',
  });
  const native = await connectAsync(context.brokerUrl, { protocolVersion: 5, reconnectPeriod: 0 });
  const upstream = await connectAsync(networkServer.url, { protocolVersion: 4, reconnectPeriod: 0 });
  try {
    await waitFor(
      'the bridge connected',
      async () => (await service.metric('meetnet_source_connected{source="bench-ttn"}')) === 1 || undefined,
    );
    const idle = await idleCpuPerS(service, 10);
    log(`idle: ${fmt(idle * 1000, 1)} ms of CPU per second`);
    const start = Date.now();
    const nativeResult = await measure('native', service, idle, () =>
      publishAtRate(native, seconds, (i) => [
        `meetnet/leuven/air/native-bench-${i % DEVICES}/obs`,
        JSON.stringify({ ts: start + i, ...reading(i) }),
      ]),
    );
    const ttnResult = await measure('ttn', service, idle, () =>
      publishAtRate(upstream, seconds, (i) => [
        `v3/${APP}/devices/dl-${i % DEVICES}/up`,
        ttnUplink(i % DEVICES, Math.floor(i / DEVICES), start + i),
      ]),
    );
    const result = {
      idleCpuPerS: idle,
      rate: RATE,
      seconds,
      native: nativeResult,
      ttn: ttnResult,
      ratio: ttnResult.cpuUsPerMessage / nativeResult.cpuUsPerMessage,
    };
    return { key: 'sources', json: result, markdown: render(result), targets: [] };
  } finally {
    await Promise.all([native.endAsync(), upstream.endAsync()]);
    await service.stop();
    await networkServer.stop();
  }
}

function render(r: SourcesResult): string {
  const row = (k: KindResult) =>
    `| ${k.kind === 'native' ? 'native (`meetnet/…/obs`)' : 'TTN v3 uplink, through the bridge'} | ${fmt(k.messages)} | ${fmt(k.accepted)} | ${fmt(k.cpuS, 2)} | ${fmt(k.cpuUsPerMessage, 1)} |`;
  return [
    `${fmt(r.rate)} msg/s for ${r.seconds} s from ${DEVICES} devices, QoS 1, each kind in turn on the same service; CPU of the service process from /proc, less its idle use (${fmt(r.idleCpuPerS * 1000, 1)} ms per second, measured first) over as long.`,
    '',
    '| messages | sent | accepted | service CPU (s) | CPU per message (µs) |',
    '| --- | --- | --- | --- | --- |',
    row(r.native),
    row(r.ttn),
    '',
    `An uplink through the LoRaWAN bridge costs **${fmt(r.ratio, 2)}×** the CPU of a native observation: its own MQTT client and PUBACK, the uplink's JSON (about 1 KB, against 80 bytes) parsed and mapped, the observation built, then the native path.`,
  ].join('\n');
}
