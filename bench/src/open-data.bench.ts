/**
 * Open data out: a city's readings served as SensorThings Observations pages and as LDES
 * pages, against Meetnet's own CSV export of the same readings, in the same run on the same
 * InfluxDB: pages per second and bytes per observation.
 */
import { sensorKey } from '@meetnet/contracts';
import { createDatabase } from '@meetnet/tests/dist/support/influxd';
import { type ServiceInstance, startService } from '@meetnet/tests/dist/support/service';
import { type BenchContext, type BenchSection, fmt, log } from './bench-context';
import { BENCH_CITY, BENCH_DOMAIN, benchSensor } from './load/bench-fleet';
import { placeSensors } from './load/load-process';

const SENSORS = 300;
const STEP_MS = 5000;
const HOUR_MS = 3_600_000;
/** Datastreams read through SensorThings and the export: enough to time, few enough to wait for. */
const READ_SENSORS = 20;

interface Served {
  pages: number;
  observations: number;
  bytes: number;
  seconds: number;
}

interface OpenDataResult {
  sensors: number;
  hours: number;
  readSensors: number;
  sensorThings: Served;
  ldes: Served;
  csv: Served;
}

/** One day (quick: two hours) of readings at 5 s, ending at the last full hour, written straight to InfluxDB. */
async function writeReadings(
  influxUrl: string,
  bucket: string,
  hours: number,
): Promise<{ from: number; to: number }> {
  const to = Math.floor(Date.now() / HOUR_MS) * HOUR_MS;
  const from = to - hours * HOUR_MS;
  const lines: string[] = [];
  const flush = async () => {
    const response = await fetch(`${influxUrl}/api/v2/write?bucket=${bucket}&precision=ms`, {
      method: 'POST',
      headers: { Authorization: 'Token meetnet:bench' },
      body: lines.join('\n'),
    });
    if (response.status !== 204) throw new Error(`write: ${response.status} ${await response.text()}`);
    lines.length = 0;
  };
  for (let i = 0; i < SENSORS; i++) {
    const { sensorId } = benchSensor(i);
    for (let t = from; t < to; t += STEP_MS) {
      lines.push(
        `${BENCH_DOMAIN},city=${BENCH_CITY},sensor_id=${sensorId} car=${(t / STEP_MS) % 7},v85=${40 + ((t / STEP_MS) % 11)},period_s=5i ${t}`,
      );
      if (lines.length >= 50_000) await flush();
    }
  }
  if (lines.length > 0) await flush();
  return { from, to };
}

async function drainJson(url: string): Promise<{ bytes: number; body: unknown }> {
  const response = await fetch(url);
  const text = await response.text();
  if (!response.ok) throw new Error(`${url}: ${response.status} ${text.slice(0, 200)}`);
  return { bytes: Buffer.byteLength(text), body: JSON.parse(text) as unknown };
}

