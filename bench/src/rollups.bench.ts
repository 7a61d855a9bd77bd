/**
 * Long-range queries and the rollup job's cost. The same series requests to two services on one
 * InfluxDB and one data set, in turns: one reads the rollups (the default), one has them off and
 * reads every raw row (its row budget raised so it may). InfluxDB's own `aggregateWindow` over
 * the raw rows is the reference of what the database alone takes. Then the rollup job's cost for
 * a day of 10,000 sensors at 60 s. Part of `npm run bench` (run.ts).
 */
import { writeRulesFile } from '@meetnet/tests/dist/alerts/alert-rules-file';
import { createDatabase } from '@meetnet/tests/dist/support/influxd';
import { type ServiceInstance, startService } from '@meetnet/tests/dist/support/service';
import { waitFor } from '@meetnet/tests/dist/support/wait-for';
import { type BenchContext, type BenchSection, fmt, log } from './bench-context';
import { ProcessMeter } from './measure/proc-stats';
import { median } from './measure/stats';

const HOUR = 3_600_000;
const DAY = 86_400_000;
const SENSORS = 20;

interface Timed {
  ms: number;
  points: number;
  tiers: string;
  values: number[];
}

async function writeAll(influxUrl: string, bucket: string, lines: Iterable<string>): Promise<number> {
  let batch: string[] = [];
  let written = 0;
  const send = async () => {
    const response = await fetch(`${influxUrl}/api/v2/write?bucket=${bucket}&precision=ms`, {
      method: 'POST',
      headers: { Authorization: 'Token meetnet:bench' },
      body: batch.join('\n'),
    });
    if (response.status !== 204) throw new Error(`write: ${response.status} ${await response.text()}`);
    written += batch.length;
    batch = [];
  };
  for (const line of lines) {
    batch.push(line);
    if (batch.length >= 50_000) await send();
  }
  if (batch.length > 0) await send();
  return written;
}

/** A daily and yearly rhythm, so means differ per window. */
function* readings(
  prefix: string,
  sensors: number,
  from: number,
  to: number,
  stepMs: number,
): Generator<string> {
  for (let t = from; t < to; t += stepMs) {
    for (let s = 0; s < sensors; s++) {
      const v =
        20 + 10 * Math.sin((t / DAY) * 2 * Math.PI) + 5 * Math.sin((t / (365 * DAY)) * 2 * Math.PI) + s;
      yield `air,city=leuven,sensor_id=${prefix}-${s} no2=${v.toFixed(1)} ${t}`;
    }
  }
}

async function timedSeries(service: ServiceInstance, query: string): Promise<Timed> {
  const started = process.hrtime.bigint();
  const response = await service.fetchAs('analyst', `/api/v1/series?${query}`);
  const body = (await response.json()) as {
    tiers?: string[];
    message?: string;
    series?: Array<{ points: Array<{ v: number }> }>;
  };
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (response.status !== 200) throw new Error(`series: ${response.status} ${body.message}`);
  const values = body.series!.flatMap((s) => s.points.map((p) => p.v));
  return { ms, points: values.length, tiers: body.tiers!.join('+'), values };
}

