import { connectAsync } from 'mqtt';
import { buildTopic } from '@meetnet/contracts';
import { writeDstDataSet } from '../support/dst-data-set';
import { createDatabase } from '../support/influxd';
import { writeLines } from '../support/influx-query';
import { restartService, rolledUpThrough, rollupsEvery } from '../support/rollups';
import { influxUrl, startTestStack, type TestStack } from '../support/test-stack';
import { waitFor } from '../support/wait-for';

const HOUR = 3_600_000;
const DAY = 86_400_000;
/** Back to the start of the DST data set's month. */
const BACKFILL_DAYS = Math.ceil((Date.now() - Date.parse('2026-03-01')) / DAY) + 1;

interface Answer {
  tiers: string[];
  series: Array<{ points: Array<{ t: string; v: number }> }>;
}

/** The job stays this far behind at first, so the catch-up test has hours it has not reached. */
const SETTLE_S = 6 * 3600;

describe('rollups: hourly and daily aggregates that long-range queries read instead of raw data', () => {
  let stack: TestStack;
  const series = async (query: string): Promise<Answer> => {
    const response = await stack.service.fetchAs('analyst', `/api/v1/series?${query}`);
    expect(response.status).toBe(200);
    const answer = (await response.json()) as Answer;
    expect(response.headers.get('x-meetnet-tiers')).toBe(answer.tiers.join(','));
    return answer;
  };
  const restart = (settleS: number, whileStopped?: () => Promise<void>) =>
    restartService(stack, rollupsEvery(settleS, BACKFILL_DAYS), whileStopped);
  /** Until the job has rolled up every hour that ended `settleS` ago (its own metric says). */
  const caughtUp = (settleS: number) =>
    rolledUpThrough(
      stack.service,
      { hourly: Math.floor((Date.now() - settleS * 1000) / HOUR) * HOUR - HOUR },
      150_000,
    );
  const values = (answer: Answer) => answer.series[0]?.points ?? [];
  const days = 'sensor=leuven/air/dst-1&field=no2&from=2026-03-28&to=2026-03-31&window=1d';
  /** A recent hour, inside the default raw retention and the ingest's seven days. */
  const recentDay = Math.floor((Date.now() - 3 * DAY) / DAY) * DAY;

  beforeAll(async () => {
    stack = await startTestStack();
    await writeDstDataSet(stack);
    // Three readings an hour for sensor recent-1 over one UTC day, three days ago: 2 + h, 4 + h, 6 + h.
    const lines: string[] = [];
    for (let h = 0; h < 24; h++) {
      for (const [k, minute] of [0, 20, 40].entries()) {
        lines.push(
          `air,city=leuven,sensor_id=recent-1 no2=${2 * (k + 1) + h} ${recentDay + h * HOUR + minute * 60_000}`,
        );
      }
    }
    await writeLines(stack.influxUrl, stack.bucket, lines);
    // Written past the service, with the job off; the first run of the next start (the
    // backfill) rolls it all up.
    await restart(SETTLE_S);
    await caughtUp(SETTLE_S);
  }, 180_000);
  afterAll(async () => {
    await stack?.stop();
  });

  it('answers Brussels days of the clock change from the daily rollups, exactly as from raw data', async () => {
    const fromRollups = await series(`${days}&aggregate=count`);
    expect(fromRollups.tiers).toEqual(['daily']);
    expect(values(fromRollups)).toEqual([
      { t: '2026-03-28T00:00:00.000+01:00', v: 24 },
      { t: '2026-03-29T00:00:00.000+01:00', v: 23 },
      { t: '2026-03-30T00:00:00.000+02:00', v: 24 },
    ]);
    const day29 = async (aggregate: string) => {
      const answer = await series(`${days}&aggregate=${aggregate}`);
      return { tiers: answer.tiers, v: values(answer)[1]!.v };
    };
    expect(await day29('mean')).toEqual({ tiers: ['daily'], v: 12 });
    expect(await day29('sum')).toEqual({ tiers: ['daily'], v: 276 });
    expect(await day29('min')).toEqual({ tiers: ['daily'], v: 1 });
    expect(await day29('max')).toEqual({ tiers: ['daily'], v: 23 });
    // A percentile and a window's last value need every reading.
    expect(await day29('p95')).toEqual({ tiers: ['raw'], v: expect.closeTo(21.9, 10) as number });
    expect(await day29('last')).toEqual({ tiers: ['raw'], v: 23 });
  });

  it('reads UTC days and hours from the hourly rollups, and a month from the daily ones', async () => {
    const utc = await series(`${days}&aggregate=sum&tz=UTC`);
    expect(utc.tiers).toEqual(['hourly']);
    expect(values(utc)[0]).toEqual({ t: '2026-03-28T00:00:00.000Z', v: 23 * 5 + 1 });
    const hours = await series(
      'sensor=leuven/air/dst-1&field=no2&from=2026-03-29T01:00:00%2B01:00&to=2026-03-29T04:00:00%2B02:00&window=1h',
    );
    expect(hours.tiers).toEqual(['hourly']);
    expect(values(hours).map((p) => p.v)).toEqual([2, 3]);
    const month = await series(
      'sensor=leuven/air/dst-1&field=pm25&from=2026-03-01&to=2026-04-01&window=1mo&aggregate=count',
    );
    expect(month.tiers).toEqual(['daily']);
    expect(values(month)).toEqual([{ t: '2026-03-01T00:00:00.000+01:00', v: 23 }]);
  });

  it('reads the ragged ends of a range finer: raw minutes, hourly hours, daily days', async () => {
    // From 10:30 UTC two days before the data to 15:10 UTC on its day, in Brussels months.
    const from = new Date(recentDay - 2 * DAY + 10.5 * HOUR).toISOString();
    const to = new Date(recentDay + 15 * HOUR + 10 * 60_000).toISOString();
    const answer = await series(
      `sensor=leuven/air/recent-1&field=no2&from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&window=1mo&aggregate=count`,
    );
    expect(answer.tiers).toEqual(['daily', 'hourly', 'raw']);
    // Hours 0–14 whole (45 readings) and, raw, the reading at 15:00 (15:20 is past `to`).
    expect(values(answer).reduce((sum, p) => sum + p.v, 0)).toBe(46);
  });

  it('rolls an hour up again when a late reading arrives, reading raw data for it meanwhile', async () => {
    const query = `sensor=leuven/air/recent-1&field=no2&from=${new Date(recentDay).toISOString().slice(0, 10)}&to=${new Date(recentDay + DAY).toISOString().slice(0, 10)}&window=1d&aggregate=count&tz=UTC`;
    expect(values(await series(query))).toEqual([{ t: expect.any(String) as string, v: 72 }]);
    const device = await connectAsync(stack.broker.url, { protocolVersion: 5, reconnectPeriod: 0 });
    await device.publishAsync(
      buildTopic({ city: 'leuven', domain: 'air', sensorId: 'recent-1' }, 'obs'),
      JSON.stringify({ ts: recentDay + 5 * HOUR + 50 * 60_000, no2: 100 }),
      { qos: 1 },
    );
    await device.endAsync();
    // At once: counted, the late hour read raw until it is rolled up again.
    const meanwhile = await waitFor(
      'the late reading to count',
      async () => {
        const answer = await series(query);
        return values(answer)[0]?.v === 73 ? answer : undefined;
      },
      15_000,
    );
    expect(meanwhile.tiers).toContain('hourly');
    const again = await waitFor(
      'the late hour to be rolled up again',
      async () => {
        const answer = await series(query);
        return answer.tiers.join() === 'hourly' ? answer : undefined;
      },
      15_000,
    );
    // Overwritten, not added to: 73, not 72 + 73.
    expect(values(again)).toEqual([{ t: expect.any(String) as string, v: 73 }]);
    const max = await series(query.replace('aggregate=count', 'aggregate=max'));
    expect(values(max)[0]!.v).toBe(100);
  });

  it('catches up after a stop, from its saved marks, without starting over', async () => {
    const firstRun = 'first rollup run';
    expect(stack.service.process.output()).toContain(firstRun);
    // While it was stopped: readings for an hour the job had not reached (it stays SETTLE_S
    // behind), written past the service.
    const hour = Math.floor((Date.now() - 3 * HOUR) / HOUR) * HOUR;
    await restart(0, () =>
      writeLines(stack.influxUrl, stack.bucket, [
        `air,city=leuven,sensor_id=stopped-1 no2=7 ${hour + 1000}`,
        `air,city=leuven,sensor_id=stopped-1 no2=9 ${hour + 2000}`,
      ]),
    );
    const query = `sensor=leuven/air/stopped-1&field=no2&from=${new Date(hour).toISOString()}&to=${new Date(hour + HOUR).toISOString()}&window=1h&aggregate=sum&tz=UTC`;
    const answer = await waitFor(
      'the hours since the stop to be rolled up',
      async () => {
        const caughtUp = await series(query);
        return caughtUp.tiers.join() === 'hourly' ? caughtUp : undefined;
      },
      30_000,
    );
    expect(values(answer)).toEqual([{ t: new Date(hour).toISOString(), v: 16 }]);
    expect(stack.service.process.output()).not.toContain(firstRun);
  });

  it('keeps raw data for INFLUX_RAW_RETENTION and the rollups forever, on InfluxDB itself', async () => {
    const policies = async (database: string) => {
      const response = await fetch(
        `${influxUrl()}/query?q=${encodeURIComponent(`SHOW RETENTION POLICIES ON "${database}"`)}`,
      );
      const body = (await response.json()) as { results: Array<{ series: Array<{ values: string[][] }> }> };
      return Object.fromEntries(body.results[0]!.series[0]!.values.map((row) => [row[0], row[1]])) as Record<
        string,
        string
      >;
    };
    expect(await policies(stack.bucket.split('/')[0]!)).toEqual({
      autogen: '9600h0m0s',
      rollup_1h: '0s',
      rollup_1d: '0s',
    });
    const twoWeeks = (
      await createDatabase(influxUrl(), `retention_${Date.now()}`, { rawRetention: '2w' })
    ).split('/')[0]!;
    expect((await policies(twoWeeks))['autogen']).toBe('336h0m0s');
  });
});
