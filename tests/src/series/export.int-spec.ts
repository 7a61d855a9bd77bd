import { parse } from 'csv-parse/sync';
import { writeDstDataSet } from '../support/dst-data-set';
import { writeLines } from '../support/influx-query';
import { startTestStack, type TestStack } from '../support/test-stack';

describe('GET /api/v1/export on InfluxDB', () => {
  let stack: TestStack;
  const exportAs = (query: string) => stack.service.fetchAs('analyst', `/api/v1/export?${query}`);
  const days = 'sensor=leuven/air/dst-1&from=2026-03-28&to=2026-03-31&window=1d&aggregate=mean';

  beforeAll(async () => {
    stack = await startTestStack();
    await writeDstDataSet(stack);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('writes long CSV with a header, offsets on the times, and a file name that says what is in it', async () => {
    const response = await exportAs(`${days}&field=no2`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(response.headers.get('content-disposition')).toBe(
      'attachment; filename="meetnet_leuven-air-dst-1_no2_2026-03-28_2026-03-31_1d-mean_Europe-Brussels.csv"',
    );
    const text = await response.text();
    expect(text.split('\r\n')[0]).toBe('time,sensor,field,value,unit');
    expect(parse(text, { columns: true })).toEqual([
      {
        time: '2026-03-28T00:00:00.000+01:00',
        sensor: 'leuven/air/dst-1',
        field: 'no2',
        value: '5',
        unit: 'µg/m³',
      },
      {
        time: '2026-03-29T00:00:00.000+01:00',
        sensor: 'leuven/air/dst-1',
        field: 'no2',
        value: '12',
        unit: 'µg/m³',
      },
      {
        time: '2026-03-30T00:00:00.000+02:00',
        sensor: 'leuven/air/dst-1',
        field: 'no2',
        value: '12.5',
        unit: 'µg/m³',
      },
    ]);
  });

  it('writes wide CSV for Excel in a Belgian locale: BOM, semicolons, decimal commas, one column per series', async () => {
    const bytes = Buffer.from(
      await (
        await exportAs(`${days}&field=no2&field=pm25&layout=wide&delimiter=semicolon&bom=true`)
      ).arrayBuffer(),
    );
    // fetch's text() would drop the byte-order mark; the bytes keep it.
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows: string[][] = parse(bytes.subarray(3).toString('utf8'), { delimiter: ';' });
    expect(rows).toEqual([
      ['time', 'leuven/air/dst-1 no2 (µg/m³)', 'leuven/air/dst-1 pm25 (µg/m³)'],
      ['2026-03-28T00:00:00.000+01:00', '5', ''],
      ['2026-03-29T00:00:00.000+01:00', '12', '7'],
      ['2026-03-30T00:00:00.000+02:00', '12,5', ''],
    ]);
  });

  it('writes NDJSON and JSON with the same rows', async () => {
    const ndjson = (await (await exportAs(`${days}&field=no2&format=ndjson`)).text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as unknown);
    const json = (await (await exportAs(`${days}&field=no2&format=json`)).json()) as unknown[];
    expect(ndjson).toEqual(json);
    expect(json[1]).toEqual({
      time: '2026-03-29T00:00:00.000+01:00',
      sensor: 'leuven/air/dst-1',
      field: 'no2',
      value: 12,
      unit: 'µg/m³',
    });
  });

  it('gives units and what is known of each sensor in a side file', async () => {
    const side = (await (
      await stack.service.fetchAs('analyst', `/api/v1/export/meta?${days}&field=no2&field=pm25`)
    ).json()) as {
      sensors: Array<{ sensor: string; fields: Record<string, string> }>;
    };
    expect(side.sensors).toEqual([
      expect.objectContaining({ sensor: 'leuven/air/dst-1', fields: { no2: 'µg/m³', pm25: 'µg/m³' } }),
    ]);
  });

  it('says in the side file which series hold no data, and when the whole export would be empty', async () => {
    type Side = { note?: string; sensors: Array<{ sensor: string; withoutData: string[] }> };
    const side = (await (
      await stack.service.fetchAs(
        'analyst',
        '/api/v1/export/meta?sensor=leuven/air/dst-1&field=no2&field=pm25&from=2026-03-28&to=2026-03-29',
      )
    ).json()) as Side;
    // On 28 March the data set holds NO2 only.
    expect(side.sensors.map((s) => s.withoutData)).toEqual([['pm25']]);
    expect(side.note).toBeUndefined();
    const before = (await (
      await stack.service.fetchAs(
        'analyst',
        '/api/v1/export/meta?sensor=leuven/air/dst-1&field=no2&from=2020-01-01&to=2020-01-02',
      )
    ).json()) as Side;
    expect(before.sensors.map((s) => s.withoutData)).toEqual([['no2']]);
    expect(before.note).toBe(
      'No data in this range for these sensors and fields: the export holds its header only.',
    );
  });

  it("rounds each value to its field's decimals, whole counts' means to one more, unless asked for full precision", async () => {
    const start = Date.parse('2026-04-01T10:00:00Z');
    const lines = [
      `air,city=leuven,sensor_id=prec-1 no2=10 ${start}`,
      `air,city=leuven,sensor_id=prec-1 no2=10 ${start + 60_000}`,
      `air,city=leuven,sensor_id=prec-1 no2=11 ${start + 120_000}`,
      `mobility,city=leuven,sensor_id=prec-2 car=3i,period_s=300i ${start}`,
      `mobility,city=leuven,sensor_id=prec-2 car=4i,period_s=300i ${start + 60_000}`,
      `mobility,city=leuven,sensor_id=prec-2 car=4i,period_s=300i ${start + 120_000}`,
    ];
    await writeLines(stack.influxUrl, stack.bucket, lines);
    const hour = 'from=2026-04-01T10:00:00Z&to=2026-04-01T11:00:00Z&window=1h&tz=UTC&format=ndjson';
    const values = async (query: string) =>
      (await (await exportAs(query)).text())
        .trim()
        .split('\n')
        .map((line) => (JSON.parse(line) as { value: number }).value);
    expect(await values(`sensor=leuven/air/prec-1&field=no2&${hour}`)).toEqual([10.3]);
    expect(await values(`sensor=leuven/mobility/prec-2&field=car&${hour}`)).toEqual([3.7]);
    expect(await values(`sensor=leuven/air/prec-1&field=no2&${hour}&precision=full`)).toEqual([31 / 3]);
  });

  it('refuses a bad export parameter with its name, and officers altogether', async () => {
    const bad = await exportAs(`${days}&field=no2&format=xlsx`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toBe(
      'format: must be one of csv, ndjson, json',
    );
    expect((await stack.service.fetchAs('officer', `/api/v1/export?${days}&field=no2`)).status).toBe(403);
  });
});