async function timedFlux(influxUrl: string, flux: string): Promise<number> {
  const started = process.hrtime.bigint();
  const response = await fetch(`${influxUrl}/api/v2/query`, {
    method: 'POST',
    headers: {
      Authorization: 'Token meetnet:bench',
      'Content-Type': 'application/vnd.flux',
      Accept: 'application/csv',
    },
    body: flux,
  });
  await response.text();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/** Until the service's rollup job has rolled up every hour before `target`. */
async function caughtUp(service: ServiceInstance, target: number, timeoutMs: number): Promise<void> {
  await waitFor(
    'the rollup job to catch up',
    async () => {
      const hourly = (await service.metric('meetnet_rollups_hourly_through_seconds')) * 1000;
      const daily = (await service.metric('meetnet_rollups_daily_through_seconds')) * 1000;
      return (hourly >= target && daily >= target - 25 * HOUR) || undefined;
    },
    timeoutMs,
    500,
  );
}

const sameValues = (a: readonly number[], b: readonly number[]) =>
  a.length === b.length && a.every((v, i) => Math.abs(v - b[i]!) <= 1e-9 * Math.max(1, Math.abs(v)));

export async function rollupsBench(context: BenchContext): Promise<BenchSection> {
  const { influxUrl, brokerUrl, quick } = context;
  const rounds = quick ? 3 : 5;
  // Every minute, as a city's stations report: a year of them is 10.5 million raw rows.
  const stepS = 60;
  const bucket = await createDatabase(influxUrl, 'bench_rollups', { rawRetention: 'INF' });
  const today = Math.floor(Date.now() / DAY) * DAY;
  const yearFrom = today - 366 * DAY;
  log(`rollups: writing a year of ${SENSORS} sensors every ${stepS} s, and five years of ${SENSORS} hourly…`);
  const yearRows = await writeAll(
    influxUrl,
    bucket,
    readings('year', SENSORS, yearFrom, today, stepS * 1000),
  );
  const fiveFrom = today - 5 * 366 * DAY;
  const fiveRows = await writeAll(influxUrl, bucket, readings('five', SENSORS, fiveFrom, today, HOUR));

  // No alert rules: the alert job's own queries would share InfluxDB with what is measured.
  const noAlerts = { ALERTS_RULES_FILE: writeRulesFile({}) };
  const common = {
    MQTT_URL: brokerUrl,
    INFLUX_URL: influxUrl,
    INFLUX_BUCKET: bucket,
    LOG_LEVEL: 'warn',
    ...noAlerts,
  };
  const withRollups = await startService({
    ...common,
    ROLLUPS_INTERVAL_MS: '1000',
    ROLLUPS_SETTLE_S: '0',
    ROLLUPS_BACKFILL_DAYS: String(5 * 366 + 2),
    LOG_LEVEL: 'info',
    MQTT_CLIENT_ID: 'bench-rollups',
  });
  const rawOnly = await startService({
    ...common,
    API_QUERY_MAX_ROWS: '100000000',
    MQTT_CLIENT_ID: 'bench-raw',
  });
  try {
    const backfillStarted = Date.now();
    const meter = new ProcessMeter({
      service: withRollups.process.child.pid,
      influxd: context.sharedPids['influxd'],
    });
    meter.start();
    await caughtUp(withRollups, today - HOUR, 30 * 60_000);
    const usage = meter.stop();
    const backfill = {
      seconds: (Date.now() - backfillStarted) / 1000,
      serviceCpuS: usage['service']?.cpuS ?? 0,
      influxCpuS: usage['influxd']?.cpuS ?? 0,
    };
    log(`rollups: backfill of five years in ${backfill.seconds.toFixed(0)} s`);

    const sensors = (prefix: string) =>
      Array.from({ length: SENSORS }, (_, s) => `sensor=leuven/air/${prefix}-${s}`).join('&');
    const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    const yearQuery = `${sensors('year')}&field=no2&from=${iso(yearFrom + DAY)}&to=${iso(today)}&window=1d&aggregate=mean`;
    const fiveQuery = `${sensors('five')}&field=no2&from=${iso(fiveFrom + DAY)}&to=${iso(today)}&window=1mo&aggregate=mean`;
    const yearFlux = `from(bucket: "${bucket}")
  |> range(start: ${new Date(yearFrom + DAY).toISOString()}, stop: ${new Date(today).toISOString()})
  |> filter(fn: (r) => r._measurement == "air" and r._field == "no2" and r.sensor_id =~ /^year-/)
  |> aggregateWindow(every: 1d, fn: mean, createEmpty: false)`;

    const runs = {
      year: { rollups: [] as Timed[], raw: [] as Timed[], influx: [] as number[] },
      five: { rollups: [] as Timed[], raw: [] as Timed[] },
    };
    for (let round = 0; round < rounds; round++) {
      runs.year.rollups.push(await timedSeries(withRollups, yearQuery));
      runs.year.raw.push(await timedSeries(rawOnly, yearQuery));
      runs.year.influx.push(await timedFlux(influxUrl, yearFlux));
      runs.five.rollups.push(await timedSeries(withRollups, fiveQuery));
      runs.five.raw.push(await timedSeries(rawOnly, fiveQuery));
      log(
        `rollups round ${round + 1}: year ${runs.year.rollups.at(-1)!.ms.toFixed(0)} ms (${runs.year.rollups.at(-1)!.tiers}) vs raw ${runs.year.raw.at(-1)!.ms.toFixed(0)} ms; five years ${runs.five.rollups.at(-1)!.ms.toFixed(0)} vs ${runs.five.raw.at(-1)!.ms.toFixed(0)} ms`,
      );
    }
    const summary = (timed: readonly Timed[]) => ({
      medianMs: Math.round(median(timed.map((t) => t.ms))),
      points: timed[0]!.points,
      tiers: timed[0]!.tiers,
    });
    const year = {
      rawRows: yearRows,
      rollups: summary(runs.year.rollups),
      raw: summary(runs.year.raw),
      influxAggregateWindowMs: Math.round(median(runs.year.influx)),
      identical: sameValues(runs.year.rollups[0]!.values, runs.year.raw[0]!.values),
    };
    const five = {
      rawRows: fiveRows,
      rollups: summary(runs.five.rollups),
      raw: summary(runs.five.raw),
      identical: sameValues(runs.five.rollups[0]!.values, runs.five.raw[0]!.values),
    };
    const yearSpeedup = year.raw.medianMs / year.rollups.medianMs;
    const fiveSpeedup = five.raw.medianMs / five.rollups.medianMs;
    const cost = await jobCost(context);
    const json = { stepS, rounds, year, five, backfill, cost };
    const markdown = `Same InfluxDB, same data, in turns (${rounds} rounds, medians): a service reading the rollups
against one with them off, which reads every raw row (its row budget raised from the default 10,000,000 so it may).

| query | raw rows under it | with rollups | raw reads | speed-up | InfluxDB's own \`aggregateWindow\` on raw | same answer |
| --- | ---: | ---: | ---: | ---: | ---: | --- |
| 1 year of daily means, ${SENSORS} sensors every ${stepS} s (${year.rollups.points} points) | ${fmt(year.rawRows)} | **${year.rollups.medianMs} ms** (${year.rollups.tiers}) | ${fmt(year.raw.medianMs)} ms | **${yearSpeedup.toFixed(1)}×** | ${fmt(year.influxAggregateWindowMs)} ms (UTC days) | ${year.identical ? 'yes' : '**no**'} |
| 5 years of monthly means, ${SENSORS} sensors hourly (${five.rollups.points} points) | ${fmt(five.rawRows)} | **${five.rollups.medianMs} ms** (${five.rollups.tiers}) | ${fmt(five.raw.medianMs)} ms | **${fiveSpeedup.toFixed(1)}×** | | ${five.identical ? 'yes' : '**no**'} |

The backfill of all of it (five years, ${SENSORS * 2} sensors) took ${backfill.seconds.toFixed(0)} s: service CPU ${backfill.serviceCpuS.toFixed(1)} s, influxd CPU ${backfill.influxCpuS.toFixed(1)} s.

**The rollup job's cost**, ${fmt(cost.sensors)} sensors reporting every 60 s (3 fields each), ${cost.hours} hours of data
rolled up on one run (hourly, then the daily rollup of the whole Brussels day), scaled to a day:

| | measured (${cost.hours} h of data) | per day of data |
| --- | ---: | ---: |
| wall time | ${cost.seconds.toFixed(1)} s | ${(cost.seconds * cost.perDay).toFixed(0)} s |
| service CPU | ${cost.serviceCpuS.toFixed(1)} s | ${(cost.serviceCpuS * cost.perDay).toFixed(0)} s |
| influxd CPU | ${cost.influxCpuS.toFixed(1)} s | ${(cost.influxCpuS * cost.perDay).toFixed(0)} s |
| rollup points written | ${fmt(cost.points)} | ${fmt(cost.points * cost.perDay)} |

An hour of such a fleet is rolled up in ${(cost.seconds / cost.hours).toFixed(1)} s of the hour that follows.`;
    return {
      key: 'rollups',
      json,
      markdown,
      targets: [
        {
          target: '1-year daily query, 20 sensors: rollups ≥ 20× faster than raw reads',
          measured: `${yearSpeedup.toFixed(1)}×`,
          met: yearSpeedup >= 20,
        },
        {
          target: '1-year daily query, 20 sensors: ≤ 300 ms',
          measured: `${year.rollups.medianMs} ms`,
          met: year.rollups.medianMs <= 300,
        },
        {
          target: 'rollups answer exactly what raw reads answer',
          measured: year.identical && five.identical ? 'identical' : 'different',
          met: year.identical && five.identical,
        },
      ],
    };
  } finally {
    await withRollups.stop();
    await rawOnly.stop();
  }
}

/** The job's CPU and time for some hours of a large fleet, on a database of its own. */
async function jobCost(context: BenchContext) {
  const sensors = 10_000;
  const hours = context.quick ? 2 : 24;
  const bucket = await createDatabase(context.influxUrl, 'bench_rollup_cost');
  const to = Math.floor(Date.now() / HOUR) * HOUR - HOUR;
  const from = to - hours * HOUR;
  log(`rollups: writing ${hours} h of ${sensors} sensors every 60 s…`);
  function* fleet(): Generator<string> {
    for (let t = from; t < to; t += 60_000) {
      for (let s = 0; s < sensors; s++) {
        yield `air,city=gent,sensor_id=c-${s} pm25=${(8 + (s % 13)).toFixed(1)},no2=${(20 + (s % 17)).toFixed(1)},o3=${(40 + (s % 11)).toFixed(1)} ${t + (s % 60) * 1000}`;
      }
    }
  }
  await writeAll(context.influxUrl, bucket, fleet());
  const service = await startService({
    MQTT_URL: context.brokerUrl,
    INFLUX_URL: context.influxUrl,
    INFLUX_BUCKET: bucket,
    LOG_LEVEL: 'warn',
    // Off while the service starts, so the meter sees the job and nothing else.
    ROLLUPS_INTERVAL_MS: '0',
    ALERTS_RULES_FILE: writeRulesFile({}),
  });
  await service.stop();
  const meter = new ProcessMeter({ influxd: context.sharedPids['influxd'] });
  meter.start();
  const started = Date.now();
  const job = await startService({
    MQTT_URL: context.brokerUrl,
    INFLUX_URL: context.influxUrl,
    INFLUX_BUCKET: bucket,
    LOG_LEVEL: 'warn',
    ROLLUPS_INTERVAL_MS: '1000',
    ROLLUPS_SETTLE_S: '0',
    ROLLUPS_BACKFILL_DAYS: String(Math.ceil(hours / 24) + 1),
    ALERTS_RULES_FILE: writeRulesFile({}),
  });
  try {
    const serviceMeter = new ProcessMeter({ service: job.process.child.pid });
    serviceMeter.start();
    await caughtUp(job, to, 60 * 60_000);
    const seconds = (Date.now() - started) / 1000;
    const serviceCpuS = serviceMeter.stop()['service']!.cpuS;
    const influxCpuS = meter.stop()['influxd']!.cpuS;
    log(`rollups: ${hours} h of ${sensors} sensors rolled up in ${seconds.toFixed(1)} s`);
    return { sensors, hours, seconds, serviceCpuS, influxCpuS, points: sensors * hours, perDay: 24 / hours };
  } finally {
    await job.stop();
  }
}