async function timed(run: () => Promise<Omit<Served, 'seconds'>>): Promise<Served> {
  const started = process.hrtime.bigint();
  const served = await run();
  return { ...served, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

async function sensorThingsPages(
  service: ServiceInstance,
  from: number,
  to: number,
): Promise<Omit<Served, 'seconds'>> {
  const things = (await drainJson(`${service.url}/sta/v1.1/Things?$top=1000&$expand=Datastreams`)).body as {
    value: Array<{ properties: { key: string }; Datastreams: Array<{ name: string; '@iot.id': number }> }>;
  };
  const wanted = new Set(Array.from({ length: READ_SENSORS }, (_, i) => sensorKey(benchSensor(i))));
  const streams = things.value
    .filter((thing) => wanted.has(thing.properties.key))
    .map((thing) => thing.Datastreams.find((d) => d.name.endsWith(' car'))!['@iot.id']);
  const filter = encodeURIComponent(
    `phenomenonTime ge ${new Date(from).toISOString()} and phenomenonTime lt ${new Date(to).toISOString()}`,
  );
  let pages = 0;
  let observations = 0;
  let bytes = 0;
  for (const id of streams) {
    let next: string | undefined =
      `${service.url}/sta/v1.1/Datastreams(${id})/Observations?$top=1000&$filter=${filter}`;
    while (next) {
      const page = await drainJson(next);
      const body = page.body as { value: unknown[]; '@iot.nextLink'?: string };
      pages++;
      observations += body.value.length;
      bytes += page.bytes;
      next = body['@iot.nextLink'];
    }
  }
  return { pages, observations, bytes };
}

async function ldesPages(
  service: ServiceInstance,
  from: number,
  to: number,
): Promise<Omit<Served, 'seconds'>> {
  let pages = 0;
  let observations = 0;
  let bytes = 0;
  // The hours written: each page holds the hour that ended at its time.
  for (let at = from + HOUR_MS; at <= to; at += HOUR_MS) {
    const page = await drainJson(`${service.url}/ldes/v1/observations/${new Date(at).toISOString()}`);
    pages++;
    observations += (page.body as { 'tree:member': unknown[] })['tree:member'].length;
    bytes += page.bytes;
  }
  return { pages, observations, bytes };
}

async function csvExports(
  service: ServiceInstance,
  from: number,
  to: number,
): Promise<Omit<Served, 'seconds'>> {
  let observations = 0;
  let bytes = 0;
  for (let i = 0; i < READ_SENSORS; i++) {
    const url = `/api/v1/export?sensor=${sensorKey(benchSensor(i))}&field=car&from=${encodeURIComponent(new Date(from).toISOString())}&to=${encodeURIComponent(new Date(to).toISOString())}&window=raw&tz=UTC&format=csv`;
    const text = await (await service.fetchAs('analyst', url)).text();
    bytes += Buffer.byteLength(text);
    observations += text.split('\n').filter(Boolean).length - 1;
  }
  return { pages: READ_SENSORS, observations, bytes };
}

export async function openDataBench(context: BenchContext): Promise<BenchSection<OpenDataResult>> {
  const hours = context.quick ? 2 : 24;
  const bucket = await createDatabase(context.influxUrl, 'bench_open_data');
  log(`writing ${hours} h of ${SENSORS} sensors at 5 s…`);
  const { from, to } = await writeReadings(context.influxUrl, bucket, hours);
  const service = await startService({
    MQTT_URL: context.brokerUrl,
    MQTT_CLIENT_ID: `meetnet-bench-open-data-${Date.now()}`,
    INFLUX_URL: context.influxUrl,
    INFLUX_BUCKET: bucket,
    LOG_LEVEL: 'warn',
    // Readings as they were taken: no layer is published as hourly values here.
    PUBLIC_HOURLY_DOMAINS: 'none',
    RATE_LIMIT_PUBLIC_PER_MIN: '1000000',
    RATE_LIMIT_EXPORTS_PER_MIN: '1000',
    API_QUERY_MAX_ROWS: '100000000',
  });
  try {
    await placeSensors(context.brokerUrl, SENSORS);
    // Until the service has every sensor's place (the public map lists only placed sensors).
    for (let tries = 0; ; tries++) {
      const body = (await drainJson(`${service.url}/api/v1/public/sensors`)).body as { features: unknown[] };
      if (body.features.length >= SENSORS) break;
      if (tries > 100) throw new Error(`only ${body.features.length} public sensors`);
      await new Promise((r) => setTimeout(r, 6000));
    }
    log(`SensorThings pages of ${READ_SENSORS} Datastreams…`);
    const sensorThings = await timed(() => sensorThingsPages(service, from, to));
    log('LDES pages…');
    const ldes = await timed(() => ldesPages(service, from, to));
    log('CSV exports of the same Datastreams…');
    const csv = await timed(() => csvExports(service, from, to));
    const result: OpenDataResult = {
      sensors: SENSORS,
      hours,
      readSensors: READ_SENSORS,
      sensorThings,
      ldes,
      csv,
    };
    return { key: 'opendata', json: result, markdown: render(result), targets: [] };
  } finally {
    await service.stop();
  }
}

function render(r: OpenDataResult): string {
  const row = (name: string, s: Served) =>
    `| ${name} | ${fmt(s.pages)} | ${fmt(s.observations)} | ${fmt(s.pages / s.seconds, 1)} | ${fmt(s.observations / s.seconds)} | ${fmt(s.bytes / s.observations, 1)} |`;
  const ratio = (a: Served, b: Served) => a.observations / a.seconds / (b.observations / b.seconds);
  return [
    `${r.hours} h of ${r.sensors} sensors at 5 s in InfluxDB. SensorThings: ${r.readSensors} Datastreams read to the end, 1,000 Observations a page, following \`@iot.nextLink\`; CSV: Meetnet's export of the same ${r.readSensors} series; LDES: every hour's page (hourly values of all ${r.sensors} sensors), read once (the first read of a frozen page is a query; later ones come from the service's cache).`,
    '',
    '| served as | pages | observations | pages/s | observations/s | bytes per observation |',
    '| --- | --- | --- | --- | --- | --- |',
    row('SensorThings Observations', r.sensorThings),
    row('LDES pages (hourly values)', r.ldes),
    row('CSV export, reference', r.csv),
    '',
    `SensorThings serves **${fmt(ratio(r.sensorThings, r.csv), 2)}×** the observations per second of the CSV export, at **${fmt(r.sensorThings.bytes / r.sensorThings.observations / (r.csv.bytes / r.csv.observations), 1)}×** its bytes per observation (each Observation carries its id, times and self link as JSON).`,
  ].join('\n');
}
