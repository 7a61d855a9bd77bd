import { RollupFold } from './rollup-cell';
import { annotatedCsvRows } from './annotated-csv-rows';

describe('RollupFold', () => {
  it('folds readings into hourly cells, with energy for levels only', () => {
    const fold = new RollupFold();
    for (const v of [60, 70])
      fold.add('noise', 'gent', 'n1', 0, 'laeq', {
        count: 1,
        sum: v,
        min: v,
        max: v,
        energy: 10 ** (v / 10),
      });
    fold.add('air', 'gent', 'a1', 0, 'no2', { count: 1, sum: 20, min: 20, max: 20 });
    expect(fold.lines()).toEqual([
      'noise,city=gent,sensor_id=n1 laeq_count=2i,laeq_sum=130,laeq_min=60,laeq_max=70,laeq_energy=11000000 0',
      'air,city=gent,sensor_id=a1 no2_count=1i,no2_sum=20,no2_min=20,no2_max=20 0',
    ]);
  });

  it('folds finer rollups statistic by statistic: sums add up, extremes stay extreme', () => {
    const fold = new RollupFold();
    const hours = [
      { count: 12, sum: 120, min: 3, max: 17 },
      { count: 11, sum: 99, min: 1, max: 12 },
    ];
    for (const hour of hours) {
      for (const stat of ['count', 'sum', 'min', 'max'] as const)
        fold.addStat('air', 'gent', 'a1', 86_400_000, 'no2', stat, hour[stat]);
    }
    expect(fold.lines()).toEqual([
      'air,city=gent,sensor_id=a1 no2_count=23i,no2_sum=219,no2_min=1,no2_max=17 86400000',
    ]);
  });

  it('writes nothing for a sensor without readings', () => {
    const fold = new RollupFold();
    expect(fold.lines()).toEqual([]);
    fold.addStat('air', 'gent', 'a1', 0, 'no2', 'count', 0);
    expect(fold.lines()).toEqual([]);
  });
});

/** A response body that arrives in these chunks. */
async function* chunks(parts: readonly string[]): AsyncGenerator<string> {
  for (const part of parts) yield await Promise.resolve(part);
}

describe('annotatedCsvRows', () => {
  it('reads named columns across tables and chunks that split lines', async () => {
    const csv = [
      '#datatype,string,long,dateTime:RFC3339,double,string\n#group,false,false,false,false,true\n',
      ',result,table,_time,_value,_field\n,,0,2026-03-29T01:00:00Z,2,no2\n,,0,2026-03-29T0',
      '2:00:00Z,3,no2\n\n,result,table,_field,_value,_time\n,,1,pm25,7,2026-03-29T01:00:00Z\n',
    ];
    const rows = [];
    for await (const batch of annotatedCsvRows(chunks(csv), ['_time', '_field', '_value']))
      rows.push(...batch);
    expect(rows).toEqual([
      { _time: '2026-03-29T01:00:00Z', _field: 'no2', _value: '2' },
      { _time: '2026-03-29T02:00:00Z', _field: 'no2', _value: '3' },
      { _time: '2026-03-29T01:00:00Z', _field: 'pm25', _value: '7' },
    ]);
  });

  it('throws the error InfluxDB puts in its answer', async () => {
    await expect(async () => {
      for await (const _ of annotatedCsvRows(chunks([',error,reference\n,"bad query",\n']), ['_time']))
        void _;
    }).rejects.toThrow('InfluxDB: ,error,reference');
  });
});
