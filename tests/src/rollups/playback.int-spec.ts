import { connectAsync } from 'mqtt';
import { DateTime } from 'luxon';
import { buildTopic, type PlaybackAnswer } from '@meetnet/contracts';
import { writeLines } from '../support/influx-query';
import { restartService, rolledUpThrough, rollupsEvery } from '../support/rollups';
import { startTestStack, type TestStack } from '../support/test-stack';
import { waitFor } from '../support/wait-for';

const HOUR = 3_600_000;
const ZONE = 'Europe/Brussels';
const SENSORS = [
  { city: 'leuven', domain: 'air', sensorId: 'play-air', lat: 50.88, lon: 4.7 },
  { city: 'leuven', domain: 'noise', sensorId: 'play-noise', lat: 50.881, lon: 4.701 },
  { city: 'leuven', domain: 'mobility', sensorId: 'play-car', lat: 50.882, lon: 4.702 },
] as const;

describe('GET /api/v1/playback: a past day of the map, hour by hour', () => {
  let stack: TestStack;
  const yesterday = DateTime.now().setZone(ZONE).minus({ days: 1 }).startOf('day');
  const today = DateTime.now().setZone(ZONE).startOf('day');
  const get = (query: string) => stack.service.fetchAs('officer', `/api/v1/playback?${query}`);
  const answer = async (query: string) => {
    const response = await get(query);
    expect(response.status).toBe(200);
    return (await response.json()) as PlaybackAnswer;
  };

  beforeAll(async () => {
    stack = await startTestStack();
    const device = await connectAsync(stack.broker.url, { protocolVersion: 5, reconnectPeriod: 0 });
    for (const s of SENSORS) {
      const meta = { name: s.sensorId, lat: s.lat, lon: s.lon, model: 'test', intervalS: 60 };
      await device.publishAsync(buildTopic(s, 'meta'), JSON.stringify(meta), { qos: 1, retain: true });
    }
    await device.endAsync();
    // Yesterday, past the service: no2 = the hour's index at :00 and :30; noise 60 and 70 dB at
    // 08:00; 10 + 30 cars in the two five-minute counts of 09:00.
    const start = yesterday.toMillis();
    const lines: string[] = [];
    const hours = yesterday.plus({ days: 1 }).diff(yesterday, 'hours').hours;
    for (let h = 0; h < hours; h++) {
      lines.push(`air,city=leuven,sensor_id=play-air no2=${h} ${start + h * HOUR}`);
      lines.push(`air,city=leuven,sensor_id=play-air no2=${h + 1} ${start + h * HOUR + 30 * 60_000}`);
    }
    lines.push(`noise,city=leuven,sensor_id=play-noise laeq=60,period_s=60i ${start + 8 * HOUR}`);
    lines.push(`noise,city=leuven,sensor_id=play-noise laeq=70,period_s=60i ${start + 8 * HOUR + 60_000}`);
    lines.push(`mobility,city=leuven,sensor_id=play-car car=10,period_s=300i ${start + 9 * HOUR}`);
    lines.push(`mobility,city=leuven,sensor_id=play-car car=30,period_s=300i ${start + 9 * HOUR + 300_000}`);
    await writeLines(stack.influxUrl, stack.bucket, lines);
    // A row budget that a day of raw data for these sensors exceeds (about 20,000 rows).
    await restartService(stack, { ...rollupsEvery(0, 3), API_QUERY_MAX_ROWS: '10000' });
    await rolledUpThrough(stack.service, { hourly: today.toMillis(), daily: today.toMillis() });
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
  });

  it("gives every hour of yesterday from the hourly rollups: means, energetic levels, counts' totals", async () => {
    const day = await answer(`layers=air,noise,mobility&date=${yesterday.toISODate()}`);
    expect(day.tiers).toEqual(['hourly']);
    expect(day.hours[0]).toBe(yesterday.toISO({ suppressMilliseconds: false }));
    expect(day.hours).toHaveLength(yesterday.plus({ days: 1 }).diff(yesterday, 'hours').hours);
    const [air, noise, mobility] = day.layers;
    const sensor = air!.sensors.find((s) => s.key === 'leuven/air/play-air')!;
    expect({ lat: sensor.lat, lon: sensor.lon }).toEqual({ lat: 50.88, lon: 4.7 });
    const no2 = air!.fields.indexOf('no2');
    // (h + h + 1) / 2
    expect(sensor.frames.map((frame) => frame?.[no2])).toEqual(day.hours.map((_, h) => h + 0.5));
    const laeq = noise!.fields.indexOf('laeq');
    const loud = noise!.sensors[0]!.frames;
    // 10·log10((10^6 + 10^7) / 2) = 67.4 dB, not 65.
    expect(loud[8]?.[laeq]).toBeCloseTo(67.4, 1);
    expect(loud.filter((frame) => frame !== null)).toHaveLength(1);
    const car = mobility!.fields.indexOf('car');
    expect(mobility!.sensors[0]!.frames[9]?.[car]).toBe(40);
  });

  it('reads the hours the rollups do not hold yet (now) from raw data', async () => {
    const device = await connectAsync(stack.broker.url, { protocolVersion: 5, reconnectPeriod: 0 });
    await device.publishAsync(buildTopic(SENSORS[0], 'obs'), JSON.stringify({ ts: Date.now(), no2: 42 }), {
      qos: 1,
    });
    await device.endAsync();
    const now = await waitFor('the reading to be stored', async () => {
      const day = await answer(`layers=air&date=${today.toISODate()}`);
      const frames = day.layers[0]!.sensors.find((s) => s.key === 'leuven/air/play-air')!.frames;
      return frames.some((frame) => frame?.[day.layers[0]!.fields.indexOf('no2')] === 42) ? day : undefined;
    });
    expect(now.tiers).toContain('raw');
  });

  it('keeps to the view it is asked for', async () => {
    const day = await answer(
      `layers=air,noise&date=${yesterday.toISODate()}&bbox=4.6995,50.8795,4.7005,50.8805`,
    );
    expect(day.layers.flatMap((layer) => layer.sensors.map((s) => s.key))).toEqual(['leuven/air/play-air']);
  });

  it('refuses a day the rollups do not hold when reading it raw would pass the row budget', async () => {
    const response = await get(`layers=air,noise,mobility&date=${today.minus({ days: 10 }).toISODate()}`);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toMatch(
      /^rows: this replay reads about \d+ raw rows from InfluxDB \(the rollups do not hold these hours\), at most 10000 per request/,
    );
  });

  it.each([
    ['layers=air', 'date: is required'],
    [`layers=smoke&date=${yesterday.toISODate()}`, 'layers: must match pattern'],
    [`layers=air&date=${today.plus({ days: 2 }).toISODate()}`, 'date: a day that has begun, today or before'],
    [`layers=air&date=2026-02-30`, 'date: not a valid date'],
    [`layers=air&date=${yesterday.toISODate()}&bbox=5,50,4,51`, 'bbox: west,south,east,north in degrees'],
  ])('refuses %s with a 400 that names the parameter', async (query, message) => {
    const response = await get(query);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toContain(message);
  });
});
